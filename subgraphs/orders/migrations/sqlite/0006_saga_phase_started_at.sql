-- Sagas recorded before this column started their current run when they were created (a cancelled
-- order's saga among them: its cancellation time was not recorded). SQLite adds a NOT NULL column
-- only with a default; 0 is never kept: the update fills every row, and every insert sets the column.
ALTER TABLE `checkout_sagas` ADD `phase_started_at` integer NOT NULL DEFAULT 0;--> statement-breakpoint
UPDATE `checkout_sagas` SET `phase_started_at` = `created_at`;
