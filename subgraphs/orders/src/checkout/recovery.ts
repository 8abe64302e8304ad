import { randomUUID } from 'node:crypto';
import { startBackgroundTask } from '@supergraph/server-kit/http';
import type { Logger } from '@supergraph/server-kit/telemetry';
import type { SagaDependencies } from './dependencies.js';
import { driveSaga } from './driver.js';
import { createKeyPurge } from './idempotency-keys.js';
import { checkLateCharges } from './late-charges.js';
import { claimSaga, findDueSagaIds, releaseLease } from './saga-store.js';
import { traceRecovery } from './saga-tracing.js';

/** Sagas one pass takes at most, and how many it drives at once. */
const BATCH_SIZE = 20;
const CONCURRENCY = 4;

export interface RecoveryOptions {
  /** Pause between two passes (CHECKOUT_RECOVERY_INTERVAL_MS). */
  intervalMs: number;
  /** How long idempotency keys are kept (IDEMPOTENCY_KEY_RETENTION_HOURS). */
  idempotencyRetentionMs: number;
}

export interface RecoveryLoop {
  /** One pass now: frees expired keys, then drives every due saga as far as it goes. */
  runOnce(): Promise<{ driven: number }>;
  /** Stops the timer and waits for a pass in progress, so the database can close after it. */
  stop(): Promise<void>;
}

/**
 * The recovery loop: finishes or compensates every saga left half-way, by a crash (its lease ran
 * out), a timeout or an outage (its retry is due). It runs once at start, since sagas may have been
 * interrupted by the stop that preceded it, then `intervalMs` after each pass ends. Several
 * processes may run it: a saga is driven only by whoever claims its lease.
 */
export function startRecoveryLoop(deps: SagaDependencies, options: RecoveryOptions): RecoveryLoop {
  const { runOnce } = createRecovery(deps, options);
  const task = startBackgroundTask(runOnce, {
    intervalMs: options.intervalMs,
    logger: deps.logger,
    failureMessage: 'checkout recovery pass failed',
  });
  return { runOnce: () => runOnce(), stop: () => task.stop() };
}

/**
 * Recovery passes without a timer (tests drive them); `isStopped`, which the background task
 * passes, ends a pass early between batches.
 */
export function createRecovery(
  deps: SagaDependencies,
  { idempotencyRetentionMs }: Pick<RecoveryOptions, 'idempotencyRetentionMs'>,
): { runOnce: (isStopped?: () => boolean) => Promise<{ driven: number }> } {
  const logger: Logger = deps.logger;
  const purgeExpiredKeys = createKeyPurge(deps.database, logger, idempotencyRetentionMs);

  async function recover(orderId: string): Promise<boolean> {
    const owner = randomUUID();
    const claimed = await claimSaga(deps.database, {
      orderId,
      owner,
      now: deps.now(),
      leaseMs: deps.timing.leaseMs,
      dueOnly: true,
    });
    if (!claimed) return false;
    // The pass works for the request that started the saga: its log lines and calls carry that id,
    // and its trace links back to that request's.
    const { requestId } = claimed;
    const sagaLogger = requestId === null ? logger : logger.child({ reqId: requestId });
    await traceRecovery(claimed, async () => {
      sagaLogger.info({ orderId, step: claimed.step, attempts: claimed.attempts }, 'recovering checkout saga');
      try {
        const saga = await driveSaga(deps, claimed, { owner, mode: 'recovery', requestId });
        sagaLogger.info({ orderId, step: saga.step }, 'checkout saga recovery pass done');
      } finally {
        await releaseLease(deps.database, { orderId, owner });
      }
    });
    return true;
  }

  async function runOnce(isStopped: () => boolean = () => false): Promise<{ driven: number }> {
    const now = deps.now();
    await purgeExpiredKeys(now);
    const due = await findDueSagaIds(deps.database, { now, limit: BATCH_SIZE });
    let driven = 0;
    for (let i = 0; i < due.length && !isStopped(); i += CONCURRENCY) {
      const results = await Promise.allSettled(due.slice(i, i + CONCURRENCY).map(recover));
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') driven += result.value ? 1 : 0;
        else
          logger.error({ err: result.reason, orderId: due[i + index] }, 'checkout saga recovery failed; the next pass retries');
      });
    }
    if (!isStopped()) await checkLateCharges(deps, { now: deps.now(), limit: BATCH_SIZE });
    return { driven };
  }

  return { runOnce };
}
