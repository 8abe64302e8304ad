import { and, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Logger } from '@supergraph/server-kit/telemetry';
import type { OrdersDatabase } from '../db/client.js';
import { FINAL_SAGA_STEPS } from '../db/tables/index.js';

/** How often the recovery loop frees expired idempotency keys, and how many at most each time. */
const KEY_PURGE_INTERVAL_MS = 60_000;
const KEY_PURGE_BATCH = 500;

/**
 * Frees the idempotency keys of up to `limit` finished sagas that ended before `endedBefore`: a
 * retry with such a key is a new checkout. The sagas themselves stay, as the record of what happened.
 * Returns how many keys it freed (a full batch means there may be more).
 */
export async function forgetIdempotencyKeys(
  database: OrdersDatabase,
  { endedBefore, limit }: { endedBefore: Date; limit: number },
): Promise<number> {
  const { checkoutSagas } = database.tables;
  const expired = await database.db
    .select({ orderId: checkoutSagas.orderId })
    .from(checkoutSagas)
    .where(
      and(
        isNotNull(checkoutSagas.idempotencyKey),
        lt(checkoutSagas.updatedAt, endedBefore),
        inArray(checkoutSagas.step, [...FINAL_SAGA_STEPS]),
      ),
    )
    .limit(limit);
  if (expired.length === 0) return 0;
  return database.transaction(async ({ db, tables }) => {
    const rows = await db
      .update(tables.checkoutSagas)
      .set({ idempotencyKey: null, requestHash: null })
      .where(
        and(
          inArray(
            tables.checkoutSagas.orderId,
            expired.map((row) => row.orderId),
          ),
          inArray(tables.checkoutSagas.step, [...FINAL_SAGA_STEPS]),
        ),
      )
      .returning({ orderId: tables.checkoutSagas.orderId });
    return rows.length;
  });
}

/**
 * The recovery loop's key purge: at most once per KEY_PURGE_INTERVAL_MS, frees one batch of keys
 * older than `retentionMs`. Housekeeping must not hold recovery back: a failure is logged and tried
 * at the next purge.
 */
export function createKeyPurge(database: OrdersDatabase, logger: Logger, retentionMs: number) {
  let lastPurge: Date | undefined;
  return async function purgeExpiredKeys(now: Date): Promise<void> {
    if (lastPurge !== undefined && now.getTime() - lastPurge.getTime() < KEY_PURGE_INTERVAL_MS) return;
    lastPurge = now;
    try {
      const endedBefore = new Date(now.getTime() - retentionMs);
      const forgotten = await forgetIdempotencyKeys(database, { endedBefore, limit: KEY_PURGE_BATCH });
      if (forgotten > 0) logger.info({ forgotten }, `freed ${forgotten} expired idempotency keys`);
    } catch (error) {
      logger.error({ err: error }, 'could not free expired idempotency keys; the next purge retries');
    }
  };
}
