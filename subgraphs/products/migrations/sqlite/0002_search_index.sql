-- Catalog search: an FTS5 index of every product's name, SKU and description with the trigram
-- tokenizer, which answers a case-insensitive substring of three characters or more (see
-- docs/decisions/026-search-index-and-streamed-seeds.md). It stores no text of its own (external
-- content: products) and is kept in step with products by the triggers below.
CREATE VIRTUAL TABLE `products_search` USING fts5(`name`, `sku`, `description`, content='products', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
INSERT INTO `products_search`(`products_search`) VALUES('rebuild');
--> statement-breakpoint
CREATE TRIGGER `products_search_after_insert` AFTER INSERT ON `products` BEGIN
  INSERT INTO `products_search`(`rowid`, `name`, `sku`, `description`) VALUES (new.`rowid`, new.`name`, new.`sku`, new.`description`);
END;
--> statement-breakpoint
CREATE TRIGGER `products_search_after_delete` AFTER DELETE ON `products` BEGIN
  INSERT INTO `products_search`(`products_search`, `rowid`, `name`, `sku`, `description`) VALUES ('delete', old.`rowid`, old.`name`, old.`sku`, old.`description`);
END;
--> statement-breakpoint
-- Stock changes (every reservation) leave the index alone: only a change of an indexed column rewrites its entry.
CREATE TRIGGER `products_search_after_update` AFTER UPDATE OF `name`, `sku`, `description` ON `products` BEGIN
  INSERT INTO `products_search`(`products_search`, `rowid`, `name`, `sku`, `description`) VALUES ('delete', old.`rowid`, old.`name`, old.`sku`, old.`description`);
  INSERT INTO `products_search`(`rowid`, `name`, `sku`, `description`) VALUES (new.`rowid`, new.`name`, new.`sku`, new.`description`);
END;
