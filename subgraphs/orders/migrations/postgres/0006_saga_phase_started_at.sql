-- Sagas recorded before this column started their current run when they were created (a cancelled
-- order's saga among them: its cancellation time was not recorded). Added nullable, filled, then
-- made NOT NULL, as a NOT NULL column cannot be added to a table with rows.
ALTER TABLE "checkout_sagas" ADD COLUMN "phase_started_at" timestamp (3) with time zone;--> statement-breakpoint
UPDATE "checkout_sagas" SET "phase_started_at" = "created_at";--> statement-breakpoint
ALTER TABLE "checkout_sagas" ALTER COLUMN "phase_started_at" SET NOT NULL;
