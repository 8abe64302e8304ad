/** Where an order is in its life; both dialects constrain the status column to these. */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Why an order was cancelled; null on orders that were not. */
export const CANCELLATION_REASONS = [
  'PAYMENT_DECLINED',
  'PAYMENT_FAILED',
  'RESERVATION_EXPIRED',
  'CANCELLED_BY_CUSTOMER',
  'CANCELLED_BY_ADMIN',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

/**
 * Where a checkout saga is (see src/checkout/transition.ts). RESERVING, CHARGING, COMMITTING and
 * COMPENSATING are in progress: the recovery loop finishes them after a crash. CONFIRMED, CANCELLED
 * and REJECTED (ended before an order existed) are final, except that cancelOrder moves a CONFIRMED
 * saga back to COMPENSATING.
 */
export const SAGA_STEPS = ['RESERVING', 'CHARGING', 'COMMITTING', 'COMPENSATING', 'CONFIRMED', 'CANCELLED', 'REJECTED'] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];
export const ACTIVE_SAGA_STEPS = ['RESERVING', 'CHARGING', 'COMMITTING', 'COMPENSATING'] as const satisfies readonly SagaStep[];
export const FINAL_SAGA_STEPS: readonly SagaStep[] = ['CONFIRMED', 'CANCELLED', 'REJECTED'];

/**
 * What the saga knows about the money. NONE: no charge was sent. UNKNOWN: a charge was sent and no
 * definitive answer came back (it may have gone through). CAPTURED: charged (chargeId). DECLINED:
 * the provider said no. REFUNDED: charged and given back.
 */
export const PAYMENT_STATES = ['NONE', 'UNKNOWN', 'CAPTURED', 'DECLINED', 'REFUNDED'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** `in (...)` of a list of string constants, for check constraints. */
export function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}
