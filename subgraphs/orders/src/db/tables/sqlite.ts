import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CANCELLATION_REASONS, ORDER_STATUSES, PAYMENT_STATES, SAGA_STEPS, sqlList } from './order-status.js';

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    /** The users subgraph's User id; no foreign key, the row lives in another database. */
    userId: text('user_id').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    /** Sum of the lines, in the currency's minor unit. */
    totalMinor: integer('total_minor').notNull(),
    currency: text('currency').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    // A user's orders, newest first: User.orders walks this index.
    index('orders_user_created_id_idx').on(table.userId, table.createdAt, table.id),
    check('orders_status_known', sql`${table.status} in ('PENDING', 'CONFIRMED', 'CANCELLED')`),
    check('orders_total_not_negative', sql`${table.totalMinor} >= 0`),
  ],
);

export const orderItems = sqliteTable(
  'order_items',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** 1-based position of the line in its order. */
    lineNumber: integer('line_number').notNull(),
    /** The products subgraph's Product id. */
    productId: text('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    /** The price paid at checkout, whatever the catalog says now. */
    unitPriceMinor: integer('unit_price_minor').notNull(),
    currency: text('currency').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.lineNumber] }),
    check('order_items_quantity_positive', sql`${table.quantity} > 0`),
    check('order_items_price_not_negative', sql`${table.unitPriceMinor} >= 0`),
  ],
);

/** Every status an order has had, with when: PENDING, then CONFIRMED and/or CANCELLED, each at most once. */
export const orderStatusChanges = sqliteTable(
  'order_status_changes',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    /** For CANCELLED: why. */
    reason: text('reason', { enum: CANCELLATION_REASONS }),
    changedAt: integer('changed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    // An order enters each status once, so a replayed saga step cannot record it twice.
    primaryKey({ name: 'order_status_changes_pk', columns: [table.orderId, table.status] }),
    check('order_status_changes_status_known', sql`${table.status} in (${sql.raw(sqlList(ORDER_STATUSES))})`),
  ],
);

/**
 * The checkout saga of each order (and the cancellation of a confirmed one), persisted step by step
 * so the recovery loop can finish or compensate it after a crash. The row is written before the
 * order exists: its id is the order's id, which products' reservation and the provider's charge are
 * keyed by. See src/checkout/driver.ts.
 */
export const checkoutSagas = sqliteTable(
  'checkout_sagas',
  {
    orderId: text('order_id').primaryKey(),
    userId: text('user_id').notNull(),
    /**
     * The client's key, unique per user, kept at least 24 hours. Null once retention has passed,
     * after a retryable failure (a retry with the key starts afresh), and for cancellations of
     * orders placed without a saga (the demo data).
     */
    idempotencyKey: text('idempotency_key'),
    /** SHA-256 of the canonical request, to tell a retry from a reuse of the key. */
    requestHash: text('request_hash'),
    /** The requested lines as JSON ([{productId, quantity}]), to reserve them again after a crash. */
    items: text('items').notNull(),
    /** The provider's token, to charge again after a crash; cleared once the saga ends. */
    paymentToken: text('payment_token'),
    step: text('step', { enum: SAGA_STEPS }).notNull(),
    paymentState: text('payment_state', { enum: PAYMENT_STATES }).notNull(),
    chargeId: text('charge_id'),
    /** Why the saga is compensating or ended without an order: a code and its details as JSON. */
    failureCode: text('failure_code'),
    failureDetails: text('failure_details'),
    /** Failed attempts at the current step, for the recovery loop's backoff. */
    attempts: integer('attempts').notNull(),
    /** When the recovery loop may next try the current step. */
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    /** Who is running the saga now, and until when; another driver may take over after that. */
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    /** The last retryable failure, for the operator. */
    lastError: text('last_error'),
    /**
     * When to ask the payment provider once more for charges of an ended saga whose payment outcome
     * was unknown: a charge that landed after compensation looked is refunded then. Null: nothing to check.
     */
    lateChargeCheckAt: integer('late_charge_check_at', { mode: 'timestamp_ms' }),
    /**
     * The W3C traceparent of the request that started (or turned around) the saga, so the recovery
     * loop's trace links back to it. Null when tracing was off.
     */
    traceParent: text('trace_parent'),
    /** That request's id (x-request-id), sent with the recovery loop's calls so every service logs it. */
    requestId: text('request_id'),
    /**
     * When the saga entered its current run toward a final step: the checkout's start, or the
     * cancellation that turned a confirmed saga around. The backlog gauges measure pending age and
     * the deadline from it, so cancelling an old order does not look like a stuck checkout.
     */
    phaseStartedAt: integer('phase_started_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    uniqueIndex('checkout_sagas_user_idempotency_key_idx').on(table.userId, table.idempotencyKey),
    // The recovery loop's question: which unfinished sagas are due.
    index('checkout_sagas_step_next_attempt_idx').on(table.step, table.nextAttemptAt),
    // The key purge's question: which keyed sagas ended before the retention cut-off.
    // The recovery loop's other question: which ended sagas are due a late-charge check.
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
