import { startBackgroundTask } from '@supergraph/server-kit/http';
import type { Logger } from '@supergraph/server-kit/telemetry';
import type { ProductsDatabase } from '../db/client.js';
import type { InventoryMetrics } from './metrics.js';
import { findExpiredReservationOrderIds, findReservationLines } from './reservation-store.js';
import { releaseLines } from './reservation-service.js';

/** Orders a sweep releases per batch. */
const SWEEP_BATCH_SIZE = 100;
/** Batches one sweep runs at most before yielding until the next tick. */
const MAX_BATCHES_PER_SWEEP = 50;

export interface ReleaseExpiredResult {
  /** Orders whose reservation this call released (and restocked). */
  releasedOrderIds: string[];
  /** Orders whose release failed (a Postgres deadlock, say); the next sweep tries them again. */
  failures: { orderId: string; error: unknown }[];
  /** True when the batch was full, so more expired reservations may be waiting. */
  hasMore: boolean;
}

/**
 * Releases up to `limit` orders' reservations that are still RESERVED and expired by `now`, putting
 * their stock back, each order in its own short transaction. Safe to run beside commits and
 * releases (and other sweeps): each release is a conditional update on status and expiry, so an
 * order committed or released meanwhile is left alone and stock returns exactly once.
 */
export async function releaseExpiredReservations(
  database: ProductsDatabase,
  { now, limit }: { now: Date; limit: number },
): Promise<ReleaseExpiredResult> {
  const orderIds = await findExpiredReservationOrderIds(database, { now, limit });
  const result: ReleaseExpiredResult = { releasedOrderIds: [], failures: [], hasMore: orderIds.length === limit };
  for (const orderId of orderIds) {
    try {
      if (await releaseExpiredReservation(database, orderId, now)) result.releasedOrderIds.push(orderId);
    } catch (error) {
      // One order's failure must not hold back the others behind it.
      result.failures.push({ orderId, error });
    }
  }
  return result;
}

async function releaseExpiredReservation(database: ProductsDatabase, orderId: string, now: Date): Promise<boolean> {
  return database.transaction(async (tx) => {
    const released = await releaseLines(tx, { orderId, from: ['RESERVED'], now, expiredBy: now });
    if (released === 0) return false;
    // Every line of an order shares one status: if a commit took some of its lines first, undo this release.
    const lines = await findReservationLines(tx, orderId);
    if (lines.some((line) => line.status !== 'RELEASED')) throw new Error(`reservation ${orderId} was committed while expiring`);
    return true;
  });
}

export interface ReservationSweepOptions {
  /** Pause between two sweeps, in milliseconds (RESERVATION_SWEEP_INTERVAL_MS). */
  intervalMs: number;
  logger: Logger;
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
  /** Counts the reservations released (inventory_reservations_expired_total), when given. */
  metrics?: InventoryMetrics;
}

export interface ReservationSweep {
  /** Stops the timer and waits for a sweep in progress, so the database can close after it. */
  stop(): Promise<void>;
}

/**
 * Runs the expiry sweep in the background: once at start (reservations may have expired while the
 * service was down), then `intervalMs` after each sweep ends, so two never overlap in one process.
 * A failing sweep is logged and retried at the next tick. The timer does not keep the process alive.
 */
export function startReservationSweep(
  database: ProductsDatabase,
  { intervalMs, logger, now = () => new Date(), metrics }: ReservationSweepOptions,
): ReservationSweep {
  const sweep = async (isStopped: () => boolean) => {
    let released = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP && !isStopped(); batch++) {
      const result = await releaseExpiredReservations(database, { now: now(), limit: SWEEP_BATCH_SIZE });
      released += result.releasedOrderIds.length;
      metrics?.expired.inc(result.releasedOrderIds.length);
      for (const { orderId, error } of result.failures) {
        logger.warn({ err: error, orderId }, 'could not release an expired stock reservation; the next sweep retries');
      }
      if (!result.hasMore) break;
    }
    if (released > 0) logger.info({ released }, `released ${released} expired stock reservations`);
  };
  return startBackgroundTask(sweep, { intervalMs, logger, failureMessage: 'stock reservation expiry sweep failed' });
}
