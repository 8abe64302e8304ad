import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { OrdersDatabase, OrdersDb } from '../db/client.js';
import { FINAL_SAGA_STEPS } from '../db/tables/index.js';
import { runWithRequestId } from '../clients/call-scope.js';
import type { SagaDependencies } from './dependencies.js';
import { traceLateChargeCheck } from './saga-tracing.js';
import { refundOpenCharges } from './steps/refund.js';

// The late-charge check of an ended saga (see SagaTiming.lateChargeCheckMs): a charge whose outcome
// was unknown may reach the provider after compensation looked; the recovery loop asks once more
// and refunds what it finds.

/** When the provider cannot answer a late-charge check, it is tried again this much later. */
const LATE_CHARGE_RETRY_MS = 60_000;

/** Ended sagas whose late-charge check is due, oldest first. */
export async function findLateChargeChecksDue(
  { db, tables: { checkoutSagas } }: OrdersDb,
  { now, limit }: { now: Date; limit: number },
): Promise<{ orderId: string; lateChargeCheckAt: Date; requestId: string | null; traceParent: string | null }[]> {
  const rows = await db
    .select({
      orderId: checkoutSagas.orderId,
      lateChargeCheckAt: checkoutSagas.lateChargeCheckAt,
      requestId: checkoutSagas.requestId,
      traceParent: checkoutSagas.traceParent,
    })
    .from(checkoutSagas)
    .where(and(lte(checkoutSagas.lateChargeCheckAt, now), inArray(checkoutSagas.step, [...FINAL_SAGA_STEPS])))
    .orderBy(asc(checkoutSagas.lateChargeCheckAt))
    .limit(limit);
  return rows.flatMap(({ lateChargeCheckAt, ...row }) => (lateChargeCheckAt ? [{ ...row, lateChargeCheckAt }] : []));
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

/**
 * Refunds every charge the provider now holds for the order that succeeded and is not refunded.
 * True when done; false when the provider could not answer or refund (the caller tries again later).
 */
export async function refundLateCharges(deps: SagaDependencies, orderId: string): Promise<boolean> {
  const result = await refundOpenCharges(deps, orderId, {
    onFound: (chargeId) =>
      deps.logger.warn({ orderId, chargeId }, 'a charge reached the provider after its checkout had ended; refunding it'),
  });
  return !('pending' in result);
}

/** The late-charge checks that are due; one the provider cannot answer is tried again a minute later. */
export async function checkLateCharges(deps: SagaDependencies, { now, limit }: { now: Date; limit: number }): Promise<void> {
  const due = await findLateChargeChecksDue(deps.database, { now, limit });
  for (const { orderId, lateChargeCheckAt, requestId, traceParent } of due) {
    try {
      // Like a recovery pass, the check works for the checkout's request: its lines and calls carry
      // that id, and its trace links to that request's.
      const checker = requestId === null ? deps : { ...deps, logger: deps.logger.child({ reqId: requestId }) };
      await traceLateChargeCheck({ orderId, traceParent }, async () => {
        const isDone = await runWithRequestId(requestId, () => refundLateCharges(checker, orderId));
        const to = isDone ? null : new Date(now.getTime() + LATE_CHARGE_RETRY_MS);
        await rescheduleLateChargeCheck(deps.database, { orderId, from: lateChargeCheckAt, to });
      });
    } catch (error) {
      deps.logger.error({ err: error, orderId }, 'late-charge check failed; the next pass retries');
    }
  }
}
