import { beforeEach, describe, expect, it, vi } from 'vitest';
import { checkoutInput, CUSTOMER, initialStockOf, TIMING } from './checkout-fixtures.js';
import { createCheckoutHarness, type CheckoutHarness } from './checkout-harness.js';
import { errorOf } from './checkout-operations.js';
import { describeRecovery } from './checkout-suite.js';
import { dataOf } from './harness.js';

// Checkouts and cancellations the request could not finish because the payment provider or the
// inventory did not answer in time, and the recovery loop that finishes or compensates them. The
// clock is moved on instead of waited for. Crashed drivers are in checkout-crashes.test.ts.

describeRecovery('checkout recovery', (suite, dialect) => {
  const { startCheckoutInProgress, expectCancelledFromPending } = suite;
  let h: CheckoutHarness;
  beforeEach(() => ({ h } = suite));

  /** The sandbox finishes a slow charge after the client stopped waiting for it. */
  async function waitForSlowCharge(orderId: string) {
    await vi.waitFor(async () => expect(await h.chargesOf(orderId)).toHaveLength(1), { timeout: 15_000, interval: 50 });
  }

  describe('when the payment provider does not answer', () => {
    it.each(['tok_timeout', 'tok_providerError'])(
      'answers ORDER_IN_PROGRESS for %s with the order PENDING and its stock held; past the deadline recovery cancels it, PAYMENT_FAILED, nothing charged',
      async (paymentToken) => {
        const input = checkoutInput({ items: [{ productId: 'chair', quantity: 1 }], paymentToken });
        const orderId = await startCheckoutInProgress(input);

        expect(await h.readOrder(orderId)).toMatchObject({ status: 'PENDING', cancellationReason: null });
        expect(h.inventory.stockOf('chair')).toBe(4);
        expect(h.inventory.reservationOf(orderId)?.status).toBe('RESERVED');
        expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CHARGING', paymentState: 'UNKNOWN', attempts: 1 });

        // Past the deadline the saga stops charging, then waits for any charge still in flight to settle.
        await h.recoverAfter(TIMING.deadlineMs + 1);
        expect(await h.sagaOf(orderId)).toMatchObject({ step: 'COMPENSATING', failureCode: 'PAYMENT_FAILED' });
        expect((await h.readOrder(orderId)).status).toBe('PENDING');
        expect(await h.recoverAfter(TIMING.paymentSettleMs + 1)).toEqual({ driven: 1 });

        await expectCancelledFromPending(orderId, 'PAYMENT_FAILED');
        expect(h.inventory.stockOf('chair')).toBe(5);
        expect(h.inventory.reservationOf(orderId)?.status).toBe('RELEASED');
        expect(await h.chargesOf(orderId)).toEqual([]);
        expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CANCELLED', paymentState: 'NONE', paymentToken: null });
        expect(errorOf(await h.createOrder(CUSTOMER, input))).toEqual({ code: 'PAYMENT_FAILED', orderId });
      },
    );

    it('tries the charge again when the client retries with the same key, and answers ORDER_IN_PROGRESS again', async () => {
      const input = checkoutInput({ paymentToken: 'tok_providerError' });
      const orderId = await startCheckoutInProgress(input);

      expect(errorOf(await h.createOrder(CUSTOMER, input))).toEqual({ code: 'ORDER_IN_PROGRESS', retryable: true, orderId });
      expect(h.payments.countOf('charge')).toBe(2);
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CHARGING', attempts: 2 });
      expect(await h.countRowsOf(CUSTOMER.id)).toMatchObject({ checkoutSagas: 1 });
    });

    it('confirms with a single charge when a charge that timed out went through: recovery retries it with the same key', async () => {
      const input = checkoutInput({ paymentToken: 'tok_chargeSucceedsSlowly' });
      const orderId = await startCheckoutInProgress(input);
      await waitForSlowCharge(orderId);

      expect(await h.recoverAfter(TIMING.pastAnyBackoffMs)).toEqual({ driven: 1 });

      const charges = await h.chargesOf(orderId);
      expect(charges).toEqual([expect.objectContaining({ status: 'succeeded', amountMinor: 2_500, isRefunded: false })]);
      expect(await h.readOrder(orderId)).toMatchObject({ status: 'CONFIRMED' });
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CONFIRMED', paymentState: 'CAPTURED', chargeId: charges[0]!.id });
      expect(h.inventory.reservationOf(orderId)?.status).toBe('COMMITTED');
      expect(dataOf(await h.createOrder(CUSTOMER, input)).createOrder).toMatchObject({ id: orderId, status: 'CONFIRMED' });
    });

    it('refunds a charge that went through after the deadline and cancels the order with PAYMENT_FAILED', async () => {
      const orderId = await startCheckoutInProgress(checkoutInput({ paymentToken: 'tok_chargeSucceedsSlowly' }));
      await waitForSlowCharge(orderId);

      await h.recoverAfter(TIMING.deadlineMs + 1);
      await h.recoverAfter(TIMING.paymentSettleMs + 1);

      expect(await h.readOrder(orderId)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_FAILED' });
      expect(await h.chargesOf(orderId)).toEqual([
        expect.objectContaining({ status: 'succeeded', amountMinor: 2_500, amountRefundedMinor: 2_500, isRefunded: true }),
      ]);
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CANCELLED', paymentState: 'REFUNDED' });
      expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp'));
    });
  });

  describe('when a charge reaches the provider after compensation looked for it', () => {
    it('refunds it at the late-charge check, and only then: the order stays cancelled, the customer keeps nothing', async () => {
      const input = checkoutInput({ items: [{ productId: 'chair', quantity: 1 }], paymentToken: 'tok_timeout' });
      const orderId = await startCheckoutInProgress(input);
      await h.recoverAfter(TIMING.deadlineMs + 1);
      await h.recoverAfter(TIMING.paymentSettleMs + 1);
      expect(await h.sagaOf(orderId)).toMatchObject({
        step: 'CANCELLED',
        paymentState: 'NONE',
        lateChargeCheckAt: expect.any(Date),
      });

      // The provider finally acts on a request the saga gave up on long ago.
      const late = await h.chargeAtTheSandbox({
        orderId,
        amountMinor: 8_950,
        currency: 'USD',
        paymentToken: 'tok_visa',
        idempotencyKey: `late-${orderId}`,
      });
      expect(late.status).toBe('succeeded');

      // Not yet due: the charge stays.
      await h.recoverAfter(TIMING.lateChargeCheckMs / 2);
      expect(await h.chargesOf(orderId)).toEqual([expect.objectContaining({ status: 'succeeded', isRefunded: false })]);

      await h.recoverAfter(TIMING.lateChargeCheckMs / 2 + 1);
      expect(await h.chargesOf(orderId)).toEqual([expect.objectContaining({ status: 'succeeded', isRefunded: true })]);
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CANCELLED', lateChargeCheckAt: null });
      expect(await h.readOrder(orderId)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_FAILED' });

      // Checked once: a later pass asks the provider nothing more about this order.
      const listings = h.payments.calls.filter((call) => call.call === 'findChargesForOrder').length;
      await h.recoverAfter(TIMING.lateChargeCheckMs + 1);
      expect(h.payments.calls.filter((call) => call.call === 'findChargesForOrder')).toHaveLength(listings);
    });
  });

  describe('when the inventory does not answer a release', () => {
    it('answers PAYMENT_DECLINED for a declined card; recovery then gives the stock back and cancels the order', async () => {
      h.inventory.failNext('release', 'unavailable');
      const input = checkoutInput({ items: [{ productId: 'chair', quantity: 2 }], paymentToken: 'tok_chargeDeclined' });

      const error = errorOf(await h.createOrder(CUSTOMER, input));
      expect(error).toEqual({ code: 'PAYMENT_DECLINED', orderId: expect.any(String), declineCode: 'generic_decline' });
      const orderId = error.orderId as string;
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'COMPENSATING', paymentState: 'DECLINED', attempts: 1 });

      expect(await h.recoverAfter(TIMING.pastAnyBackoffMs)).toEqual({ driven: 1 });

      expect(await h.readOrder(orderId)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED' });
      expect(h.inventory.stockOf('chair')).toBe(initialStockOf('chair'));
      expect(await h.chargesOf(orderId)).toEqual([expect.objectContaining({ status: 'failed' })]);
      expect(errorOf(await h.createOrder(CUSTOMER, input))).toEqual(error);
    });
  });

  describe('when a reservation whose answer was lost lands late', () => {
    it('releases it once it has landed: the first release found nothing, recovery looks again and gives the stock back', async () => {
      h.inventory.failNext('reserve', 'unavailable');
      const input = checkoutInput({ items: [{ productId: 'desk', quantity: 2 }] });

      expect(errorOf(await h.createOrder(CUSTOMER, input))).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      const orderId = h.inventory.calls[0]!.orderId;
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'COMPENSATING', failureCode: 'INVENTORY_UNAVAILABLE' });

      // Products finishes the request the orders service gave up on (it was waiting for a row lock, say).
      const late = await h.inventory.client.reserve({ orderId, items: [{ productId: 'desk', quantity: 2 }], ttlSeconds: 600 });
      expect(late.status).toBe('reserved');
      expect(h.inventory.stockOf('desk')).toBe(initialStockOf('desk') - 2);

      expect(await h.recoverAfter(TIMING.pastAnyBackoffMs)).toEqual({ driven: 1 });

      expect(h.inventory.reservationOf(orderId)?.status).toBe('RELEASED');
      expect(h.inventory.stockOf('desk')).toBe(initialStockOf('desk'));
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'REJECTED', idempotencyKey: null });
      expect(await h.orderRowOf(orderId)).toBeNull();
    });
  });

  describe('when the inventory does not answer the commit', () => {
    it.each([
      ['unavailable', 'nothing was committed'],
      ['timeout', 'the commit went through'],
    ] as const)('answers ORDER_IN_PROGRESS for a paid order (%s: %s); recovery confirms it', async (failure, _meaning) => {
      h.inventory.failNext('commit', failure);
      const input = checkoutInput({ items: [{ productId: 'desk', quantity: 2 }] });
      const orderId = await startCheckoutInProgress(input);

      expect((await h.readOrder(orderId)).status).toBe('PENDING');
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'COMMITTING', paymentState: 'CAPTURED' });
      expect(await h.chargesOf(orderId)).toEqual([expect.objectContaining({ status: 'succeeded', amountMinor: 39_998 })]);

      expect(await h.recoverAfter(TIMING.pastAnyBackoffMs)).toEqual({ driven: 1 });

      expect(await h.readOrder(orderId)).toMatchObject({
        status: 'CONFIRMED',
        statusHistory: [{ status: 'PENDING' }, { status: 'CONFIRMED' }],
      });
      expect(h.inventory.reservationOf(orderId)?.status).toBe('COMMITTED');
      expect(h.inventory.stockOf('desk')).toBe(1);
      expect(await h.chargesOf(orderId)).toEqual([expect.objectContaining({ isRefunded: false })]);
      expect(dataOf(await h.createOrder(CUSTOMER, input)).createOrder).toMatchObject({ id: orderId, status: 'CONFIRMED' });
    });

    it('cancels with RESERVATION_EXPIRED and refunds the charge when the stock was released before the commit', async () => {
      h.inventory.failNext('commit', 'unavailable');
      const input = checkoutInput({ items: [{ productId: 'desk', quantity: 2 }] });
      const orderId = await startCheckoutInProgress(input);
      h.inventory.expire(orderId);

      expect(await h.recoverAfter(TIMING.pastAnyBackoffMs)).toEqual({ driven: 1 });

      await expectCancelledFromPending(orderId, 'RESERVATION_EXPIRED');
      expect(await h.chargesOf(orderId)).toEqual([
        expect.objectContaining({ status: 'succeeded', amountMinor: 39_998, amountRefundedMinor: 39_998, isRefunded: true }),
      ]);
      expect(h.inventory.stockOf('desk')).toBe(initialStockOf('desk'));
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CANCELLED', paymentState: 'REFUNDED' });
      expect(errorOf(await h.createOrder(CUSTOMER, input))).toEqual({ code: 'CHECKOUT_EXPIRED', orderId });
    });
  });

  describe('when cancelOrder cannot refund at once', () => {
    it('answers ORDER_IN_PROGRESS while the refund waits for the provider; recovery then completes the cancellation', async () => {
      const placed = dataOf(await h.createOrder(CUSTOMER, checkoutInput())).createOrder;
      h.payments.failNext('refund');

      expect(errorOf(await h.cancelOrder(CUSTOMER, placed.id))).toEqual({
        code: 'ORDER_IN_PROGRESS',
        orderId: placed.id,
        retryable: true,
      });
      expect((await h.readOrder(placed.id)).status).toBe('CONFIRMED');
      expect(await h.sagaOf(placed.id)).toMatchObject({ step: 'COMPENSATING', paymentState: 'CAPTURED', attempts: 1 });
      expect(await h.chargesOf(placed.id)).toEqual([expect.objectContaining({ isRefunded: false })]);
      expect(h.inventory.stockOf('lamp')).toBe(9);

      expect(await h.recoverAfter(TIMING.pastAnyBackoffMs)).toEqual({ driven: 1 });

      expect(await h.readOrder(placed.id)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'CANCELLED_BY_CUSTOMER' });
      expect(await h.chargesOf(placed.id)).toEqual([expect.objectContaining({ isRefunded: true })]);
      expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp'));
      expect(h.payments.countOf('refund')).toBe(2);
    });
  });

  describe('when the request runs out of time between steps', () => {
    it('answers ORDER_IN_PROGRESS instead of starting a step it has no time for; recovery finishes the checkout', async () => {
      // CHECKOUT_WAIT_MS 0: after the first step no other fits, whatever the machine's speed.
      const hurried = await createCheckoutHarness(dialect, suite.sandboxUrl, { env: { CHECKOUT_WAIT_MS: '0' } });
      try {
        const input = checkoutInput();
        const error = errorOf(await hurried.createOrder(CUSTOMER, input));

        expect(error).toEqual({ code: 'ORDER_IN_PROGRESS', retryable: true, orderId: expect.any(String) });
        const orderId = error.orderId as string;
        expect(await hurried.sagaOf(orderId)).toMatchObject({ step: 'CHARGING', leaseOwner: null });
        expect(hurried.payments.calls).toEqual([]);

        expect(await hurried.recoverAfter(0)).toEqual({ driven: 1 });
        expect(await hurried.readOrder(orderId)).toMatchObject({ status: 'CONFIRMED' });
        expect(dataOf(await hurried.createOrder(CUSTOMER, input)).createOrder).toMatchObject({
          id: orderId,
          status: 'CONFIRMED',
        });
      } finally {
        await hurried.close();
      }
    });
  });
});
