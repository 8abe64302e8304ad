import type { SagaDependencies } from '../dependencies.js';

/** The provider's idempotency key of an order's refund of one charge: a repeat refunds nothing twice. */
export const refundKey = (orderId: string, chargeId: string) => `order:${orderId}:refund:${chargeId}`;

/** Refunds a charge in full; true when it is (or already was) refunded, else why not yet. */
export async function refundInFull(deps: SagaDependencies, orderId: string, chargeId: string): Promise<true | string> {
  const result = await deps.payments.refund({ chargeId, idempotencyKey: refundKey(orderId, chargeId) });
  if (result.status === 'succeeded') {
    deps.crash('payment-refunded-answered');
    deps.metrics?.compensations.inc({ action: 'refund' });
    deps.logger.info({ orderId, chargeId, refundId: result.refund.id }, 'charge refunded');
    return true;
  }
  if (result.status === 'unavailable') return result.message;
  if (result.reason === 'charge_already_refunded' || result.reason === 'charge_not_refundable') return true;
  deps.logger.error(
    { orderId, chargeId, reason: result.reason, message: result.message },
    'the payment provider refused a refund',
  );
  return `${result.reason}: ${result.message}`;
}

/**
 * Refunds every charge the provider holds for the order that succeeded and is not refunded yet.
 * True when none is left; otherwise why not (the provider could not list or refund).
 */
export async function refundOpenCharges(
  deps: SagaDependencies,
  orderId: string,
  { onFound }: { onFound?: (chargeId: string) => void } = {},
): Promise<{ refundedAny: boolean } | { pending: string }> {
  const found = await deps.payments.findChargesForOrder(orderId);
  if (found.status !== 'succeeded') return { pending: found.message };
  let refundedAny = false;
  for (const charge of found.charges) {
    if (charge.status !== 'succeeded' || charge.isRefunded) continue;
    onFound?.(charge.id);
    const refunded = await refundInFull(deps, orderId, charge.id);
    if (refunded !== true) return { pending: refunded };
    refundedAny = true;
  }
  return { refundedAny };
}
