import { describe, expect, it } from 'vitest';
import { next, NOW, recorded, retried, sagaAt, TIMING } from '../../test/transition-fixtures.js';
import { FAILURE_CODES } from './failures.js';
import type { Saga } from './saga-record.js';

// Every outcome of COMPENSATING in the saga's pure transition (see transition.ts), with no I/O:
// settling the payment, releasing the stock, and the order's end.

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
