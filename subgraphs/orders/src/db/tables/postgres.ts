import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { CANCELLATION_REASONS, ORDER_STATUSES, PAYMENT_STATES, SAGA_STEPS, sqlList } from './order-status.js';

// The Postgres twin of sqlite.ts: same tables, columns and constraints; index.ts checks the row types match.

const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    totalMinor: integer('total_minor').notNull(),
    currency: text('currency').notNull(),
    createdAt: timestampColumn('created_at').notNull(),
    updatedAt: timestampColumn('updated_at').notNull(),
  },
  (table) => [
    index('orders_user_created_id_idx').on(table.userId, table.createdAt, table.id),
    check('orders_status_known', sql`${table.status} in ('PENDING', 'CONFIRMED', 'CANCELLED')`),
    check('orders_total_not_negative', sql`${table.totalMinor} >= 0`),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    lineNumber: integer('line_number').notNull(),
    productId: text('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: integer('unit_price_minor').notNull(),
    currency: text('currency').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.lineNumber] }),
    check('order_items_quantity_positive', sql`${table.quantity} > 0`),
    check('order_items_price_not_negative', sql`${table.unitPriceMinor} >= 0`),
  ],
);

export const orderStatusChanges = pgTable(
  'order_status_changes',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    reason: text('reason', { enum: CANCELLATION_REASONS }),
    changedAt: timestampColumn('changed_at').notNull(),
  },
  (table) => [
    primaryKey({ name: 'order_status_changes_pk', columns: [table.orderId, table.status] }),
    check('order_status_changes_status_known', sql`${table.status} in (${sql.raw(sqlList(ORDER_STATUSES))})`),
  ],
);

export const checkoutSagas = pgTable(
  'checkout_sagas',
  {
    orderId: text('order_id').primaryKey(),
    userId: text('user_id').notNull(),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    items: text('items').notNull(),
    paymentToken: text('payment_token'),
    step: text('step', { enum: SAGA_STEPS }).notNull(),
    paymentState: text('payment_state', { enum: PAYMENT_STATES }).notNull(),
    chargeId: text('charge_id'),
    failureCode: text('failure_code'),
    failureDetails: text('failure_details'),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: timestampColumn('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestampColumn('lease_until'),
    lastError: text('last_error'),
    lateChargeCheckAt: timestampColumn('late_charge_check_at'),
    traceParent: text('trace_parent'),
    requestId: text('request_id'),
    phaseStartedAt: timestampColumn('phase_started_at').notNull(),
    createdAt: timestampColumn('created_at').notNull(),
    updatedAt: timestampColumn('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('checkout_sagas_user_idempotency_key_idx').on(table.userId, table.idempotencyKey),
    index('checkout_sagas_step_next_attempt_idx').on(table.step, table.nextAttemptAt),
    index('checkout_sagas_late_charge_check_at_idx')
      .on(table.lateChargeCheckAt)
      .where(sql`${table.lateChargeCheckAt} is not null`),
    index('checkout_sagas_keyed_updated_at_idx')
      .on(table.updatedAt)
      .where(sql`${table.idempotencyKey} is not null`),
    check('checkout_sagas_step_known', sql`${table.step} in (${sql.raw(sqlList(SAGA_STEPS))})`),
    check('checkout_sagas_payment_state_known', sql`${table.paymentState} in (${sql.raw(sqlList(PAYMENT_STATES))})`),
    check('checkout_sagas_attempts_not_negative', sql`${table.attempts} >= 0`),
  ],
);
