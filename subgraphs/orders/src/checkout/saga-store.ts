import { and, asc, count, eq, inArray, isNull, lt, lte, min, or, sql } from 'drizzle-orm';
import type { OrdersDatabase, OrdersDb } from '../db/client.js';
import { ACTIVE_SAGA_STEPS, type OrderRow, type SagaStep } from '../db/tables/index.js';
import { findItemsByOrderIds } from '../orders/order-store.js';
import { parseSagaRow, serializeLines, toRowChange, type Saga, type SagaChange } from './saga-record.js';

// The checkout saga's rows (checkout_sagas). Every change to a saga is conditional on the step it
// leaves and on the lease of the driver making it, so only one driver (a request, the recovery
// loop, another process) records each step. A driver whose lease ran out mid-step may repeat that
// step's remote call, which is idempotent; its record is refused.

export type NewSaga = Omit<
  Saga,
  'leaseOwner' | 'leaseUntil' | 'lastError' | 'failureCode' | 'failureDetails' | 'chargeId' | 'lateChargeCheckAt'
> &
  Partial<Pick<Saga, 'leaseOwner' | 'leaseUntil'>>;

/**
 * Inserts a saga, unless the user already has one with this idempotency key: then that one is
 * returned with isNew false. The unique index decides between concurrent requests.
 */
export async function insertSagaOrFindByKey(database: OrdersDatabase, saga: NewSaga): Promise<{ saga: Saga; isNew: boolean }> {
  // The saga holding the key may free it between our insert and our look (a checkout that failed
  // retryably does, at once): then the key is ours to take, so try again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const [inserted] = await database.transaction(async ({ db, tables: { checkoutSagas } }) =>
      db
        .insert(checkoutSagas)
        .values({ chargeId: null, failureDetails: null, lastError: null, ...saga, items: serializeLines(saga.items) })
        .onConflictDoNothing()
        .returning(),
    );
    if (inserted) return { saga: parseSagaRow(inserted), isNew: true };
    const existing = saga.idempotencyKey === null ? null : await findSagaByKey(database, saga.userId, saga.idempotencyKey);
    if (existing) return { saga: existing, isNew: false };
  }
  throw new Error(`checkout ${saga.orderId} kept conflicting with a saga that cannot be found`);
}

export async function findSaga({ db, tables: { checkoutSagas } }: OrdersDb, orderId: string): Promise<Saga | null> {
  const [row] = await db.select().from(checkoutSagas).where(eq(checkoutSagas.orderId, orderId));
  return row ? parseSagaRow(row) : null;
}

export async function findSagaByKey(
  { db, tables: { checkoutSagas } }: OrdersDb,
  userId: string,
  idempotencyKey: string,
): Promise<Saga | null> {
  const [row] = await db
    .select()
    .from(checkoutSagas)
    .where(and(eq(checkoutSagas.userId, userId), eq(checkoutSagas.idempotencyKey, idempotencyKey)));
  return row ? parseSagaRow(row) : null;
}

/**
 * Takes the lease of an unfinished saga nobody holds (or whose holder's lease ran out: it crashed or
 * hangs). With `dueOnly`, only when its next attempt is due (the recovery loop); a client's retry
 * does not wait for the backoff. Returns the saga as claimed, or null when someone else has it.
 */
export async function claimSaga(
  database: OrdersDatabase,
  { orderId, owner, now, leaseMs, dueOnly }: { orderId: string; owner: string; now: Date; leaseMs: number; dueOnly: boolean },
): Promise<Saga | null> {
  const [row] = await database.transaction(async ({ db, tables: { checkoutSagas } }) =>
    db
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
      .returning(),
  );
  return row ? parseSagaRow(row) : null;
}

/** Who may change a saga: the driver holding its lease, while the saga is still at the step it read. */
export interface SagaHold {
  orderId: string;
  owner: string;
  step: SagaStep;
}

/**
 * Moves a saga the caller holds, applying `change` and, in the same transaction, `effects` (the
 * order rows the step writes). Renews the lease. Returns the saga as changed, or null when the saga
 * is no longer at its step or no longer the caller's: it must stop driving it.
 */
export async function changeSaga(
  database: OrdersDatabase,
  { orderId, owner, step }: SagaHold,
  {
    change,
    now,
    leaseMs,
    effects,
  }: { change: SagaChange; now: Date; leaseMs: number; effects?: (tx: OrdersDb) => Promise<void> },
): Promise<Saga | null> {
  return database.transaction(async (tx) => {
    const { checkoutSagas } = tx.tables;
    const [row] = await tx.db
      .update(checkoutSagas)
      .set({ ...toRowChange(change), updatedAt: now, leaseUntil: new Date(now.getTime() + leaseMs) })
      .where(and(eq(checkoutSagas.orderId, orderId), eq(checkoutSagas.step, step), eq(checkoutSagas.leaseOwner, owner)))
      .returning();
    if (!row) return null;
    await effects?.(tx);
    return parseSagaRow(row);
  });
}

/** Records a retryable failure at the current step and gives up the lease until the next attempt. */
export async function scheduleRetry(
  database: OrdersDatabase,
  { orderId, owner, step }: SagaHold,
  retry: { nextAttemptAt: Date; attempts: number; lastError: string },
): Promise<Saga | null> {
  const [row] = await database.transaction(async ({ db, tables: { checkoutSagas } }) =>
    db
      .update(checkoutSagas)
      .set({ ...retry, leaseOwner: null, leaseUntil: null })
      .where(and(eq(checkoutSagas.orderId, orderId), eq(checkoutSagas.step, step), eq(checkoutSagas.leaseOwner, owner)))
      .returning(),
  );
  return row ? parseSagaRow(row) : null;
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

export interface CancellationStart {
  order: OrderRow;
  reason: 'CANCELLED_BY_CUSTOMER' | 'CANCELLED_BY_ADMIN';
  owner: string;
  now: Date;
  leaseMs: number;
  /** The cancelling request's traceparent (null with tracing off) and id: recovery of the cancellation links to it. */
  traceParent: string | null;
  requestId: string;
}

/**
 * Turns a confirmed order's saga into its cancellation (COMPENSATING, held by `owner`), creating
 * one for an order placed without a saga (the demo data: nothing was reserved or charged through
 * checkout). When the order is already being cancelled, returns that saga, not owned.
 */
export async function startCancellation(
  database: OrdersDatabase,
  start: CancellationStart,
): Promise<{ saga: Saga; isOwned: boolean }> {
  const started = await database.transaction(
    async (tx) => (await turnSagaAround(tx, start)) ?? (await insertCancellationSaga(tx, start)),
  );
  if (started) return { saga: parseSagaRow(started), isOwned: true };
  const existing = await findSaga(database, start.order.id);
  if (!existing) throw new Error(`order ${start.order.id} has a saga that cannot be found`);
  return { saga: existing, isOwned: false };
}

/** What a cancellation sets on the saga it starts or turns around. */
function cancellationColumns({ reason, owner, now, leaseMs, traceParent, requestId }: CancellationStart) {
  return {
    step: 'COMPENSATING',
    failureCode: reason,
    failureDetails: '{}',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    leaseOwner: owner,
    leaseUntil: new Date(now.getTime() + leaseMs),
    traceParent,
    requestId,
    // The backlog's age and deadline count from here, not from the checkout long ago.
    phaseStartedAt: now,
    updatedAt: now,
  } as const;
}

async function turnSagaAround({ db, tables: { checkoutSagas } }: OrdersDb, start: CancellationStart) {
  const [updated] = await db
    .update(checkoutSagas)
    .set(cancellationColumns(start))
    .where(and(eq(checkoutSagas.orderId, start.order.id), eq(checkoutSagas.step, 'CONFIRMED')))
    .returning();
  return updated ?? null;
}

/** No saga to turn around: the order was placed without one. Its lines are what would be released. */
async function insertCancellationSaga(tx: OrdersDb, start: CancellationStart) {
  const { order, now } = start;
  const lines = (await findItemsByOrderIds(tx, [order.id])).get(order.id) ?? [];
  const [inserted] = await tx.db
    .insert(tx.tables.checkoutSagas)
    .values({
      ...cancellationColumns(start),
      orderId: order.id,
      userId: order.userId,
      idempotencyKey: null,
      requestHash: null,
      items: serializeLines(lines),
      paymentToken: null,
      paymentState: 'NONE',
      chargeId: null,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning();
  return inserted ?? null;
}

/**
 * What the checkout funnel's gauges show: sagas not at a final step, when the oldest of them entered
 * its current run (phaseStartedAt: the checkout's start, or a cancellation's), and how many are past the deadline.
 */
export interface SagaBacklog {
  pending: number;
  oldestPhaseStartedAt: Date | null;
  pastDeadline: number;
}

/**
 * Reads the backlog in one statement: unfinished sagas, and those whose current run started before
 * `deadlineCutoff`. Measured from phaseStartedAt, not createdAt: cancelling a week-old order is a
 * fresh run, not a checkout stuck for a week.
 */
export async function readSagaBacklog(
  { db, tables: { checkoutSagas } }: OrdersDb,
  { deadlineCutoff }: { deadlineCutoff: Date },
): Promise<SagaBacklog> {
  const [row] = await db
    .select({
      pending: count(),
      oldestPhaseStartedAt: min(checkoutSagas.phaseStartedAt),
      pastDeadline: sql<number>`count(case when ${lt(checkoutSagas.phaseStartedAt, deadlineCutoff)} then 1 end)`.mapWith(Number),
    })
    .from(checkoutSagas)
    .where(inArray(checkoutSagas.step, [...ACTIVE_SAGA_STEPS]));
  return {
    pending: row?.pending ?? 0,
    oldestPhaseStartedAt: row?.oldestPhaseStartedAt ?? null,
    pastDeadline: row?.pastDeadline ?? 0,
  };
}
