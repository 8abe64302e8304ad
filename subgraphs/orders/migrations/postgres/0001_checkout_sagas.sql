CREATE TABLE "checkout_sagas" (
	"order_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"items" text NOT NULL,
	"payment_token" text,
	"step" text NOT NULL,
	"payment_state" text NOT NULL,
	"charge_id" text,
	"failure_code" text,
	"failure_details" text,
	"attempts" integer NOT NULL,
	"next_attempt_at" timestamp (3) with time zone NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp (3) with time zone,
	"last_error" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "checkout_sagas_step_known" CHECK ("checkout_sagas"."step" in ('RESERVING', 'CHARGING', 'COMMITTING', 'COMPENSATING', 'CONFIRMED', 'CANCELLED', 'REJECTED')),
	CONSTRAINT "checkout_sagas_payment_state_known" CHECK ("checkout_sagas"."payment_state" in ('NONE', 'UNKNOWN', 'CAPTURED', 'DECLINED', 'REFUNDED')),
	CONSTRAINT "checkout_sagas_attempts_not_negative" CHECK ("checkout_sagas"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "order_status_changes" (
	"order_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"changed_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "order_status_changes_pk" PRIMARY KEY("order_id","status"),
	CONSTRAINT "order_status_changes_status_known" CHECK ("order_status_changes"."status" in ('PENDING', 'CONFIRMED', 'CANCELLED'))
);
--> statement-breakpoint
ALTER TABLE "order_status_changes" ADD CONSTRAINT "order_status_changes_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checkout_sagas_user_idempotency_key_idx" ON "checkout_sagas" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "checkout_sagas_step_next_attempt_idx" ON "checkout_sagas" USING btree ("step","next_attempt_at");