import type { PaymentState } from '../../db/tables/index.js';
import type { SagaDependencies } from '../dependencies.js';
import type { Saga } from '../saga-record.js';
import { toInventoryFailure, type CompensateOutcome } from '../step-outcomes.js';
import { refundInFull, refundOpenCharges } from './refund.js';

type MoneyOutcome = { kind: 'settled'; paymentState: PaymentState } | { kind: 'pending'; reason: string; delayMs?: number };

/**
 * COMPENSATING: gives back what the saga took, money first, then stock. One pass does one of the
 * two: when the money step learns something new, that is recorded before the stock is touched.
 */
export async function runCompensate(deps: SagaDependencies, saga: Saga): Promise<CompensateOutcome> {
  const step = 'COMPENSATING';
  const money = await settlePayment(deps, saga);
  if (money.kind === 'pending') {
    const { reason, delayMs } = money;
    return { step, kind: 'no-answer', reason, ...(delayMs === undefined ? {} : { delayMs }) };
  }
  if (money.paymentState !== saga.paymentState) return { step, kind: 'payment-settled', paymentState: money.paymentState };
  const released = await deps.inventory.release(saga.orderId);
  switch (released.status) {
    case 'released':
      deps.metrics?.compensations.inc({ action: 'release_stock' });
      return { step, kind: 'stock-released', found: true };
    case 'not_found':
      return { step, kind: 'stock-released', found: false };
    case 'invalid':
    case 'unavailable':
      return { step, ...toInventoryFailure(released) };
  }
}

/**
 * Makes sure the customer keeps no charge for this order: refunds a captured one, and for an
 * unknown outcome asks the provider which charges it holds (once the settle time has passed).
 */
async function settlePayment(deps: SagaDependencies, saga: Saga): Promise<MoneyOutcome> {
  const { orderId, paymentState, chargeId } = saga;
  if (paymentState === 'CAPTURED' && chargeId !== null) {
    const refunded = await refundInFull(deps, orderId, chargeId);
    return refunded === true ? { kind: 'settled', paymentState: 'REFUNDED' } : { kind: 'pending', reason: refunded };
  }
  if (paymentState !== 'UNKNOWN') return { kind: 'settled', paymentState };
  const now = deps.now();
  if (saga.nextAttemptAt > now) {
    const delayMs = saga.nextAttemptAt.getTime() - now.getTime();
    return { kind: 'pending', reason: 'waiting for charges in flight to settle', delayMs };
  }
  const refunded = await refundOpenCharges(deps, orderId);
  if ('pending' in refunded) return { kind: 'pending', reason: refunded.pending };
  return { kind: 'settled', paymentState: refunded.refundedAny ? 'REFUNDED' : 'NONE' };
}
