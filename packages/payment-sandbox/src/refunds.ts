import { Router } from 'express';
import { z } from 'zod';
import { invalidRequest, resourceMissing } from './api-errors.js';
import type { IdempotencyKeys } from './idempotency.js';
import { idempotentEndpoint } from './idempotent-endpoint.js';
import { metadataParam } from './metadata.js';
import { createObjectId } from './object-ids.js';
import type { RefundRecord, SandboxStorage } from './storage.js';

export const refundParams = z.strictObject({
  charge: z.string({ error: 'must be the id of a charge' }).min(1).max(255),
  amount: z
    .number({ error: 'must be an integer amount in minor units' })
    .int('must be an integer amount in minor units')
    .positive('must be greater than 0')
    .optional(),
  metadata: metadataParam.optional(),
});

/** Stripe's refund object. */
export function toRefundObject(refund: RefundRecord) {
  return {
    id: refund.id,
    object: 'refund' as const,
    amount: refund.amount,
    charge: refund.chargeId,
    created: Math.floor(refund.createdAt / 1000),
    currency: refund.currency,
    metadata: refund.metadata,
    status: 'succeeded' as const,
  };
}

export interface RefundsRouterOptions {
  storage: SandboxStorage;
  keys: IdempotencyKeys;
  now: () => number;
  shutdown: AbortSignal;
}

/** POST /v1/refunds: refunds all that remains of a charge, or `amount` of it. */
export function createRefundsRouter({ storage, keys, now, shutdown }: RefundsRouterOptions): Router {
  const router = Router();
  router.post(
    '/',
    idempotentEndpoint({
      keys,
      params: refundParams,
      shutdown,
      // Refunds are immediate; the commit reads the charge inside the transaction that writes the refund.
      prepare:
        async (params, { log }) =>
        () => {
          const charge = storage.findCharge(params.charge);
          if (!charge) return resourceMissing('charge', params.charge, 'charge').toResponse();
          if (charge.status !== 'succeeded') {
            return invalidRequest(`Charge ${charge.id} failed; there is nothing to refund.`, {
              code: 'charge_not_refundable',
              param: 'charge',
            }).toResponse();
          }
          const remaining = charge.amount - charge.amountRefunded;
          if (remaining === 0) {
            return invalidRequest(`Charge ${charge.id} has already been refunded.`, {
              code: 'charge_already_refunded',
              param: 'charge',
            }).toResponse();
          }
          const amount = params.amount ?? remaining;
          if (amount > remaining) {
            return invalidRequest(
              `Refund amount (${amount}) is greater than the unrefunded amount on charge ${charge.id} (${remaining}).`,
              { code: 'amount_too_large', param: 'amount' },
            ).toResponse();
          }
          const refund: RefundRecord = {
            id: createObjectId('re'),
            chargeId: charge.id,
            amount,
            currency: charge.currency,
            metadata: params.metadata ?? {},
            createdAt: now(),
          };
          storage.insertRefund(refund);
          log.info({ refundId: refund.id, chargeId: charge.id, orderId: charge.metadata.orderId, amount }, 'refund succeeded');
          return { status: 200, body: toRefundObject(refund) };
        },
    }),
  );
  return router;
}
