import type { PaymentProvider } from '../src/clients/payment-provider.js';
import { noAnswer } from '../src/clients/json-call.js';

type PaymentCall = 'charge' | 'refund' | 'findChargesForOrder';

/**
 * The sandbox provider, recording each call the saga makes, with outages a test can script
 * (`failNext('refund')`): the call then answers `unavailable` without reaching the sandbox.
 */
export function createRecordingPayments(provider: PaymentProvider) {
  const calls: { call: PaymentCall; orderId?: string; chargeId?: string }[] = [];
  const outages: PaymentCall[] = [];
  const scriptedOutage = (call: PaymentCall) => {
    const index = outages.indexOf(call);
    if (index === -1) return null;
    outages.splice(index, 1);
    return noAnswer('unreachable', `${call}: scripted outage`);
  };
  const recorded: PaymentProvider = {
    async charge(request) {
      calls.push({ call: 'charge', orderId: request.orderId });
      return scriptedOutage('charge') ?? provider.charge(request);
    },
    async refund(request) {
      calls.push({ call: 'refund', chargeId: request.chargeId });
      return scriptedOutage('refund') ?? provider.refund(request);
    },
    async findChargesForOrder(orderId) {
      calls.push({ call: 'findChargesForOrder', orderId });
      return scriptedOutage('findChargesForOrder') ?? provider.findChargesForOrder(orderId);
    },
  };
  return {
    provider: recorded,
    calls,
    /** How many calls of a kind the saga made. */
    countOf: (call: PaymentCall) => calls.filter((entry) => entry.call === call).length,
    /** Makes the next calls of these kinds answer `unavailable`, once each. */
    failNext(...failing: PaymentCall[]) {
      outages.push(...failing);
    },
  };
}

export type RecordingPayments = ReturnType<typeof createRecordingPayments>;
