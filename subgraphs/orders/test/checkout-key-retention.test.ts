import { beforeEach, describe, expect, it } from 'vitest';
import { checkoutInput, CUSTOMER, TIMING } from './checkout-fixtures.js';
import type { CheckoutHarness } from './checkout-harness.js';
import { describeRecovery } from './checkout-suite.js';
import { dataOf } from './harness.js';

// The recovery loop frees the idempotency key of a finished checkout once the retention period is
// over, and never that of an unfinished one. The clock is moved on instead of waited for.

describeRecovery('checkout recovery', (suite) => {
  const { startCheckoutInProgress } = suite;
  let h: CheckoutHarness;
  beforeEach(() => ({ h } = suite));

  describe('idempotency key retention', () => {
    const pastRetentionMs = TIMING.retentionMs + 60_000;

    it('frees the key of a finished checkout after the retention period: the same key then places a new order', async () => {
      const input = checkoutInput();
      const first = dataOf(await h.createOrder(CUSTOMER, input)).createOrder;

      await h.recoverAfter(TIMING.retentionMs - 60_000);
      expect(await h.sagaOf(first.id)).toMatchObject({ idempotencyKey: input.idempotencyKey });
      await h.recoverAfter(2 * 60_000);
      expect(await h.sagaOf(first.id)).toMatchObject({ step: 'CONFIRMED', idempotencyKey: null, requestHash: null });

      const second = dataOf(await h.createOrder(CUSTOMER, input)).createOrder;
      expect(second).toMatchObject({ status: 'CONFIRMED' });
      expect(second.id).not.toBe(first.id);
      expect(await h.countRowsOf(CUSTOMER.id)).toMatchObject({ checkoutSagas: 2 });
      expect(h.payments.countOf('charge')).toBe(2);
      expect(h.inventory.stockOf('lamp')).toBe(8);
    });

    it('keeps the key of an unfinished checkout past the retention period', async () => {
      h.inventory.failNext('commit', 'unavailable', 'unavailable');
      const input = checkoutInput();
      const orderId = await startCheckoutInProgress(input);

      // The recovery pass fails to commit again: the checkout is still unfinished after it.
      await h.recoverAfter(pastRetentionMs);
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'COMMITTING', idempotencyKey: input.idempotencyKey });

      expect(dataOf(await h.createOrder(CUSTOMER, input)).createOrder).toMatchObject({ id: orderId, status: 'CONFIRMED' });
      expect(await h.countRowsOf(CUSTOMER.id)).toMatchObject({ checkoutSagas: 1 });
      expect(h.payments.countOf('charge')).toBe(1);
    });
  });
});
