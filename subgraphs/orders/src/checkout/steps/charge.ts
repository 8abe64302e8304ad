import type { OrderRow } from '../../db/tables/index.js';
import type { SagaDependencies } from '../dependencies.js';
import type { Saga } from '../saga-record.js';
import type { ChargeOutcome } from '../step-outcomes.js';
import { isPastDeadline } from '../transition.js';

/** The provider's idempotency key of an order's charge: every attempt is the same charge. */
export const chargeKey = (orderId: string) => `order:${orderId}:charge`;

/** CHARGING: charges the order's total through the payment provider (idempotent per order). */
export async function runCharge(deps: SagaDependencies, saga: Saga, order: OrderRow | null): Promise<ChargeOutcome> {
  const step = 'CHARGING';
  const { orderId, paymentToken } = saga;
  if (isPastDeadline(saga, deps.now(), deps.timing) || paymentToken === null) return { step, kind: 'cannot-charge' };
  if (!order) throw new Error(`checkout ${orderId} is CHARGING without an order`);
  const result = await deps.payments.charge({
    orderId,
    amountMinor: order.totalMinor,
    currency: order.currency,
    paymentToken,
    idempotencyKey: chargeKey(orderId),
    description: `Order ${orderId}`,
  });
  switch (result.status) {
    case 'succeeded':
      deps.crash('payment-captured-answered');
      return { step, kind: 'charged', chargeId: result.charge.id };
    case 'declined':
      deps.crash('payment-declined-answered');
      return { step, kind: 'declined', declineCode: result.declineCode, message: result.message };
    case 'invalid':
      return result.reason === 'invalid_payment_token'
        ? { step, kind: 'token-invalid' }
        : { step, kind: 'payment-refused', reason: result.reason, message: result.message };
    case 'unavailable':
      return { step, kind: 'no-answer', reason: result.message };
  }
}
