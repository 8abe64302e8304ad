import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { FINAL_SAGA_STEPS, type OrderRow } from '../db/tables/index.js';
import { OrderInProgressError } from '../errors.js';
import type { DriverMode, SagaDependencies } from './dependencies.js';
import { driveSaga } from './driver.js';
import type { Saga } from './saga-record.js';
import { claimSaga, findSaga, releaseLease } from './saga-store.js';

/** How often a request waiting for another driver's saga looks again. */
const POLL_INTERVAL_MS = 100;

export interface RequestTiming {
  /**
   * How long a request waits for a saga another driver holds (a concurrent retry with the same key)
   * before answering ORDER_IN_PROGRESS (CHECKOUT_WAIT_MS). Below the router's subgraph timeout.
   */
  waitMs: number;
  /** The longest a saga step may take (the slowest remote call's deadline): a waiting request takes over only with this much time left. */
  stepBudgetMs: number;
}

/**
 * Drives a saga this request holds, starting a step only while one fits before `waitUntil` (on a
 * slow machine the request answers ORDER_IN_PROGRESS in time, never a router timeout, and recovery
 * finishes the saga), then gives the lease back whatever happened.
 */
async function drive(
  deps: SagaDependencies & RequestTiming,
  saga: Saga,
  { owner, mode, waitUntil, requestId }: { owner: string; mode: DriverMode; waitUntil: number; requestId: string },
): Promise<Saga> {
  const canStartStep = () => waitUntil - Date.now() >= deps.stepBudgetMs;
  try {
    return await driveSaga(deps, saga, { owner, mode, canStartStep, requestId });
  } finally {
    await releaseLease(deps.database, { orderId: saga.orderId, owner }).catch((error: unknown) =>
      deps.logger.error(
        { err: error, reqId: requestId, orderId: saga.orderId },
        'could not give up a checkout lease; it runs out on its own',
      ),
    );
  }
}

/**
 * Runs or waits for a saga until `answer` has an answer: drives it when this request holds it
 * (or can take it: a client's retry of a saga nobody is driving), otherwise polls while another
 * driver works, up to waitMs. A saga that must wait for a retry answers ORDER_IN_PROGRESS.
 * `requestId` is this request's: the steps it drives log it and send it on.
 */
export async function runToAnswer(
  deps: SagaDependencies & RequestTiming,
  first: Saga,
  { heldBy, requestId }: { heldBy: string | null; requestId: string },
  answer: (saga: Saga) => Promise<OrderRow | null>,
): Promise<OrderRow> {
  const waitUntil = Date.now() + deps.waitMs;
  let saga = first;
  let owner = heldBy;
  for (;;) {
    let isWaitingForRetry = false;
    if (owner !== null) {
      saga = await drive(deps, saga, { owner, mode: 'request', waitUntil, requestId });
      // Not final and no retry scheduled: another driver took the saga over; wait for it like for any other.
      isWaitingForRetry = saga.leaseOwner === null && saga.nextAttemptAt > deps.now();
      owner = null;
    }
    const result = await answer(saga);
    if (result) return result;
    if (isWaitingForRetry || Date.now() >= waitUntil) throw new OrderInProgressError({ orderId: saga.orderId });
    await sleep(POLL_INTERVAL_MS);
    saga = (await findSaga(deps.database, saga.orderId)) ?? saga;
    const claimed = await takeOverIfFree(deps, saga, waitUntil);
    if (claimed) ({ saga, owner } = claimed);
  }
}

/**
 * Takes the saga over only when nobody holds it and there is time for a step before the router
 * gives up on this request; otherwise the caller keeps reading (a read, not a write, per poll).
 */
async function takeOverIfFree(
  deps: SagaDependencies & RequestTiming,
  saga: Saga,
  waitUntil: number,
): Promise<{ saga: Saga; owner: string } | null> {
  const now = deps.now();
  const isFree = saga.leaseUntil === null || saga.leaseUntil < now;
  const hasTimeForAStep = waitUntil - Date.now() >= deps.stepBudgetMs;
  if (!isFree || !hasTimeForAStep || FINAL_SAGA_STEPS.includes(saga.step)) return null;
  const candidate = randomUUID();
  const claimed = await claimSaga(deps.database, {
    orderId: saga.orderId,
    owner: candidate,
    now,
    leaseMs: deps.timing.leaseMs,
    dueOnly: false,
  });
  return claimed ? { saga: claimed, owner: candidate } : null;
}
