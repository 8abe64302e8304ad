ALTER TABLE `checkout_sagas` ADD `trace_parent` text;--> statement-breakpoint
ALTER TABLE `checkout_sagas` ADD `request_id` text;