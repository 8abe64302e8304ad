import type { NoAnswer } from './json-call.js';

/**
 * What checkout needs from a payment provider, whoever the provider is. Every call answers with a
 * result rather than throwing for anything the provider or the network can do, so the saga must
 * decide what each outcome means:
 *
 * - `succeeded`: done.
 * - `declined` (charges only): the customer's card said no. Final: report PAYMENT_DECLINED.
 * - `unavailable`: the provider could not be reached, did not answer before the deadline, or
 *   failed. The outcome is UNKNOWN: the charge or refund may or may not have happened. Retry the
 *   same call with the same idempotency key; the provider then does it at most once and answers
 *   with the first outcome (waiting for a first attempt still in flight).
 * - `invalid`: the provider refused the request and did nothing. Final; retrying the same request
 *   gets the same answer. `reason` says whose fault it is (an unusable payment token is the
 *   customer's; the rest are ours: configuration or a bug).
 *
 * Idempotency keys are the caller's business and must be deterministic per order and operation,
 * such as `order:<orderId>:charge` and `order:<orderId>:refund`, so a retry after a crash sends the
 * same key. Reusing a key for a different request is refused (`idempotency_key_reused`). Providers
 * keep keys for at least 24 hours (Stripe: 24 h); a retry later than that may act twice, so
 * reconcile with findChargesForOrder before retrying an old operation.
 */
export interface PaymentProvider {
  /** Charges the payment token. Safe to retry with the same idempotency key. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Refunds a charge: by default all that remains of it. Safe to retry with the same idempotency key. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /**
   * The charges the provider holds for an order, newest first, declined ones included: to reconcile
   * an order whose charge outcome is unknown and will not be retried (a cancelled order must not
   * keep a succeeded charge). It cannot see a charge still in flight; a retry of the charge with
   * its key can.
   */
  findChargesForOrder(orderId: string): Promise<FindChargesResult>;
}

export interface ChargeRequest {
  /** Recorded with the charge, so findChargesForOrder finds it. */
  orderId: string;
  /** The amount in the currency's minor unit (cents), an integer above 0. */
  amountMinor: number;
  /** ISO 4217, either case ("USD"). */
  currency: string;
  /** The token the client got from the provider's card form, such as `tok_visa`. */
  paymentToken: string;
  /** Deterministic per order and operation; see PaymentProvider. */
  idempotencyKey: string;
  /** Shown on the provider's dashboard. Default none. */
  description?: string;
}

export interface RefundRequest {
  chargeId: string;
  /** Deterministic per order and operation; see PaymentProvider. */
  idempotencyKey: string;
  /** Minor units to refund. Default: all that has not been refunded yet. */
  amountMinor?: number;
}

export interface Charge {
  id: string;
  /** The order it was made for, or null when it carries none. */
  orderId: string | null;
  amountMinor: number;
  /** ISO 4217, upper case ("USD"). */
  currency: string;
  /** `failed` for a declined charge, which the provider records too. */
  status: 'succeeded' | 'failed';
  amountRefundedMinor: number;
  /** True once the whole amount has been refunded. */
  isRefunded: boolean;
  createdAt: Date;
}

export interface Refund {
  id: string;
  chargeId: string;
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
}

/** The card was declined. Final: the charge will not go through with this token. */
export interface PaymentDeclined {
  status: 'declined';
  code: 'PAYMENT_DECLINED';
  isRetryable: false;
  /** The provider's reason, such as `generic_decline` or `insufficient_funds`. */
  declineCode: string;
  /** The provider's message, fit to show the customer. */
  message: string;
  /** The failed charge the provider recorded, when it says which. */
  chargeId: string | null;
}

/** No definitive answer: the outcome is unknown. Retry with the same idempotency key. */
export type PaymentProviderUnavailable = NoAnswer;

export type InvalidChargeReason =
  /** The payment token is unknown, used up or malformed: the customer's to fix. */
  | 'invalid_payment_token'
  /** The idempotency key was already used for a different request: a bug in the caller. */
  | 'idempotency_key_reused'
  /** The provider refused our secret key: configuration. */
  | 'authentication_failed'
  /** Any other refused parameter (amount, currency, ...): a bug in the caller. */
  | 'invalid_request';

export type InvalidRefundReason =
  | 'charge_not_found'
  /** Nothing is left to refund: already fully refunded. */
  | 'charge_already_refunded'
  /** The charge failed (was declined), so there is nothing to refund. */
  | 'charge_not_refundable'
  /** More than remains to be refunded was asked for. */
  | 'refund_exceeds_charge'
  | 'idempotency_key_reused'
  | 'authentication_failed'
  | 'invalid_request';

/** The provider refused the request and did nothing. Final for this request. */
export interface PaymentRequestInvalid<TReason extends string> {
  status: 'invalid';
  isRetryable: false;
  reason: TReason;
  /** The parameter the provider named, when it named one. */
  param: string | null;
  /** For the log, not for the customer. */
  message: string;
}

export type ChargeResult =
  | { status: 'succeeded'; charge: Charge }
  | PaymentDeclined
  | PaymentProviderUnavailable
  | PaymentRequestInvalid<InvalidChargeReason>;

export type RefundResult =
  { status: 'succeeded'; refund: Refund } | PaymentProviderUnavailable | PaymentRequestInvalid<InvalidRefundReason>;

export type FindChargesResult =
  | { status: 'succeeded'; charges: Charge[] }
  | PaymentProviderUnavailable
  | PaymentRequestInvalid<'authentication_failed' | 'invalid_request'>;
