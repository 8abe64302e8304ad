ALTER TABLE "checkout_sagas" ADD COLUMN "trace_parent" text;--> statement-breakpoint
ALTER TABLE "checkout_sagas" ADD COLUMN "request_id" text;