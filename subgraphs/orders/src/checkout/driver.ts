import type { OrdersDb } from '../db/client.js';
import { runWithRequestId } from '../clients/call-scope.js';
import { ACTIVE_SAGA_STEPS, FINAL_SAGA_STEPS, type OrderRow, type SagaStep } from '../db/tables/index.js';
import { changeOrderStatus, findOrdersByIds, insertPendingOrder } from '../orders/order-store.js';
import type { DriverMode, SagaDependencies } from './dependencies.js';
import type { Saga } from './saga-record.js';
import { traceStep, type StepReport } from './saga-tracing.js';
import { changeSaga, scheduleRetry, type SagaHold } from './saga-store.js';
import type { StepOutcome } from './step-outcomes.js';
import { runCharge } from './steps/charge.js';
import { runCommit } from './steps/commit.js';
import { runCompensate } from './steps/compensate.js';
import { runReserve } from './steps/reserve.js';
import { decideNext, type LogLine, type NextChange, type OrderWrite } from './transition.js';

// Drives the checkout saga (DESIGN.md "Checkout"): load the saga, run its step's remote call,
// ask the transition for the next change, persist it, and again. Each step's outcome is recorded
// before the next step starts, and every remote call is idempotent per order, so a driver that
// crashed anywhere can be replaced by another that repeats the step it was in: the remote side
// answers with what it did the first time.

type Driven =
  /** The step's change is recorded; take the next step. */
  | { kind: 'moved'; saga: Saga }
  /** The step must be tried again later; a retry is scheduled and the lease given up. */
  | { kind: 'wait'; saga: Saga }
  /** Another driver has the saga now (or it moved under us): stop. */
  | { kind: 'lost' };

/**
 * Drives a saga the caller holds the lease of (`owner`) as far as it can go now: to a final step, to
 * a step that must wait for a retry (scheduled, lease given up), until another driver took it over,
 * or, after its first step, until `canStartStep` says no (a request out of time: the recovery loop
 * goes on once the caller gives the lease back). Returns the saga as it was left. Throws only for a
 * failure of the orders database itself; the lease then runs out and the recovery loop takes over.
 *
 * `requestId` is the id of the request the driver works for (the customer's, or for a recovery pass
 * the one stored with the saga): its log lines carry it as `reqId`, and its calls to products and the
 * payment provider send it as x-request-id. Each step is a span `checkout.<step>` when tracing is on.
 */
export async function driveSaga(
  deps: SagaDependencies,
  claimed: Saga,
  {
    owner,
    mode,
    canStartStep = () => true,
    requestId = null,
  }: { owner: string; mode: DriverMode; canStartStep?: () => boolean; requestId?: string | null },
): Promise<Saga> {
  const driver = requestId === null ? deps : { ...deps, logger: deps.logger.child({ reqId: requestId }) };
  return runWithRequestId(requestId, async () => {
    let saga = claimed;
    for (let steps = 0; isActive(saga.step); steps++) {
      if (steps > 0 && !canStartStep()) return saga;
      const current = saga;
      const driven = await traceStep(current, () => takeStep(driver, current, { owner, mode }));
      if (driven.kind === 'lost') return saga;
      saga = driven.saga;
      if (driven.kind === 'wait') return saga;
    }
    return saga;
  });
}

/** One step: run its remote call, decide the next change, and record it (or schedule a retry). */
async function takeStep(
  deps: SagaDependencies,
  saga: Saga,
  { owner, mode }: { owner: string; mode: DriverMode },
): Promise<{ result: Driven; report: StepReport }> {
  const order = await loadOrderOf(deps, saga);
  const outcome = await runStep(deps, saga, order);
  const now = deps.now();
  const next = decideNext({ saga, hasOrder: order !== null }, outcome, { now, timing: deps.timing, mode });
  const hold = { orderId: saga.orderId, owner, step: saga.step };
  const driven = next.kind === 'retry' ? await waitForRetry(deps, hold, next, now) : await record(deps, hold, next, now);
  return {
    result: driven,
    report: { outcome: outcome.kind, ...(driven.kind === 'lost' ? {} : { nextStep: driven.saga.step }) },
  };
}

function isActive(step: SagaStep): boolean {
  return (ACTIVE_SAGA_STEPS as readonly SagaStep[]).includes(step);
}

/** The order rows exist from the reservation on; charging prices from them, compensation asks whether they exist. */
async function loadOrderOf({ database }: SagaDependencies, saga: Saga): Promise<OrderRow | null> {
  if (saga.step !== 'CHARGING' && saga.step !== 'COMPENSATING') return null;
  const [order] = await findOrdersByIds(database, [saga.orderId]);
  return order ?? null;
}

function runStep(deps: SagaDependencies, saga: Saga, order: OrderRow | null): Promise<StepOutcome> {
  switch (saga.step) {
    case 'RESERVING':
      return runReserve(deps, saga);
    case 'CHARGING':
      return runCharge(deps, saga, order);
    case 'COMMITTING':
      return runCommit(deps, saga);
    default:
      return runCompensate(deps, saga);
  }
}

async function record(
  deps: SagaDependencies,
  hold: SagaHold,
  next: Extract<NextChange, { kind: 'record' }>,
  now: Date,
): Promise<Driven> {
  const { orderWrite } = next;
  if (next.crashBefore) deps.crash(next.crashBefore);
  const changed = await changeSaga(deps.database, hold, {
    change: next.change,
    now,
    leaseMs: deps.timing.leaseMs,
    ...(orderWrite ? { effects: (tx: OrdersDb) => writeOrder(tx, hold.orderId, orderWrite, now) } : {}),
  });
  if (next.crashAfter) deps.crash(next.crashAfter);
  if (!changed) return lose(deps, hold);
  if (FINAL_SAGA_STEPS.includes(changed.step)) {
    deps.metrics?.finished.inc({ outcome: changed.step, reason: changed.failureCode ?? 'none' });
  }
  writeLogs(deps, next.logs);
  return { kind: 'moved', saga: changed };
}

async function waitForRetry(
  deps: SagaDependencies,
  hold: SagaHold,
  next: Extract<NextChange, { kind: 'retry' }>,
  now: Date,
): Promise<Driven> {
  const { attempts, delayMs, lastError } = next;
  writeLogs(deps, next.logs);
  deps.logger.warn(
    { orderId: hold.orderId, step: hold.step, attempts, retryInMs: delayMs, reason: lastError },
    'checkout step will be retried',
  );
  const nextAttemptAt = new Date(now.getTime() + delayMs);
  const scheduled = await scheduleRetry(deps.database, hold, { attempts, nextAttemptAt, lastError });
  if (!scheduled) return lose(deps, hold);
  deps.metrics?.retries.inc({ step: hold.step });
  return { kind: 'wait', saga: scheduled };
}

function lose(deps: SagaDependencies, { orderId, step }: SagaHold): Driven {
  deps.logger.warn({ orderId, step }, 'checkout saga changed hands; this driver stops');
  return { kind: 'lost' };
}

function writeOrder(tx: OrdersDb, orderId: string, write: OrderWrite, now: Date): Promise<void> {
  return write.kind === 'insert-pending'
    ? insertPendingOrder(tx, write.order, now)
    : changeOrderStatus(tx, { orderId, status: write.status, reason: write.reason, now });
}

function writeLogs({ logger }: SagaDependencies, logs: readonly LogLine[]): void {
  for (const { level, fields, message } of logs) logger[level](fields, message);
}
