import { describe, expect, it } from 'vitest';
import type { Reservation } from '../clients/inventory-client.js';
import type { SagaTiming } from './dependencies.js';
import { FAILURE_CODES } from './failures.js';
import type { Saga } from './saga-record.js';
import type { StepOutcome } from './step-outcomes.js';
import { decideNext, MAX_ORDER_TOTAL_MINOR, type NextChange, type TransitionContext } from './transition.js';

// Every step x every outcome of the saga's pure transition (see transition.ts), with no I/O.

const CREATED_AT = new Date('2026-01-01T10:00:00.000Z');
const NOW = new Date(CREATED_AT.getTime() + 5_000);
const TIMING: SagaTiming = {
  leaseMs: 30_000,
  deadlineMs: 600_000,
  reservationTtlSeconds: 900,
  paymentSettleMs: 120_000,
  inventorySettleMs: 4_000,
  lateChargeCheckMs: 3_600_000,
  baseRetryDelayMs: 1_000,
  maxRetryDelayMs: 60_000,
};

function sagaAt(step: Saga['step'], more: Partial<Saga> = {}): Saga {
  return {
    orderId: 'order-1',
    userId: 'user-1',
    idempotencyKey: 'key-1',
    requestHash: 'hash-1',
    items: [
      { productId: 'lamp', quantity: 2 },
      { productId: 'desk', quantity: 1 },
    ],
    paymentToken: 'tok_visa',
    step,
    paymentState: 'NONE',
    chargeId: null,
    failureCode: null,
    failureDetails: {},
    attempts: 0,
    nextAttemptAt: CREATED_AT,
    leaseOwner: 'driver-1',
    leaseUntil: new Date(NOW.getTime() + TIMING.leaseMs),
    lastError: null,
    lateChargeCheckAt: null,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...more,
  };
}

const context = (more: Partial<TransitionContext> = {}): TransitionContext => ({
  now: NOW,
  timing: TIMING,
  mode: 'request',
  ...more,
});

function next(saga: Saga, outcome: StepOutcome, more: { hasOrder?: boolean; context?: Partial<TransitionContext> } = {}) {
  return decideNext({ saga, hasOrder: more.hasOrder ?? false }, outcome, context(more.context));
}

function reservation(lines: Reservation['lines'], status: Reservation['status'] = 'RESERVED'): Reservation {
  return { orderId: 'order-1', status, expiresAt: new Date(NOW.getTime() + 900_000), lines };
}

const LAMP = { productId: 'lamp', name: 'Lamp', quantity: 2, unitPriceMinor: 2_500, currency: 'USD' };
const DESK = { productId: 'desk', name: 'Desk', quantity: 1, unitPriceMinor: 19_999, currency: 'USD' };
const FREE_KEY = { idempotencyKey: null, requestHash: null };

/** A change that records `change` (with the attempts reset) and nothing else. */
function recorded(change: object, more: object = {}) {
  return expect.objectContaining({
    kind: 'record',
    orderWrite: null,
    ...more,
    change: { attempts: 0, lastError: null, ...change },
  }) as unknown;
}

function retried(attempts: number, delayMs: number, lastError: string) {
  return expect.objectContaining({ kind: 'retry', attempts, delayMs, lastError }) as unknown;
}

function keyIsKept(change: NextChange): boolean {
  return change.kind === 'record' && !('idempotencyKey' in change.change);
}

describe('after RESERVING', () => {
  const saga = sagaAt('RESERVING');
  const step = 'RESERVING';

  it('records CHARGING with the payment UNKNOWN and inserts the PENDING order at the reserved prices', () => {
    const change = next(saga, { step, kind: 'reserved', reservation: reservation([LAMP, DESK]) });
    expect(change).toEqual(
      recorded(
        { step: 'CHARGING', paymentState: 'UNKNOWN' },
        {
          orderWrite: {
            kind: 'insert-pending',
            order: {
              id: 'order-1',
              userId: 'user-1',
              totalMinor: 24_999,
              currency: 'USD',
              createdAt: CREATED_AT,
              lines: [
                { productId: 'lamp', quantity: 2, unitPriceMinor: 2_500 },
                { productId: 'desk', quantity: 1, unitPriceMinor: 19_999 },
              ],
            },
          },
          crashAfter: 'stock-reserved-recorded',
        },
      ),
    );
  });

  it('keeps the order of the requested lines, whatever order the reservation lists them in', () => {
    const change = next(saga, { step, kind: 'reserved', reservation: reservation([DESK, LAMP]) });
    const order = change.kind === 'record' && change.orderWrite?.kind === 'insert-pending' ? change.orderWrite.order : null;
    expect(order?.lines.map((line) => line.productId)).toEqual(['lamp', 'desk']);
  });

  it('compensates CHECKOUT_TIMED_OUT when the reservation answered is already released', () => {
    const change = next(saga, { step, kind: 'reserved', reservation: reservation([LAMP, DESK], 'RELEASED') });
    expect(change).toEqual(recorded({ step: 'COMPENSATING', failureCode: 'CHECKOUT_TIMED_OUT', failureDetails: {} }));
  });

  it.each([
    ['a line is missing', [LAMP]],
    ['a quantity differs', [LAMP, { ...DESK, quantity: 2 }]],
    ['a line is extra', [LAMP, DESK, { ...DESK, productId: 'chair' }]],
  ])('compensates INVENTORY_REFUSED, keeping the key, when %s', (_case, lines) => {
    const change = next(saga, { step, kind: 'reserved', reservation: reservation(lines) });
    expect(change).toEqual(recorded({ step: 'COMPENSATING', failureCode: 'INVENTORY_REFUSED', failureDetails: {} }));
    expect(change.kind === 'record' && change.logs.map((log) => log.level)).toEqual(['error', 'info']);
  });

  it('compensates MIXED_CURRENCIES and frees the key when the lines are priced in two currencies', () => {
    const change = next(saga, { step, kind: 'reserved', reservation: reservation([LAMP, { ...DESK, currency: 'EUR' }]) });
    expect(change).toEqual(recorded({ step: 'COMPENSATING', failureCode: 'MIXED_CURRENCIES', failureDetails: {}, ...FREE_KEY }));
  });

  it('compensates TOTAL_TOO_LARGE and frees the key above the largest payment, and accepts exactly it', () => {
    const exactly = { ...DESK, unitPriceMinor: MAX_ORDER_TOTAL_MINOR - 5_000 };
    expect(next(saga, { step, kind: 'reserved', reservation: reservation([LAMP, exactly]) })).toMatchObject({
      change: { step: 'CHARGING' },
    });
    const above = { ...exactly, unitPriceMinor: exactly.unitPriceMinor + 1 };
    expect(next(saga, { step, kind: 'reserved', reservation: reservation([LAMP, above]) })).toEqual(
      recorded({ step: 'COMPENSATING', failureCode: 'TOTAL_TOO_LARGE', failureDetails: {}, ...FREE_KEY }),
    );
  });

  it('compensates CHECKOUT_TIMED_OUT, keeping the key, past the deadline', () => {
    const change = next(saga, { step, kind: 'past-deadline' });
    expect(change).toEqual(recorded({ step: 'COMPENSATING', failureCode: 'CHECKOUT_TIMED_OUT', failureDetails: {} }));
    expect(keyIsKept(change)).toBe(true);
  });

  it('rejects OUT_OF_STOCK with what is left and what was asked, keeping the key, and forgets the token', () => {
    const change = next(saga, { step, kind: 'out-of-stock', productId: 'desk', available: 0, requested: 1 });
    expect(change).toEqual(
      recorded({
        step: 'REJECTED',
        failureCode: 'OUT_OF_STOCK',
        failureDetails: { productId: 'desk', available: 0, requested: 1 },
        paymentToken: null,
      }),
    );
  });

  it('rejects UNKNOWN_PRODUCT and frees the key for the corrected cart', () => {
    expect(next(saga, { step, kind: 'unknown-product', productId: 'ghost' })).toEqual(
      recorded({
        step: 'REJECTED',
        failureCode: 'UNKNOWN_PRODUCT',
        failureDetails: { productId: 'ghost' },
        paymentToken: null,
        ...FREE_KEY,
      }),
    );
  });

  it('compensates INVENTORY_REFUSED and frees the key when the inventory refuses the request', () => {
    const change = next(saga, { step, kind: 'inventory-refused', code: 'FORBIDDEN', message: 'bad secret' });
    expect(change).toEqual(recorded({ step: 'COMPENSATING', failureCode: 'INVENTORY_REFUSED', failureDetails: {}, ...FREE_KEY }));
  });

  it('compensates INVENTORY_UNAVAILABLE and frees the key when a waiting customer gets no answer', () => {
    expect(next(saga, { step, kind: 'no-answer', reason: 'timeout' })).toEqual(
      recorded({ step: 'COMPENSATING', failureCode: 'INVENTORY_UNAVAILABLE', failureDetails: {}, ...FREE_KEY }),
    );
  });

  it('retries with a backoff when the recovery loop gets no answer', () => {
    const change = next(saga, { step, kind: 'no-answer', reason: 'timeout' }, { context: { mode: 'recovery' } });
    expect(change).toEqual(retried(1, 1_000, 'timeout'));
  });
});

describe('after CHARGING', () => {
  const saga = sagaAt('CHARGING', { paymentState: 'UNKNOWN' });
  const step = 'CHARGING';
  const settleFirst = { nextAttemptAt: new Date(NOW.getTime() + TIMING.paymentSettleMs) };

  it('records COMMITTING with the charge CAPTURED', () => {
    expect(next(saga, { step, kind: 'charged', chargeId: 'ch_1' }, { hasOrder: true })).toEqual(
      recorded({ step: 'COMMITTING', paymentState: 'CAPTURED', chargeId: 'ch_1' }, { crashAfter: 'payment-captured-recorded' }),
    );
  });

  it('compensates PAYMENT_DECLINED with the decline code and message, the payment DECLINED', () => {
    const outcome = { step, kind: 'declined', declineCode: 'insufficient_funds', message: 'No funds.' } as const;
    expect(next(saga, outcome, { hasOrder: true })).toEqual(
      recorded(
        {
          step: 'COMPENSATING',
          failureCode: 'PAYMENT_DECLINED',
          failureDetails: { declineCode: 'insufficient_funds', message: 'No funds.' },
          paymentState: 'DECLINED',
        },
        { crashAfter: 'compensation-recorded' },
      ),
    );
  });

  it('compensates PAYMENT_DECLINED (invalid_payment_token) when the provider refuses the token', () => {
    const change = next(saga, { step, kind: 'token-invalid' }, { hasOrder: true });
    expect(change).toEqual(
      recorded({
        step: 'COMPENSATING',
        failureCode: 'PAYMENT_DECLINED',
        failureDetails: {
          declineCode: 'invalid_payment_token',
          message: 'The payment token is not valid; enter the card again.',
        },
        paymentState: 'DECLINED',
      }),
    );
    expect(change).not.toHaveProperty('crashAfter');
  });

  it('compensates PAYMENT_FAILED after the settle time, the payment still UNKNOWN, when no charge may be sent', () => {
    const change = next(saga, { step, kind: 'cannot-charge' }, { hasOrder: true });
    expect(change).toEqual(recorded({ step: 'COMPENSATING', failureCode: 'PAYMENT_FAILED', failureDetails: {}, ...settleFirst }));
    expect(change.kind === 'record' && 'paymentState' in change.change).toBe(false);
  });

  it('compensates PAYMENT_FAILED after the settle time when the provider refuses the request', () => {
    const outcome = { step, kind: 'payment-refused', reason: 'authentication_failed', message: 'bad key' } as const;
    const change = next(saga, outcome, { hasOrder: true });
    expect(change).toEqual(recorded({ step: 'COMPENSATING', failureCode: 'PAYMENT_FAILED', failureDetails: {}, ...settleFirst }));
    expect(change.kind === 'record' && change.logs.map((log) => log.level)).toEqual(['error', 'info']);
  });

  it.each([
    [0, 1_000],
    [1, 2_000],
    [5, 32_000],
    [6, 60_000],
    [20, 60_000],
  ])('retries when the provider does not answer: after %i failed attempts, in %i ms', (attempts, delayMs) => {
    const change = next({ ...saga, attempts }, { step, kind: 'no-answer', reason: 'timeout' }, { hasOrder: true });
    expect(change).toEqual(retried(attempts + 1, delayMs, 'timeout'));
  });

  it('keeps at most 1000 characters of the reason a retry records', () => {
    const change = next(saga, { step, kind: 'no-answer', reason: 'x'.repeat(2_000) }, { hasOrder: true });
    expect(change.kind === 'retry' && change.lastError).toHaveLength(1_000);
  });
});

describe('after COMMITTING', () => {
  const saga = sagaAt('COMMITTING', { paymentState: 'CAPTURED', chargeId: 'ch_1' });
  const step = 'COMMITTING';

  it('records CONFIRMED, forgets the token and confirms the order', () => {
    expect(next(saga, { step, kind: 'committed', reservationStatus: 'COMMITTED' })).toEqual(
      recorded(
        { step: 'CONFIRMED', paymentToken: null },
        { orderWrite: { kind: 'set-status', status: 'CONFIRMED', reason: null } },
      ),
    );
  });

  it.each(['RESERVED', 'RELEASED'] as const)('retries, never confirming, when a commit answers a %s reservation', (status) => {
    expect(next(saga, { step, kind: 'committed', reservationStatus: status })).toEqual(
      retried(1, 1_000, `the inventory answered a commit with a ${status} reservation`),
    );
  });

  it.each(['released', 'not_found'] as const)('compensates RESERVATION_EXPIRED when the reservation is %s', (status) => {
    expect(next(saga, { step, kind: 'reservation-gone', status })).toEqual(
      recorded({ step: 'COMPENSATING', failureCode: 'RESERVATION_EXPIRED', failureDetails: {} }),
    );
  });

  it('keeps retrying a paid order when the inventory refuses the commit', () => {
    const change = next(saga, { step, kind: 'inventory-refused', code: 'FORBIDDEN', message: 'bad secret' });
    expect(change).toEqual(retried(1, 1_000, 'FORBIDDEN: bad secret'));
  });

  it('retries when the inventory does not answer', () => {
    expect(next(saga, { step, kind: 'no-answer', reason: 'timeout' })).toEqual(retried(1, 1_000, 'timeout'));
  });
});

describe('after COMPENSATING', () => {
  const step = 'COMPENSATING';
  const compensating = (more: Partial<Saga> = {}) =>
    sagaAt(step, { failureCode: 'PAYMENT_DECLINED', paymentState: 'DECLINED', ...more });

  it('records a payment settled from UNKNOWN, with a late-charge check', () => {
    const saga = compensating({ paymentState: 'UNKNOWN', failureCode: 'PAYMENT_FAILED' });
    expect(next(saga, { step, kind: 'payment-settled', paymentState: 'NONE' }, { hasOrder: true })).toEqual(
      recorded({ paymentState: 'NONE', lateChargeCheckAt: new Date(NOW.getTime() + TIMING.lateChargeCheckMs) }),
    );
  });

  it('records a captured payment refunded, with no late-charge check', () => {
    const saga = compensating({ paymentState: 'CAPTURED', chargeId: 'ch_1', failureCode: 'CANCELLED_BY_CUSTOMER' });
    expect(next(saga, { step, kind: 'payment-settled', paymentState: 'REFUNDED' }, { hasOrder: true })).toEqual(
      recorded({ paymentState: 'REFUNDED', lateChargeCheckAt: null }),
    );
  });

  it('retries after the delay the money step asks for', () => {
    const outcome = { step, kind: 'no-answer', reason: 'waiting', delayMs: 42 } as const;
    expect(next(compensating(), outcome, { hasOrder: true })).toEqual(retried(1, 42, 'waiting'));
  });

  it('retries when the inventory refuses the release', () => {
    const change = next(
      compensating(),
      { step, kind: 'inventory-refused', code: 'FORBIDDEN', message: 'no' },
      { hasOrder: true },
    );
    expect(change).toEqual(retried(1, 1_000, 'FORBIDDEN: no'));
  });

  it.each(FAILURE_CODES.map((code) => [code]))('cancels an order compensating for %s with its cancellation reason', (code) => {
    const change = next(compensating({ failureCode: code }), { step, kind: 'stock-released', found: true }, { hasOrder: true });
    const reason = ['PAYMENT_DECLINED', 'RESERVATION_EXPIRED', 'CANCELLED_BY_CUSTOMER', 'CANCELLED_BY_ADMIN'].includes(code)
      ? code
      : 'PAYMENT_FAILED';
    expect(change).toEqual(
      recorded(
        { step: 'CANCELLED', paymentToken: null },
        { orderWrite: { kind: 'set-status', status: 'CANCELLED', reason }, crashBefore: 'stock-released-answered' },
      ),
    );
  });

  it('rejects a checkout that never had an order once its stock is released', () => {
    const saga = compensating({ failureCode: 'CHECKOUT_TIMED_OUT', paymentState: 'NONE' });
    expect(next(saga, { step, kind: 'stock-released', found: true })).toEqual(
      recorded({ step: 'REJECTED', paymentToken: null }, { crashBefore: 'stock-released-answered' }),
    );
  });

  it.each(['INVENTORY_UNAVAILABLE', 'INVENTORY_REFUSED'] as const)(
    'waits for a %s reservation that may still land before believing there is none',
    (failureCode) => {
      const saga = compensating({ failureCode, paymentState: 'NONE', updatedAt: new Date(NOW.getTime() - 1_000) });
      const released = { step, kind: 'stock-released', found: false } as const;
      expect(next(saga, released)).toEqual(retried(1, 3_000, 'no reservation yet; one may still land'));
      const later = { context: { now: new Date(NOW.getTime() + 3_000) } };
      expect(next(saga, released, later)).toMatchObject({ kind: 'record', change: { step: 'REJECTED' } });
      expect(next(saga, { ...released, found: true })).toMatchObject({ kind: 'record', change: { step: 'REJECTED' } });
    },
  );

  it('believes a missing reservation at once when the failure was not the inventory’s', () => {
    const saga = compensating({ failureCode: 'OUT_OF_STOCK', paymentState: 'NONE', updatedAt: NOW });
    expect(next(saga, { step, kind: 'stock-released', found: false })).toMatchObject({ change: { step: 'REJECTED' } });
  });
});

describe('the transition', () => {
  it('refuses an outcome of another step than the saga is at', () => {
    expect(() => next(sagaAt('CHARGING'), { step: 'RESERVING', kind: 'past-deadline' })).toThrow(/RESERVING outcome/);
  });

  it('covers every outcome of every step in these tests', () => {
    // Adding an outcome kind to step-outcomes.ts fails to compile here until it is listed (and tested above).
    const covered = {
      RESERVING: ['past-deadline', 'reserved', 'out-of-stock', 'unknown-product', 'inventory-refused', 'no-answer'],
      CHARGING: ['cannot-charge', 'charged', 'declined', 'token-invalid', 'payment-refused', 'no-answer'],
      COMMITTING: ['committed', 'reservation-gone', 'inventory-refused', 'no-answer'],
      COMPENSATING: ['payment-settled', 'stock-released', 'inventory-refused', 'no-answer'],
    } as const satisfies { [S in StepOutcome['step']]: readonly Extract<StepOutcome, { step: S }>['kind'][] };
    type Uncovered = {
      [S in StepOutcome['step']]: Exclude<Extract<StepOutcome, { step: S }>['kind'], (typeof covered)[S][number]>;
    }[StepOutcome['step']];
    const isEveryKindCovered: [Uncovered] extends [never] ? true : false = true;
    expect(isEveryKindCovered).toBe(true);
    expect(Object.keys(covered)).toEqual(['RESERVING', 'CHARGING', 'COMMITTING', 'COMPENSATING']);
  });
});
