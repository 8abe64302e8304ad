import type { Logger } from '@supergraph/server-kit/telemetry';
import type { OrdersDatabase } from '../db/client.js';
import { findOrdersByIds } from '../orders/order-store.js';
import { FINAL_SAGA_STEPS, type CheckoutSagaRow, type PaymentState, type SagaStep } from '../db/tables/index.js';
import type { InventoryClient, Reservation } from '../clients/inventory-client.js';
import type { PaymentProvider } from '../clients/payment-provider.js';
import type { CrashHook } from './crash-points.js';
import type { CheckoutMetrics } from './metrics.js';
import { readFailureCode, toCancellationReason, type FailureCode, type FailureDetails } from './failures.js';
import { changeOrderStatus, changeSaga, insertPendingOrder, orderExists, scheduleRetry, type SagaChange } from './saga-store.js';

// The checkout saga (DESIGN.md "Checkout"): reserve stock in products, charge through the payment
// provider, commit the stock, confirm; on a failure after the reservation, compensate (refund what
// was charged, release the stock) and cancel. Each step's outcome is written to checkout_sagas
// before the next step starts, and every remote call is idempotent per order (the reservation is
// keyed by the order id, the charge and refund by keys derived from it), so a driver that crashed
// anywhere can be replaced by another that repeats the step it was in: the remote side answers with
// what it did the first time.
//
//   RESERVING --reserved--> CHARGING --charged--> COMMITTING --committed--> CONFIRMED
//       |                       |                     |                         |
//       | out of stock,         | declined,           | stock released            | cancelOrder
//       | unknown product       | deadline passed     | (expired)                 v
//       v                       v                     v                   COMPENSATING --> CANCELLED
//    REJECTED <--(no order)-- COMPENSATING: refund, then release --(order)--> CANCELLED

/** The largest amount one payment may be (Stripe's limit, 999 999.99 in a two-decimal currency). */
export const MAX_ORDER_TOTAL_MINOR = 99_999_999;

export interface SagaTiming {
  /** How long a driver holds a saga before another may take it over (CHECKOUT_LEASE_MS). */
  leaseMs: number;
  /**
   * How long after checkout started the saga keeps trying to go forward (CHECKOUT_DEADLINE_SECONDS);
   * past it, a saga that has not been charged compensates instead.
   */
  deadlineMs: number;
  /** How long products holds the stock: past the deadline, so it outlives every charge attempt. */
  reservationTtlSeconds: number;
  /**
   * How long after a charge with no answer the provider may still act on it: a compensation that
   * must find out whether money moved waits this long after the last attempt before looking
   * (CHECKOUT_PAYMENT_SETTLE_SECONDS).
   */
  paymentSettleMs: number;
  /**
   * Likewise for a reservation with no answer: products may still be working on it (waiting for a
   * row lock, say), so a release that finds nothing is believed only after this long.
   */
  inventorySettleMs: number;
  /**
   * How long after compensation settled an unknown payment the provider is asked once more for the
   * order's charges (CHECKOUT_LATE_CHARGE_CHECK_SECONDS): one that landed later still is refunded.
   */
  lateChargeCheckMs: number;
  /** The first retry's delay; each further one doubles it, up to maxRetryDelayMs. */
  baseRetryDelayMs: number;
  maxRetryDelayMs: number;
}

export interface SagaDependencies {
  database: OrdersDatabase;
  inventory: InventoryClient;
  payments: PaymentProvider;
  logger: Logger;
  timing: SagaTiming;
  crash: CrashHook;
  now: () => Date;
  /** Counted when given (the running service); tests may leave it out. */
  metrics?: CheckoutMetrics;
}

/**
 * Who drives: a customer's request fails fast when the inventory is unreachable before anything
 * was reserved (the customer is told to retry, nothing is left behind); the recovery loop keeps
 * trying until the deadline.
 */
export type DriverMode = 'request' | 'recovery';

export const chargeKey = (orderId: string) => `order:${orderId}:charge`;
export const refundKey = (orderId: string, chargeId: string) => `order:${orderId}:refund:${chargeId}`;

/**
 * Drives a saga the caller holds the lease of (`owner`) as far as it can go now: to a final step, to
 * a step that must wait for a retry (scheduled, lease given up), or until another driver took it
 * over. Returns the saga as it was left. Throws only for a failure of the orders database itself;
 * the lease then runs out and the recovery loop takes over.
 */
export async function driveSaga(
  deps: SagaDependencies,
  claimed: CheckoutSagaRow,
  { owner, mode }: { owner: string; mode: DriverMode },
): Promise<CheckoutSagaRow> {
  let saga = claimed;
  for (;;) {
    const next = await takeStep(deps, saga, owner, mode);
    if (next.kind === 'lost') return next.saga;
    saga = next.saga;
    if (next.kind === 'wait' || FINAL_SAGA_STEPS.includes(saga.step)) return saga;
  }
}

type StepOutcome =
  /** The step is done; take the next one. */
  | { kind: 'moved'; saga: CheckoutSagaRow }
  /** The step must be tried again later; a retry is scheduled and the lease given up. */
  | { kind: 'wait'; saga: CheckoutSagaRow }
  /** Another driver has the saga now (or it moved under us): stop. */
  | { kind: 'lost'; saga: CheckoutSagaRow };

function takeStep(deps: SagaDependencies, saga: CheckoutSagaRow, owner: string, mode: DriverMode): Promise<StepOutcome> {
  const driver = new StepDriver(deps, saga, owner);
  switch (saga.step) {
    case 'RESERVING':
      return driver.reserve(mode);
    case 'CHARGING':
      return driver.charge();
    case 'COMMITTING':
      return driver.commit();
    case 'COMPENSATING':
      return driver.compensate();
    default:
      return Promise.resolve({ kind: 'moved', saga });
  }
}

class StepDriver {
  constructor(
    private readonly deps: SagaDependencies,
    private readonly saga: CheckoutSagaRow,
    private readonly owner: string,
  ) {}

  private get log(): Logger {
    return this.deps.logger;
  }

  private isPastDeadline(now: Date): boolean {
    return now.getTime() - this.saga.createdAt.getTime() > this.deps.timing.deadlineMs;
  }

  /** Applies a change (and its order effects) if the saga is still ours and still at its step. */
  private async move(
    change: SagaChange,
    effects?: Parameters<typeof changeSaga>[1]['effects'],
    now = this.deps.now(),
  ): Promise<StepOutcome> {
    const changed = await changeSaga(this.deps.database, {
      orderId: this.saga.orderId,
      owner: this.owner,
      from: this.saga.step,
      change: { attempts: 0, lastError: null, ...change },
      now,
      leaseMs: this.deps.timing.leaseMs,
      effects,
    });
    if (changed) {
      if (FINAL_SAGA_STEPS.includes(changed.step)) {
        this.deps.metrics?.finished.inc({ outcome: changed.step, reason: changed.failureCode ?? 'none' });
      }
      return { kind: 'moved', saga: changed };
    }
    this.log.warn({ orderId: this.saga.orderId, step: this.saga.step }, 'checkout saga changed hands; this driver stops');
    return { kind: 'lost', saga: this.saga };
  }

  /** Begins compensating for `code`; the next step refunds and releases. */
  private compensateFor(code: FailureCode, details: FailureDetails, change: SagaChange = {}, now = this.deps.now()) {
    this.log.info({ orderId: this.saga.orderId, step: this.saga.step, failure: code }, 'checkout saga compensates');
    return this.move(
      { step: 'COMPENSATING', failureCode: code, failureDetails: JSON.stringify(details), ...change },
      undefined,
      now,
    );
  }

  /** Ends a checkout that never created an order: nothing was reserved, nothing charged. */
  private reject(code: FailureCode, details: FailureDetails, change: SagaChange = {}) {
    this.log.info({ orderId: this.saga.orderId, failure: code }, 'checkout rejected');
    return this.move({
      step: 'REJECTED',
      failureCode: code,
      failureDetails: JSON.stringify(details),
      paymentToken: null,
      ...change,
    });
  }

  /** The step failed without a definitive answer: try again after a backoff. */
  private async retryLater(reason: string, delayMs?: number): Promise<StepOutcome> {
    const { baseRetryDelayMs, maxRetryDelayMs } = this.deps.timing;
    const attempts = this.saga.attempts + 1;
    const delay = delayMs ?? Math.min(baseRetryDelayMs * 2 ** (attempts - 1), maxRetryDelayMs);
    this.log.warn(
      { orderId: this.saga.orderId, step: this.saga.step, attempts, retryInMs: delay, reason },
      'checkout step will be retried',
    );
    const scheduled = await scheduleRetry(this.deps.database, {
      orderId: this.saga.orderId,
      owner: this.owner,
      step: this.saga.step,
      attempts,
      nextAttemptAt: new Date(this.deps.now().getTime() + delay),
      lastError: reason.slice(0, 1000),
    });
    if (!scheduled) return { kind: 'lost', saga: this.saga };
    this.deps.metrics?.retries.inc({ step: this.saga.step });
    return { kind: 'wait', saga: scheduled };
  }

  async reserve(mode: DriverMode): Promise<StepOutcome> {
    const { orderId } = this.saga;
    if (this.isPastDeadline(this.deps.now())) return this.compensateFor('CHECKOUT_TIMED_OUT', {});
    const result = await this.deps.inventory.reserve({
      orderId,
      items: readItems(this.saga),
      ttlSeconds: this.deps.timing.reservationTtlSeconds,
    });
    this.deps.crash('stock-reserved-answered');
    switch (result.status) {
      case 'reserved':
        return this.recordReservation(result.reservation);
      case 'out_of_stock': {
        const { productId, available, requested } = result;
        return this.reject('OUT_OF_STOCK', { productId, available, requested });
      }
      case 'unknown_product':
        // Bad input changes nothing: the key stays free for the corrected cart.
        return this.reject('UNKNOWN_PRODUCT', { productId: result.productId }, { idempotencyKey: null, requestHash: null });
      case 'invalid':
        // Ours to fix (a bug); the customer may retry. Release anyway: an earlier attempt may have reserved.
        this.log.error({ orderId, code: result.code, message: result.message }, 'the inventory refused a reservation');
        return this.compensateFor('INVENTORY_REFUSED', {}, { idempotencyKey: null, requestHash: null });
      case 'unavailable':
        if (mode === 'recovery') return this.retryLater(result.message);
        // The customer is waiting: end now, and free the key so the same request can be sent again.
        // The reservation may have been made; releasing it is the compensation.
        return this.compensateFor('INVENTORY_UNAVAILABLE', {}, { idempotencyKey: null, requestHash: null });
    }
  }

  private async recordReservation(reservation: Reservation): Promise<StepOutcome> {
    const { orderId, userId } = this.saga;
    if (reservation.status === 'RELEASED') return this.compensateFor('CHECKOUT_TIMED_OUT', {});
    const byProduct = new Map(reservation.lines.map((line) => [line.productId, line]));
    const requested = readItems(this.saga);
    const lines = requested.flatMap(({ productId, quantity }) => {
      const line = byProduct.get(productId);
      return line && line.quantity === quantity
        ? [{ productId, quantity, unitPriceMinor: line.unitPriceMinor, currency: line.currency }]
        : [];
    });
    if (lines.length !== requested.length || reservation.lines.length !== requested.length) {
      this.log.error({ orderId, reservation }, "the inventory's reservation does not match the order's lines");
      return this.compensateFor('INVENTORY_REFUSED', {});
    }
    const currency = lines[0]!.currency;
    const freeKey = { idempotencyKey: null, requestHash: null };
    if (lines.some((line) => line.currency !== currency)) return this.compensateFor('MIXED_CURRENCIES', {}, freeKey);
    const totalMinor = lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);
    if (totalMinor > MAX_ORDER_TOTAL_MINOR) return this.compensateFor('TOTAL_TOO_LARGE', {}, freeKey);
    const now = this.deps.now();
    // From here a charge may be sent at any moment, so the payment is UNKNOWN until an answer says otherwise.
    const moved = await this.move(
      { step: 'CHARGING', paymentState: 'UNKNOWN' },
      (tx) =>
        insertPendingOrder(
          tx,
          {
            id: orderId,
            userId,
            totalMinor,
            currency,
            createdAt: this.saga.createdAt,
            lines: lines.map(({ currency: _c, ...line }) => line),
          },
          now,
        ),
      now,
    );
    this.deps.crash('stock-reserved-recorded');
    return moved;
  }

  async charge(): Promise<StepOutcome> {
    const { orderId } = this.saga;
    const now = this.deps.now();
    if (this.isPastDeadline(now) || this.saga.paymentToken === null) {
      // Give the provider time to finish any charge still in flight before compensation looks for it.
      return this.compensateFor(
        'PAYMENT_FAILED',
        {},
        { nextAttemptAt: new Date(now.getTime() + this.deps.timing.paymentSettleMs) },
      );
    }
    const [order] = await findOrdersByIds(this.deps.database, [orderId]);
    if (!order) throw new Error(`checkout ${orderId} is CHARGING without an order`);
    const result = await this.deps.payments.charge({
      orderId,
      amountMinor: order.totalMinor,
      currency: order.currency,
      paymentToken: this.saga.paymentToken,
      idempotencyKey: chargeKey(orderId),
      description: `Order ${orderId}`,
    });
    switch (result.status) {
      case 'succeeded': {
        this.deps.crash('payment-captured-answered');
        const moved = await this.move({ step: 'COMMITTING', paymentState: 'CAPTURED', chargeId: result.charge.id });
        this.deps.crash('payment-captured-recorded');
        return moved;
      }
      case 'declined': {
        this.deps.crash('payment-declined-answered');
        const moved = await this.compensateFor(
          'PAYMENT_DECLINED',
          { declineCode: result.declineCode, message: result.message },
          { paymentState: 'DECLINED' },
        );
        this.deps.crash('compensation-recorded');
        return moved;
      }
      case 'invalid':
        if (result.reason === 'invalid_payment_token') {
          // Refused before anything happened: the customer's to fix, like a decline.
          return this.compensateFor(
            'PAYMENT_DECLINED',
            { declineCode: 'invalid_payment_token', message: 'The payment token is not valid; enter the card again.' },
            { paymentState: 'DECLINED' },
          );
        }
        // Ours to fix (a key, a bug). The payment stays UNKNOWN: compensation waits for any earlier
        // attempt still in flight, then reconciles with the provider.
        this.log.error({ orderId, reason: result.reason, message: result.message }, 'the payment provider refused a charge');
        return this.compensateFor(
          'PAYMENT_FAILED',
          {},
          {
            nextAttemptAt: new Date(this.deps.now().getTime() + this.deps.timing.paymentSettleMs),
          },
        );
      case 'unavailable':
        return this.retryLater(result.message);
    }
  }

  async commit(): Promise<StepOutcome> {
    const { orderId } = this.saga;
    const result = await this.deps.inventory.commit(orderId);
    this.deps.crash('stock-committed-answered');
    switch (result.status) {
      case 'committed': {
        if (result.reservation.status !== 'COMMITTED') {
          // Never CONFIRMED without a commit, whatever the answer said.
          return this.retryLater(`the inventory answered a commit with a ${result.reservation.status} reservation`);
        }
        const now = this.deps.now();
        const moved = await this.move(
          { step: 'CONFIRMED', paymentToken: null },
          (tx) => changeOrderStatus(tx, { orderId, status: 'CONFIRMED', reason: null, now }),
          now,
        );
        if (moved.kind === 'moved') this.log.info({ orderId }, 'order confirmed');
        return moved;
      }
      case 'released':
      case 'not_found':
        // The stock is no longer held for this order (its reservation expired): refund and cancel.
        this.log.warn({ orderId, result: result.status }, 'the stock reservation was gone when the order was paid');
        return this.compensateFor('RESERVATION_EXPIRED', {});
      case 'invalid':
        // Paid for: never give up on committing. An operator fixes the configuration; retries go on.
        this.log.error({ orderId, code: result.code, message: result.message }, 'the inventory refused to commit a paid order');
        return this.retryLater(`${result.code}: ${result.message}`);
      case 'unavailable':
        return this.retryLater(result.message);
    }
  }

  /** Gives back what the saga took, money first, then stock; then cancels (or rejects, with no order). */
  async compensate(): Promise<StepOutcome> {
    const { orderId } = this.saga;
    const money = await this.settlePayment();
    if (money.kind !== 'settled') return money.outcome;
    // Record what the money step found before touching stock; the next pass goes on from there.
    if (money.paymentState !== this.saga.paymentState) {
      const now = this.deps.now();
      // Settled by asking the provider: ask once more later, for a charge that had not landed yet.
      const lateChargeCheckAt =
        this.saga.paymentState === 'UNKNOWN' ? new Date(now.getTime() + this.deps.timing.lateChargeCheckMs) : null;
      return this.move({ paymentState: money.paymentState, lateChargeCheckAt }, undefined, now);
    }
    const released = await this.deps.inventory.release(orderId);
    if (released.status === 'unavailable') return this.retryLater(released.message);
    if (released.status === 'invalid') {
      this.log.error({ orderId, code: released.code, message: released.message }, 'the inventory refused to release stock');
      return this.retryLater(`${released.code}: ${released.message}`);
    }
    const now = this.deps.now();
    const code = readFailureCode(this.saga.failureCode);
    if (released.status === 'not_found' && (code === 'INVENTORY_UNAVAILABLE' || code === 'INVENTORY_REFUSED')) {
      // A reservation whose answer was lost may still be landing: look again once it would have.
      const landsBy = this.saga.updatedAt.getTime() + this.deps.timing.inventorySettleMs;
      if (now.getTime() < landsBy) return this.retryLater('no reservation yet; one may still land', landsBy - now.getTime());
    }
    this.deps.crash('stock-released-answered');
    if (!(await orderExists(this.deps.database, orderId)))
      return this.move({ step: 'REJECTED', paymentToken: null }, undefined, now);
    const reason = toCancellationReason(code);
    const moved = await this.move(
      { step: 'CANCELLED', paymentToken: null },
      (tx) => changeOrderStatus(tx, { orderId, status: 'CANCELLED', reason, now }),
      now,
    );
    if (moved.kind === 'moved') this.log.info({ orderId, reason }, 'order cancelled');
    return moved;
  }

  /**
   * Makes sure the customer keeps no charge for this order: refunds a captured one, and for an
   * unknown outcome asks the provider which charges it holds (once the settle time has passed).
   */
  private async settlePayment(): Promise<
    { kind: 'settled'; paymentState: PaymentState } | { kind: 'pending'; outcome: StepOutcome }
  > {
    const { orderId, paymentState, chargeId } = this.saga;
    const pending = async (reason: string, delayMs?: number) => ({
      kind: 'pending' as const,
      outcome: await this.retryLater(reason, delayMs),
    });
    if (paymentState === 'CAPTURED' && chargeId !== null) {
      const refunded = await this.refund(chargeId);
      return refunded === true ? { kind: 'settled', paymentState: 'REFUNDED' } : pending(refunded);
    }
    if (paymentState !== 'UNKNOWN') return { kind: 'settled', paymentState };
    const now = this.deps.now();
    if (this.saga.nextAttemptAt > now) {
      return pending('waiting for charges in flight to settle', this.saga.nextAttemptAt.getTime() - now.getTime());
    }
    const found = await this.deps.payments.findChargesForOrder(orderId);
    if (found.status !== 'succeeded') return pending(found.message);
    let refundedAny = false;
    for (const charge of found.charges) {
      if (charge.status !== 'succeeded' || charge.isRefunded) continue;
      const refunded = await this.refund(charge.id);
      if (refunded !== true) return pending(refunded);
      refundedAny = true;
    }
    return { kind: 'settled', paymentState: refundedAny ? 'REFUNDED' : 'NONE' };
  }

  private refund(chargeId: string): Promise<true | string> {
    return refundInFull(this.deps, this.saga.orderId, chargeId);
  }
}

/** Refunds a charge in full; true when it is (or already was) refunded, else why not yet. */
async function refundInFull(deps: SagaDependencies, orderId: string, chargeId: string): Promise<true | string> {
  const result = await deps.payments.refund({ chargeId, idempotencyKey: refundKey(orderId, chargeId) });
  if (result.status === 'succeeded') {
    deps.crash('payment-refunded-answered');
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
 * The late-charge check of an ended saga (see SagaTiming.lateChargeCheckMs): refunds every charge
 * the provider now holds for the order that succeeded and is not refunded. True when done; false
 * when the provider could not answer or refund (the caller tries again later).
 */
export async function refundLateCharges(deps: SagaDependencies, orderId: string): Promise<boolean> {
  const found = await deps.payments.findChargesForOrder(orderId);
  if (found.status !== 'succeeded') return false;
  for (const charge of found.charges) {
    if (charge.status !== 'succeeded' || charge.isRefunded) continue;
    deps.logger.warn(
      { orderId, chargeId: charge.id },
      'a charge reached the provider after its checkout had ended; refunding it',
    );
    if ((await refundInFull(deps, orderId, charge.id)) !== true) return false;
  }
  return true;
}

/** The lines a saga was asked for, as stored. */
export function readItems(saga: Pick<CheckoutSagaRow, 'items'>): { productId: string; quantity: number }[] {
  return JSON.parse(saga.items) as { productId: string; quantity: number }[];
}
