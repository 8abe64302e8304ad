import { describe, expect, it } from 'vitest';
import {
  CREATED_AT,
  DESK,
  FREE_KEY,
  keyIsKept,
  LAMP,
  next,
  NOW,
  recorded,
  reservation,
  retried,
  sagaAt,
  TIMING,
} from '../../test/transition-fixtures.js';
import type { StepOutcome } from './step-outcomes.js';
import { MAX_ORDER_TOTAL_MINOR } from './transition.js';

// Every step x every outcome of the saga's pure transition (see transition.ts), with no I/O: the
// steps going forward here, COMPENSATING in transition-compensating.test.ts.

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

describe('the transition', () => {
  it('refuses an outcome of another step than the saga is at', () => {
    expect(() => next(sagaAt('CHARGING'), { step: 'RESERVING', kind: 'past-deadline' })).toThrow(/RESERVING outcome/);
  });

  it('covers every outcome of every step in these tests', () => {
    // Adding an outcome kind to step-outcomes.ts fails to compile here until it is listed (and tested
    // above or in transition-compensating.test.ts).
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
