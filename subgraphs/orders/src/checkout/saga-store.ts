import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, or } from 'drizzle-orm';
import type { OrdersDatabase, OrdersDb } from '../db/client.js';
import type { OrderRow } from '../db/tables/index.js';
import {
  ACTIVE_SAGA_STEPS,
  FINAL_SAGA_STEPS,
  type CancellationReason,
  type CheckoutSagaRow,
  type OrderStatus,
  type SagaStep,
} from '../db/tables/index.js';

// The checkout saga's rows (checkout_sagas) and the order rows its steps write. Every change to a
// saga is conditional on the step it leaves and on the lease of the driver making it, so only one
// driver (a request, the recovery loop, another process) records each step. A driver whose lease ran
// out mid-step may repeat that step's remote call, which is idempotent; its record is refused.

export type NewSaga = Omit<
  CheckoutSagaRow,
  'leaseOwner' | 'leaseUntil' | 'lastError' | 'failureCode' | 'failureDetails' | 'chargeId' | 'lateChargeCheckAt'
> &
  Partial<Pick<CheckoutSagaRow, 'leaseOwner' | 'leaseUntil' | 'failureCode'>>;

/**
 * Inserts a saga, unless the user already has one with this idempotency key: then that one is
 * returned with isNew false. The unique index decides between concurrent requests.
 */
export async function insertSagaOrFindByKey(
  database: OrdersDatabase,
  saga: NewSaga,
): Promise<{ saga: CheckoutSagaRow; isNew: boolean }> {
  // The saga holding the key may free it between our insert and our look (a checkout that failed
  // retryably does, at once): then the key is ours to take, so try again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const [inserted] = await database.transaction(async ({ db, tables: { checkoutSagas } }) =>
      db
        .insert(checkoutSagas)
        .values({ chargeId: null, failureDetails: null, lastError: null, ...saga })
        .onConflictDoNothing()
        .returning(),
    );
    if (inserted) return { saga: inserted, isNew: true };
    const existing = saga.idempotencyKey === null ? null : await findSagaByKey(database, saga.userId, saga.idempotencyKey);
    if (existing) return { saga: existing, isNew: false };
  }
  throw new Error(`checkout ${saga.orderId} kept conflicting with a saga that cannot be found`);
}

export async function findSaga({ db, tables: { checkoutSagas } }: OrdersDb, orderId: string): Promise<CheckoutSagaRow | null> {
  const [row] = await db.select().from(checkoutSagas).where(eq(checkoutSagas.orderId, orderId));
  return row ?? null;
}

export async function findSagaByKey(
  { db, tables: { checkoutSagas } }: OrdersDb,
  userId: string,
  idempotencyKey: string,
): Promise<CheckoutSagaRow | null> {
  const [row] = await db
    .select()
    .from(checkoutSagas)
    .where(and(eq(checkoutSagas.userId, userId), eq(checkoutSagas.idempotencyKey, idempotencyKey)));
  return row ?? null;
}

/**
 * Takes the lease of an unfinished saga nobody holds (or whose holder's lease ran out: it crashed or
 * hangs). With `dueOnly`, only when its next attempt is due (the recovery loop); a client's retry
 * does not wait for the backoff. Returns the saga as claimed, or null when someone else has it.
 */
export async function claimSaga(
  database: OrdersDatabase,
  { orderId, owner, now, leaseMs, dueOnly }: { orderId: string; owner: string; now: Date; leaseMs: number; dueOnly: boolean },
): Promise<CheckoutSagaRow | null> {
  return database.transaction(async ({ db, tables: { checkoutSagas } }) => {
    const [row] = await db
      .update(checkoutSagas)
      .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) })
      .where(
        and(
          eq(checkoutSagas.orderId, orderId),
          inArray(checkoutSagas.step, [...ACTIVE_SAGA_STEPS]),
          or(isNull(checkoutSagas.leaseUntil), lt(checkoutSagas.leaseUntil, now)),
          dueOnly ? lte(checkoutSagas.nextAttemptAt, now) : undefined,
        ),
      )
      .returning();
    return row ?? null;
  });
}

export type SagaChange = Partial<
  Pick<
    CheckoutSagaRow,
    | 'step'
    | 'paymentState'
    | 'chargeId'
    | 'failureCode'
    | 'failureDetails'
    | 'paymentToken'
    | 'idempotencyKey'
    | 'requestHash'
    | 'attempts'
    | 'nextAttemptAt'
    | 'lastError'
    | 'lateChargeCheckAt'
  >
>;

/**
 * Moves a saga the caller holds from step `from`, applying `change` and, in the same transaction,
 * `effects` (the order rows the step writes). Renews the lease. Returns the saga as changed, or null
 * when the saga is no longer at `from` or no longer the caller's: it must stop driving it.
 */
export async function changeSaga(
  database: OrdersDatabase,
  {
    orderId,
    owner,
    from,
    change,
    now,
    leaseMs,
    effects,
  }: {
    orderId: string;
    owner: string;
    from: SagaStep;
    change: SagaChange;
    now: Date;
    leaseMs: number;
    effects?: (tx: OrdersDb) => Promise<void>;
  },
): Promise<CheckoutSagaRow | null> {
  return database.transaction(async (tx) => {
    const { db, tables } = tx;
    const { checkoutSagas } = tables;
    const [row] = await db
      .update(checkoutSagas)
      .set({ ...change, updatedAt: now, leaseUntil: new Date(now.getTime() + leaseMs) })
      .where(and(eq(checkoutSagas.orderId, orderId), eq(checkoutSagas.step, from), eq(checkoutSagas.leaseOwner, owner)))
      .returning();
    if (!row) return null;
    await effects?.(tx);
    return row;
  });
}

/** Gives up the lease, so a client's retry or the recovery loop can take the saga at once. */
export async function releaseLease(
  database: OrdersDatabase,
  { orderId, owner }: { orderId: string; owner: string },
): Promise<void> {
  await database.transaction(async ({ db, tables: { checkoutSagas } }) => {
    await db
      .update(checkoutSagas)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(checkoutSagas.orderId, orderId), eq(checkoutSagas.leaseOwner, owner)));
  });
}

/** Records a retryable failure at the current step and gives up the lease until the next attempt. */
export async function scheduleRetry(
  database: OrdersDatabase,
  {
    orderId,
    owner,
    step,
    nextAttemptAt,
    attempts,
    lastError,
  }: {
    orderId: string;
    owner: string;
    step: SagaStep;
    nextAttemptAt: Date;
    attempts: number;
    lastError: string;
  },
): Promise<CheckoutSagaRow | null> {
  return database.transaction(async ({ db, tables: { checkoutSagas } }) => {
    const [row] = await db
      .update(checkoutSagas)
      .set({ attempts, nextAttemptAt, lastError, leaseOwner: null, leaseUntil: null })
      .where(and(eq(checkoutSagas.orderId, orderId), eq(checkoutSagas.step, step), eq(checkoutSagas.leaseOwner, owner)))
      .returning();
    return row ?? null;
  });
}

/** Unfinished sagas whose next attempt is due and whose lease is free or ran out, oldest due first. */
export async function findDueSagaIds(
  { db, tables: { checkoutSagas } }: OrdersDb,
  { now, limit }: { now: Date; limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ orderId: checkoutSagas.orderId })
    .from(checkoutSagas)
    .where(
      and(
        inArray(checkoutSagas.step, [...ACTIVE_SAGA_STEPS]),
        lte(checkoutSagas.nextAttemptAt, now),
        or(isNull(checkoutSagas.leaseUntil), lt(checkoutSagas.leaseUntil, now)),
      ),
    )
    .orderBy(asc(checkoutSagas.nextAttemptAt))
    .limit(limit);
  return rows.map((row) => row.orderId);
}

/**
 * Frees the idempotency keys of up to `limit` finished sagas that ended before `endedBefore`: a
 * retry with such a key is a new checkout. The sagas themselves stay, as the record of what happened.
 * Returns how many keys it freed (a full batch means there may be more).
 */
export async function forgetIdempotencyKeys(
  database: OrdersDatabase,
  { endedBefore, limit }: { endedBefore: Date; limit: number },
): Promise<number> {
  const expired = await database.db
    .select({ orderId: database.tables.checkoutSagas.orderId })
    .from(database.tables.checkoutSagas)
    .where(
      and(
        isNotNull(database.tables.checkoutSagas.idempotencyKey),
        lt(database.tables.checkoutSagas.updatedAt, endedBefore),
        inArray(database.tables.checkoutSagas.step, [...FINAL_SAGA_STEPS]),
      ),
    )
    .limit(limit);
  if (expired.length === 0) return 0;
  return database.transaction(async ({ db, tables: { checkoutSagas } }) => {
    const rows = await db
      .update(checkoutSagas)
      .set({ idempotencyKey: null, requestHash: null })
      .where(
        and(
          inArray(
            checkoutSagas.orderId,
            expired.map((row) => row.orderId),
          ),
          inArray(checkoutSagas.step, [...FINAL_SAGA_STEPS]),
        ),
      )
      .returning({ orderId: checkoutSagas.orderId });
    return rows.length;
  });
}

/** Ended sagas whose late-charge check is due, oldest first. */
export async function findLateChargeChecksDue(
  { db, tables: { checkoutSagas } }: OrdersDb,
  { now, limit }: { now: Date; limit: number },
): Promise<{ orderId: string; lateChargeCheckAt: Date }[]> {
  const rows = await db
    .select({ orderId: checkoutSagas.orderId, lateChargeCheckAt: checkoutSagas.lateChargeCheckAt })
    .from(checkoutSagas)
    .where(and(lte(checkoutSagas.lateChargeCheckAt, now), inArray(checkoutSagas.step, [...FINAL_SAGA_STEPS])))
    .orderBy(asc(checkoutSagas.lateChargeCheckAt))
    .limit(limit);
  return rows.flatMap((row) =>
    row.lateChargeCheckAt ? [{ orderId: row.orderId, lateChargeCheckAt: row.lateChargeCheckAt }] : [],
  );
}

/**
 * Moves (or, with `to` null, clears) a saga's late-charge check, if it is still the one `from`
 * says: a check another process finished or moved meanwhile is left as it is.
 */
export async function rescheduleLateChargeCheck(
  database: OrdersDatabase,
  { orderId, from, to }: { orderId: string; from: Date; to: Date | null },
): Promise<void> {
  await database.transaction(async ({ db, tables: { checkoutSagas } }) => {
    await db
      .update(checkoutSagas)
      .set({ lateChargeCheckAt: to })
      .where(and(eq(checkoutSagas.orderId, orderId), eq(checkoutSagas.lateChargeCheckAt, from)));
  });
}

export interface NewOrder {
  id: string;
  userId: string;
  /** The sum of the lines, in minor units. */
  totalMinor: number;
  currency: string;
  createdAt: Date;
  lines: { productId: string; quantity: number; unitPriceMinor: number }[];
}

/** The order as the reservation priced it: PENDING, its lines, and the first entry of its history. */
export async function insertPendingOrder(
  { db, tables: { orders, orderItems, orderStatusChanges } }: OrdersDb,
  order: NewOrder,
  now: Date,
): Promise<void> {
  await db.insert(orders).values({
    id: order.id,
    userId: order.userId,
    status: 'PENDING',
    totalMinor: order.totalMinor,
    currency: order.currency,
    createdAt: order.createdAt,
    updatedAt: now,
  });
  await db
    .insert(orderItems)
    .values(order.lines.map((line, index) => ({ orderId: order.id, lineNumber: index + 1, currency: order.currency, ...line })));
  await db.insert(orderStatusChanges).values({ orderId: order.id, status: 'PENDING', reason: null, changedAt: now });
}

/** Moves an order to a new status and records the change (once: a replayed step records nothing new). */
export async function changeOrderStatus(
  { db, tables: { orders, orderStatusChanges } }: OrdersDb,
  { orderId, status, reason, now }: { orderId: string; status: OrderStatus; reason: CancellationReason | null; now: Date },
): Promise<void> {
  await db.update(orders).set({ status, updatedAt: now }).where(eq(orders.id, orderId));
  await db.insert(orderStatusChanges).values({ orderId, status, reason, changedAt: now }).onConflictDoNothing();
}

export async function orderExists({ db, tables: { orders } }: OrdersDb, orderId: string): Promise<boolean> {
  const [row] = await db.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId));
  return row !== undefined;
}

/**
 * Turns a confirmed order's saga into its cancellation (COMPENSATING, held by `owner`), creating
 * one for an order placed without a saga (the demo data: nothing was reserved or charged through
 * checkout). When the order is already being cancelled, returns that saga, not owned.
 */
export async function startCancellation(
  database: OrdersDatabase,
  {
    order,
    reason,
    owner,
    now,
    leaseMs,
  }: {
    order: OrderRow;
    reason: 'CANCELLED_BY_CUSTOMER' | 'CANCELLED_BY_ADMIN';
    owner: string;
    now: Date;
    leaseMs: number;
  },
): Promise<{ saga: CheckoutSagaRow; isOwned: boolean }> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const started = await database.transaction(async ({ db, tables: { checkoutSagas, orderItems } }) => {
    const [updated] = await db
      .update(checkoutSagas)
      .set({
        step: 'COMPENSATING',
        failureCode: reason,
        failureDetails: '{}',
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        leaseOwner: owner,
        leaseUntil,
        updatedAt: now,
      })
      .where(and(eq(checkoutSagas.orderId, order.id), eq(checkoutSagas.step, 'CONFIRMED')))
      .returning();
    if (updated) return updated;
    // No saga to turn around: the order was placed without one. Its lines are what would be released.
    const items = await db
      .select({ productId: orderItems.productId, quantity: orderItems.quantity })
      .from(orderItems)
      .where(eq(orderItems.orderId, order.id))
      .orderBy(asc(orderItems.lineNumber));
    const [inserted] = await db
      .insert(checkoutSagas)
      .values({
        orderId: order.id,
        userId: order.userId,
        idempotencyKey: null,
        requestHash: null,
        items: JSON.stringify(items),
        paymentToken: null,
        step: 'COMPENSATING',
        paymentState: 'NONE',
        chargeId: null,
        failureCode: reason,
        failureDetails: '{}',
        attempts: 0,
        nextAttemptAt: now,
        leaseOwner: owner,
        leaseUntil,
        lastError: null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    return inserted ?? null;
  });
  if (started) return { saga: started, isOwned: true };
  const existing = await findSaga(database, order.id);
  if (!existing) throw new Error(`order ${order.id} has a saga that cannot be found`);
  return { saga: existing, isOwned: false };
}
