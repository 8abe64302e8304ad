CREATE TABLE `checkout_sagas` (
	`order_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`idempotency_key` text,
	`request_hash` text,
	`items` text NOT NULL,
	`payment_token` text,
	`step` text NOT NULL,
	`payment_state` text NOT NULL,
	`charge_id` text,
	`failure_code` text,
	`failure_details` text,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "checkout_sagas_step_known" CHECK("checkout_sagas"."step" in ('RESERVING', 'CHARGING', 'COMMITTING', 'COMPENSATING', 'CONFIRMED', 'CANCELLED', 'REJECTED')),
	CONSTRAINT "checkout_sagas_payment_state_known" CHECK("checkout_sagas"."payment_state" in ('NONE', 'UNKNOWN', 'CAPTURED', 'DECLINED', 'REFUNDED')),
	CONSTRAINT "checkout_sagas_attempts_not_negative" CHECK("checkout_sagas"."attempts" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkout_sagas_user_idempotency_key_idx` ON `checkout_sagas` (`user_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `checkout_sagas_step_next_attempt_idx` ON `checkout_sagas` (`step`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `order_status_changes` (
	`order_id` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`changed_at` integer NOT NULL,
	PRIMARY KEY(`order_id`, `status`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "order_status_changes_status_known" CHECK("order_status_changes"."status" in ('PENDING', 'CONFIRMED', 'CANCELLED'))
);
