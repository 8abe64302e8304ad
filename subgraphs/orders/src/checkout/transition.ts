import type { CancellationReason } from '../db/tables/index.js';
import type { NewOrder } from '../orders/order-store.js';
import type { CrashPoint } from './crash-points.js';
import type { DriverMode, SagaTiming } from './dependencies.js';
import { toCancellationReason, type FailureCode, type FailureDetails } from './failures.js';
import type { Saga, SagaChange } from './saga-record.js';
import type { ChargeOutcome, CommitOutcome, CompensateOutcome, ReserveOutcome, StepOutcome } from './step-outcomes.js';

// The checkout saga's rules, as one pure function: given where a saga is and what its step's remote
// call answered, the next change to record. No I/O: the driver (driver.ts) runs the step, asks this
// function, and persists what it says.
//
//   RESERVING --reserved--> CHARGING --charged--> COMMITTING --committed--> CONFIRMED
//       |                       |                     |                         |
//       | out of stock,         | declined,           | stock released            | cancelOrder
//       | unknown product       | deadline passed     | (expired)                 v
//       v                       v                     v                   COMPENSATING --> CANCELLED
//    REJECTED <--(no order)-- COMPENSATING: refund, then release --(order)--> CANCELLED

/** The largest amount one payment may be (Stripe's limit, 999 999.99 in a two-decimal currency). */
export const MAX_ORDER_TOTAL_MINOR = 99_999_999;

export interface SagaState {
  saga: Saga;
  /** Whether the order rows exist (they are written when the reservation is recorded). */
  hasOrder: boolean;
}

export interface TransitionContext {
  now: Date;
  timing: SagaTiming;
  mode: DriverMode;
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

/** What the step writes to the orders tables, in the transaction that records it. */
export type OrderWrite =
  | { kind: 'insert-pending'; order: NewOrder }
  | { kind: 'set-status'; status: 'CONFIRMED' | 'CANCELLED'; reason: CancellationReason | null };

export type NextChange =
  /** Record `change` (and `orderWrite`); the driver goes on from the saga as changed. */
  | {
      kind: 'record';
      change: SagaChange;
      orderWrite: OrderWrite | null;
      /** Logged once the change is recorded. */
      logs: LogLine[];
      /** Crash points around the record (CHECKOUT_CRASH_POINT), named by where they fire. */
      crashBefore?: CrashPoint;
      crashAfter?: CrashPoint;
    }
  /** Try the same step again after `delayMs`; the lease is given up meanwhile. */
  | { kind: 'retry'; attempts: number; delayMs: number; lastError: string; logs: LogLine[] };

type RecordChange = Extract<NextChange, { kind: 'record' }>;

/** Whether a saga is past the point where it keeps trying to go forward (CHECKOUT_DEADLINE_SECONDS). */
export function isPastDeadline(saga: Pick<Saga, 'createdAt'>, now: Date, timing: Pick<SagaTiming, 'deadlineMs'>): boolean {
  return now.getTime() - saga.createdAt.getTime() > timing.deadlineMs;
}

/** The next change of a saga whose current step answered `outcome`. */
export function decideNext(state: SagaState, outcome: StepOutcome, context: TransitionContext): NextChange {
  if (outcome.step !== state.saga.step) {
    throw new Error(`a ${outcome.step} outcome cannot move a saga at ${state.saga.step}`);
  }
  switch (outcome.step) {
    case 'RESERVING':
      return afterReserve(state.saga, outcome, context);
    case 'CHARGING':
      return afterCharge(state.saga, outcome, context);
    case 'COMMITTING':
      return afterCommit(state.saga, outcome, context);
    case 'COMPENSATING':
      return afterCompensate(state, outcome, context);
  }
}

const FREE_KEY = { idempotencyKey: null, requestHash: null } as const;

function record(change: SagaChange, more: Partial<RecordChange> = {}): RecordChange {
  return { kind: 'record', orderWrite: null, logs: [], ...more, change: { attempts: 0, lastError: null, ...change } };
}

/** Begins compensating for `code`; the next step refunds and releases. */
function compensateFor(
  saga: Saga,
  code: FailureCode,
  details: FailureDetails,
  change: SagaChange = {},
  logs: LogLine[] = [],
): RecordChange {
  const compensates: LogLine = {
    level: 'info',
    fields: { orderId: saga.orderId, step: saga.step, failure: code },
    message: 'checkout saga compensates',
  };
  return record(
    { step: 'COMPENSATING', failureCode: code, failureDetails: details, ...change },
    { logs: [...logs, compensates] },
  );
}

/** Ends a checkout that never created an order: nothing was reserved, nothing charged. */
function reject(saga: Saga, code: FailureCode, details: FailureDetails, change: SagaChange = {}) {
  return record(
    { step: 'REJECTED', failureCode: code, failureDetails: details, paymentToken: null, ...change },
    { logs: [{ level: 'info', fields: { orderId: saga.orderId, failure: code }, message: 'checkout rejected' }] },
  );
}

/** The step failed without a definitive answer: try again after a backoff (or after `delayMs`). */
function retryLater(
  saga: Saga,
  { timing }: TransitionContext,
  reason: string,
  delayMs?: number,
  logs: LogLine[] = [],
): NextChange {
  const attempts = saga.attempts + 1;
  const backoff = Math.min(timing.baseRetryDelayMs * 2 ** (attempts - 1), timing.maxRetryDelayMs);
  return { kind: 'retry', attempts, delayMs: delayMs ?? backoff, lastError: reason.slice(0, 1000), logs };
}

function logError(saga: Saga, fields: Record<string, unknown>, message: string): LogLine[] {
  return [{ level: 'error', fields: { orderId: saga.orderId, ...fields }, message }];
}

function afterReserve(saga: Saga, outcome: ReserveOutcome, context: TransitionContext): NextChange {
  switch (outcome.kind) {
    case 'past-deadline':
      return compensateFor(saga, 'CHECKOUT_TIMED_OUT', {});
    case 'reserved':
      return recordReservation(saga, outcome.reservation);
    case 'out-of-stock': {
      const { productId, available, requested } = outcome;
      return reject(saga, 'OUT_OF_STOCK', { productId, available, requested });
    }
    case 'unknown-product':
      // Bad input changes nothing: the key stays free for the corrected cart.
      return reject(saga, 'UNKNOWN_PRODUCT', { productId: outcome.productId }, FREE_KEY);
    case 'inventory-refused': {
      // Ours to fix (a bug); the customer may retry. Release anyway: an earlier attempt may have reserved.
      const logs = logError(saga, { code: outcome.code, message: outcome.message }, 'the inventory refused a reservation');
      return compensateFor(saga, 'INVENTORY_REFUSED', {}, FREE_KEY, logs);
    }
    case 'no-answer':
      if (context.mode === 'recovery') return retryLater(saga, context, outcome.reason, outcome.delayMs);
      // The customer is waiting: end now, and free the key so the same request can be sent again.
      // The reservation may have been made; releasing it is the compensation.
      return compensateFor(saga, 'INVENTORY_UNAVAILABLE', {}, FREE_KEY);
  }
}

function recordReservation(saga: Saga, reservation: Extract<ReserveOutcome, { kind: 'reserved' }>['reservation']): NextChange {
  if (reservation.status === 'RELEASED') return compensateFor(saga, 'CHECKOUT_TIMED_OUT', {});
  const byProduct = new Map(reservation.lines.map((line) => [line.productId, line]));
  const lines = saga.items.flatMap(({ productId, quantity }) => {
    const line = byProduct.get(productId);
    return line && line.quantity === quantity ? [{ ...line, productId, quantity }] : [];
  });
  if (lines.length !== saga.items.length || reservation.lines.length !== saga.items.length) {
    const logs = logError(saga, { reservation }, "the inventory's reservation does not match the order's lines");
    return compensateFor(saga, 'INVENTORY_REFUSED', {}, {}, logs);
  }
  const currency = lines[0]!.currency;
  if (lines.some((line) => line.currency !== currency)) return compensateFor(saga, 'MIXED_CURRENCIES', {}, FREE_KEY);
  const totalMinor = lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);
  if (totalMinor > MAX_ORDER_TOTAL_MINOR) return compensateFor(saga, 'TOTAL_TOO_LARGE', {}, FREE_KEY);
  const order: NewOrder = {
    id: saga.orderId,
    userId: saga.userId,
    totalMinor,
    currency,
    createdAt: saga.createdAt,
    lines: lines.map(({ productId, quantity, unitPriceMinor }) => ({ productId, quantity, unitPriceMinor })),
  };
  // From here a charge may be sent at any moment, so the payment is UNKNOWN until an answer says otherwise.
  return record(
    { step: 'CHARGING', paymentState: 'UNKNOWN' },
    { orderWrite: { kind: 'insert-pending', order }, crashAfter: 'stock-reserved-recorded' },
  );
}

function afterCharge(saga: Saga, outcome: ChargeOutcome, context: TransitionContext): NextChange {
  // Give the provider time to finish any charge still in flight before compensation looks for it.
  const settleFirst = { nextAttemptAt: new Date(context.now.getTime() + context.timing.paymentSettleMs) };
  switch (outcome.kind) {
    case 'cannot-charge':
      return compensateFor(saga, 'PAYMENT_FAILED', {}, settleFirst);
    case 'charged':
      return record(
        { step: 'COMMITTING', paymentState: 'CAPTURED', chargeId: outcome.chargeId },
        { crashAfter: 'payment-captured-recorded' },
      );
    case 'declined': {
      const details = { declineCode: outcome.declineCode, message: outcome.message };
      const next = compensateFor(saga, 'PAYMENT_DECLINED', details, { paymentState: 'DECLINED' });
      return { ...next, crashAfter: 'compensation-recorded' };
    }
    case 'token-invalid':
      return compensateFor(
        saga,
        'PAYMENT_DECLINED',
        { declineCode: 'invalid_payment_token', message: 'The payment token is not valid; enter the card again.' },
        { paymentState: 'DECLINED' },
      );
    case 'payment-refused': {
      // Ours to fix (a key, a bug). The payment stays UNKNOWN: compensation waits for any earlier
      // attempt still in flight, then reconciles with the provider.
      const { reason, message } = outcome;
      const logs = logError(saga, { reason, message }, 'the payment provider refused a charge');
      return compensateFor(saga, 'PAYMENT_FAILED', {}, settleFirst, logs);
    }
    case 'no-answer':
      return retryLater(saga, context, outcome.reason, outcome.delayMs);
  }
}

function afterCommit(saga: Saga, outcome: CommitOutcome, context: TransitionContext): NextChange {
  const { orderId } = saga;
  switch (outcome.kind) {
    case 'committed':
      if (outcome.reservationStatus !== 'COMMITTED') {
        // Never CONFIRMED without a commit, whatever the answer said.
        const reason = `the inventory answered a commit with a ${outcome.reservationStatus} reservation`;
        return retryLater(saga, context, reason);
      }
      return record(
        { step: 'CONFIRMED', paymentToken: null },
        {
          orderWrite: { kind: 'set-status', status: 'CONFIRMED', reason: null },
          logs: [{ level: 'info', fields: { orderId }, message: 'order confirmed' }],
        },
      );
    case 'reservation-gone': {
      // The stock is no longer held for this order (its reservation expired): refund and cancel.
      const warning: LogLine = {
        level: 'warn',
        fields: { orderId, result: outcome.status },
        message: 'the stock reservation was gone when the order was paid',
      };
      return compensateFor(saga, 'RESERVATION_EXPIRED', {}, {}, [warning]);
    }
    case 'inventory-refused': {
      // Paid for: never give up on committing. An operator fixes the configuration; retries go on.
      const { code, message } = outcome;
      const logs = logError(saga, { code, message }, 'the inventory refused to commit a paid order');
      return retryLater(saga, context, `${code}: ${message}`, undefined, logs);
    }
    case 'no-answer':
      return retryLater(saga, context, outcome.reason, outcome.delayMs);
  }
}

/** Compensation gives back what the saga took, money first, then stock; then cancels (or rejects, with no order). */
function afterCompensate({ saga, hasOrder }: SagaState, outcome: CompensateOutcome, context: TransitionContext): NextChange {
  const { now, timing } = context;
  switch (outcome.kind) {
    case 'payment-settled': {
      // Settled by asking the provider: ask once more later, for a charge that had not landed yet.
      const lateChargeCheckAt = saga.paymentState === 'UNKNOWN' ? new Date(now.getTime() + timing.lateChargeCheckMs) : null;
      return record({ paymentState: outcome.paymentState, lateChargeCheckAt });
    }
    case 'inventory-refused': {
      const { code, message } = outcome;
      const logs = logError(saga, { code, message }, 'the inventory refused to release stock');
      return retryLater(saga, context, `${code}: ${message}`, undefined, logs);
    }
    case 'no-answer':
      return retryLater(saga, context, outcome.reason, outcome.delayMs);
    case 'stock-released':
      break;
  }
  const code = saga.failureCode;
  if (!outcome.found && (code === 'INVENTORY_UNAVAILABLE' || code === 'INVENTORY_REFUSED')) {
    // A reservation whose answer was lost may still be landing: look again once it would have.
    const landsBy = saga.updatedAt.getTime() + timing.inventorySettleMs;
    if (now.getTime() < landsBy)
      return retryLater(saga, context, 'no reservation yet; one may still land', landsBy - now.getTime());
  }
  if (!hasOrder) return record({ step: 'REJECTED', paymentToken: null }, { crashBefore: 'stock-released-answered' });
  const reason = toCancellationReason(code);
  return record(
    { step: 'CANCELLED', paymentToken: null },
    {
      orderWrite: { kind: 'set-status', status: 'CANCELLED', reason },
      logs: [{ level: 'info', fields: { orderId: saga.orderId, reason }, message: 'order cancelled' }],
      crashBefore: 'stock-released-answered',
    },
  );
}
