import { z } from 'zod';
import { callJson, isNoAnswer, noAnswer, type JsonAnswer } from './json-call.js';
import type {
  Charge,
  ChargeRequest,
  ChargeResult,
  FindChargesResult,
  InvalidRefundReason,
  PaymentProvider,
  PaymentProviderUnavailable,
  PaymentRequestInvalid,
  RefundRequest,
  RefundResult,
} from './payment-provider.js';

export interface SandboxPaymentProviderOptions {
  /** Where the payment sandbox listens, such as `http://localhost:4010`. */
  baseUrl: string;
  /** The sandbox's secret key, sent as `Authorization: Bearer <key>`. */
  secretKey: string;
  /**
   * Deadline of each call, from sending the request to reading the whole answer; past it the result
   * is `unavailable` with reason `timeout`. Default 10 000 ms.
   */
  timeoutMs?: number;
}

// The largest page the sandbox lists; an order has a handful of charges at most.
const LIST_LIMIT = 100;

const chargeObject = z.object({
  id: z.string(),
  amount: z.number().int(),
  amount_refunded: z.number().int(),
  currency: z.string(),
  status: z.enum(['succeeded', 'failed']),
  refunded: z.boolean(),
  created: z.number(),
  metadata: z.record(z.string(), z.string()),
});

const refundObject = z.object({
  id: z.string(),
  charge: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.literal('succeeded'),
});

const chargeList = z.object({ data: z.array(chargeObject) });

const errorBody = z.object({
  error: z.object({
    type: z.string(),
    code: z.string().optional(),
    decline_code: z.string().optional(),
    param: z.string().optional(),
    charge: z.string().optional(),
    message: z.string().optional(),
  }),
});

type ProviderError = z.output<typeof errorBody>['error'];

/** The provider's answer, or why there is none. */
type Answer = JsonAnswer | PaymentProviderUnavailable;

/**
 * The PaymentProvider of the payment sandbox (packages/payment-sandbox), over HTTP with Stripe's
 * API shapes: JSON bodies, `Idempotency-Key` on every write, a deadline on every call.
 */
export function createSandboxPaymentProvider({
  baseUrl,
  secretKey,
  timeoutMs = 10_000,
}: SandboxPaymentProviderOptions): PaymentProvider {
  const origin = baseUrl.replace(/\/+$/, '');

  const send: Send = (method, path, body, idempotencyKey) =>
    callJson({
      method,
      url: `${origin}${path}`,
      headers: {
        authorization: `Bearer ${secretKey}`,
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      body,
      timeoutMs,
    });

  return {
    charge: (request) => sendCharge(send, request),
    refund: (request) => sendRefund(send, request),
    findChargesForOrder: (orderId) => sendFindCharges(send, orderId),
  };
}

/** One call to the provider's API. */
type Send = (method: 'GET' | 'POST', path: string, body?: unknown, idempotencyKey?: string) => Promise<Answer>;

/** POST /v1/charges, its answer read as a ChargeResult. */
async function sendCharge(
  send: Send,
  { orderId, amountMinor, currency, paymentToken, idempotencyKey, description }: ChargeRequest,
): Promise<ChargeResult> {
  const answer = await send(
    'POST',
    '/v1/charges',
    {
      amount: amountMinor,
      currency: currency.toLowerCase(),
      source: paymentToken,
      metadata: { orderId },
      ...(description === undefined ? {} : { description }),
    },
    idempotencyKey,
  );
  if (isNoAnswer(answer)) return answer;
  if (answer.status === 200) {
    const charge = chargeObject.safeParse(answer.body);
    return charge.success ? { status: 'succeeded', charge: toCharge(charge.data) } : malformed('POST /v1/charges', answer);
  }
  const error = readError(answer);
  if (!error) return malformed('POST /v1/charges', answer);
  if (answer.status === 402 && error.type === 'card_error') {
    return {
      status: 'declined',
      code: 'PAYMENT_DECLINED',
      isRetryable: false,
      declineCode: error.decline_code ?? error.code ?? 'generic_decline',
      message: error.message ?? 'The card was declined.',
      chargeId: error.charge ?? null,
    };
  }
  const shared = classifyShared(answer.status, error);
  if (shared) return shared;
  if (error.type === 'idempotency_error') return invalid('idempotency_key_reused', error);
  const isBadToken =
    error.code === 'invalid_source' ||
    error.code === 'token_already_used' ||
    (error.code === 'resource_missing' && error.param === 'source');
  return invalid(isBadToken ? 'invalid_payment_token' : 'invalid_request', error);
}

/** POST /v1/refunds, its answer read as a RefundResult. */
async function sendRefund(send: Send, { chargeId, idempotencyKey, amountMinor }: RefundRequest): Promise<RefundResult> {
  const answer = await send(
    'POST',
    '/v1/refunds',
    { charge: chargeId, ...(amountMinor === undefined ? {} : { amount: amountMinor }) },
    idempotencyKey,
  );
  if (isNoAnswer(answer)) return answer;
  if (answer.status === 200) {
    const refund = refundObject.safeParse(answer.body);
    if (!refund.success) return malformed('POST /v1/refunds', answer);
    const { id, charge, amount, currency } = refund.data;
    return { status: 'succeeded', refund: { id, chargeId: charge, amountMinor: amount, currency: currency.toUpperCase() } };
  }
  const error = readError(answer);
  if (!error) return malformed('POST /v1/refunds', answer);
  const shared = classifyShared(answer.status, error);
  if (shared) return shared;
  if (error.type === 'idempotency_error') return invalid('idempotency_key_reused', error);
  const reasons: Record<string, InvalidRefundReason> = {
    resource_missing: 'charge_not_found',
    charge_already_refunded: 'charge_already_refunded',
    charge_not_refundable: 'charge_not_refundable',
    amount_too_large: 'refund_exceeds_charge',
  };
  return invalid(
    (error.code && Object.hasOwn(reasons, error.code) ? reasons[error.code] : undefined) ?? 'invalid_request',
    error,
  );
}

/** GET /v1/charges by the order id in their metadata, its answer read as a FindChargesResult. */
async function sendFindCharges(send: Send, orderId: string): Promise<FindChargesResult> {
  const query = new URLSearchParams({ 'metadata[orderId]': orderId, limit: String(LIST_LIMIT) });
  const answer = await send('GET', `/v1/charges?${query}`);
  if (isNoAnswer(answer)) return answer;
  if (answer.status === 200) {
    const list = chargeList.safeParse(answer.body);
    return list.success ? { status: 'succeeded', charges: list.data.data.map(toCharge) } : malformed('GET /v1/charges', answer);
  }
  const error = readError(answer);
  if (!error) return malformed('GET /v1/charges', answer);
  const shared = classifyShared(answer.status, error);
  if (shared) return shared;
  return invalid('invalid_request', error);
}

function toCharge(charge: z.output<typeof chargeObject>): Charge {
  return {
    id: charge.id,
    orderId: charge.metadata.orderId ?? null,
    amountMinor: charge.amount,
    currency: charge.currency.toUpperCase(),
    status: charge.status,
    amountRefundedMinor: charge.amount_refunded,
    isRefunded: charge.refunded,
    createdAt: new Date(charge.created * 1000),
  };
}

function readError(answer: { body: unknown }): ProviderError | null {
  const parsed = errorBody.safeParse(answer.body);
  return parsed.success ? parsed.data.error : null;
}

/**
 * What every endpoint answers alike: the provider's own failures and "try again" answers (5xx,
 * 409 for a request with the same key still in progress, 429) are retryable; a refused secret key
 * is final.
 */
function classifyShared(
  status: number,
  error: ProviderError,
): PaymentProviderUnavailable | PaymentRequestInvalid<'authentication_failed'> | null {
  if (status >= 500 || status === 409 || status === 429) {
    return noAnswer('provider_error', `the provider answered ${status} ${error.type}: ${error.message ?? 'no message'}`);
  }
  if (status === 401 || error.type === 'authentication_error') return invalid('authentication_failed', error);
  return null;
}

function invalid<TReason extends string>(reason: TReason, error: ProviderError): PaymentRequestInvalid<TReason> {
  return {
    status: 'invalid',
    isRetryable: false,
    reason,
    param: error.param ?? null,
    message: error.message ?? error.code ?? error.type,
  };
}

/** An answer we cannot read: we do not know what happened, so it is retryable like an outage. */
function malformed(call: string, answer: { status: number }): PaymentProviderUnavailable {
  return noAnswer('provider_error', `${call} answered ${answer.status} with a body of an unexpected shape`);
}
