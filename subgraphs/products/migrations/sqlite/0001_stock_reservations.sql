CREATE TABLE `stock_reservations` (
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`order_id`, `product_id`),
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "stock_reservations_quantity_positive" CHECK("stock_reservations"."quantity" > 0),
	CONSTRAINT "stock_reservations_price_not_negative" CHECK("stock_reservations"."unit_price_minor" >= 0),
	CONSTRAINT "stock_reservations_status_known" CHECK("stock_reservations"."status" in ('RESERVED', 'COMMITTED', 'RELEASED'))
);
--> statement-breakpoint
CREATE INDEX `stock_reservations_status_expires_at_idx` ON `stock_reservations` (`status`,`expires_at`);