-- Custom SQL migration file, put your code below! --
-- Orders placed before order_status_changes existed get the history their row implies: PENDING when
-- they were created and, unless still pending, their status when they were last updated. Why an
-- order was cancelled was never recorded, so those reasons stay unknown (null).
INSERT INTO order_status_changes (order_id, status, reason, changed_at)
SELECT o.id, 'PENDING', NULL, o.created_at FROM orders o
WHERE NOT EXISTS (SELECT 1 FROM order_status_changes c WHERE c.order_id = o.id);
--> statement-breakpoint
INSERT INTO order_status_changes (order_id, status, reason, changed_at)
SELECT o.id, o.status, NULL, o.updated_at FROM orders o
WHERE o.status <> 'PENDING'
  AND NOT EXISTS (SELECT 1 FROM order_status_changes c WHERE c.order_id = o.id AND c.status = o.status);
