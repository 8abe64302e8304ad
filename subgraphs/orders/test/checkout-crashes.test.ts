import { beforeEach, describe, expect, it } from 'vitest';
import type { CrashPoint } from '../src/checkout/crash-points.js';
import { checkoutInput, CUSTOMER, initialStockOf, TIMING } from './checkout-fixtures.js';
import { createCheckoutHarness, type CheckoutHarness } from './checkout-harness.js';
import { errorOf } from './checkout-operations.js';
import { describeRecovery } from './checkout-suite.js';
import { dataOf } from './harness.js';

// Checkouts and cancellations whose driver died between two steps (a crashed process, holding its
// lease), and the recovery loop or a retry that finishes or compensates them once the lease has run
// out. The clock is moved on instead of waited for.

describeRecovery('checkout recovery', (suite, dialect) => {
  const { expectCancelledFromPending } = suite;
  let h: CheckoutHarness;
  beforeEach(() => ({ h } = suite));

  describe('after a driver died holding the lease', () => {
    const forwardCrashes: [CrashPoint, string][] = [
      ['checkout-recorded', 'RESERVING, nothing reserved'],
      ['stock-reserved-answered', 'RESERVING, stock reserved but not recorded'],
      ['stock-reserved-recorded', 'CHARGING, nothing charged'],
      ['payment-captured-answered', 'CHARGING, charged but not recorded'],
      ['payment-captured-recorded', 'COMMITTING'],
      ['stock-committed-answered', 'COMMITTING, committed but not recorded'],
    ];

    it.each(forwardCrashes)(
      'confirms a checkout whose driver died at %s (%s): stock committed once, charged once',
      async (point) => {
        const input = checkoutInput({ items: [{ productId: 'desk', quantity: 2 }] });
        const orderId = await h.interruptCheckout(CUSTOMER, input, point);

        // The dead driver's lease still runs: recovery leaves the saga alone.
        expect(await h.recoverOnce()).toEqual({ driven: 0 });
        expect(await h.recoverAfter(TIMING.leaseMs + 1)).toEqual({ driven: 1 });

        expect(await h.readOrder(orderId)).toMatchObject({
          status: 'CONFIRMED',
          total: { amount: '399.98' },
          statusHistory: [{ status: 'PENDING' }, { status: 'CONFIRMED' }],
        });
        expect(h.inventory.stockOf('desk')).toBe(1);
        expect(h.inventory.reservationOf(orderId)?.status).toBe('COMMITTED');
        expect(await h.chargesOf(orderId)).toEqual([
          expect.objectContaining({ status: 'succeeded', amountMinor: 39_998, isRefunded: false }),
        ]);
        expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CONFIRMED', paymentToken: null, leaseOwner: null });
        expect(dataOf(await h.createOrder(CUSTOMER, input)).createOrder).toMatchObject({ id: orderId, status: 'CONFIRMED' });
      },
    );

    const declineCrashes: [CrashPoint, string][] = [
      ['payment-declined-answered', 'CHARGING, declined but not recorded'],
      ['compensation-recorded', 'COMPENSATING, stock still held'],
      ['stock-released-answered', 'COMPENSATING, stock released but not recorded'],
    ];

    it.each(declineCrashes)(
      'cancels a declined checkout whose driver died at %s (%s): stock back, nothing charged',
      async (point) => {
        const input = checkoutInput({ items: [{ productId: 'desk', quantity: 2 }], paymentToken: 'tok_chargeDeclined' });
        const orderId = await h.interruptCheckout(CUSTOMER, input, point);

        expect(await h.recoverOnce()).toEqual({ driven: 0 });
        expect(await h.recoverAfter(TIMING.leaseMs + 1)).toEqual({ driven: 1 });

        await expectCancelledFromPending(orderId, 'PAYMENT_DECLINED');
        expect(h.inventory.stockOf('desk')).toBe(initialStockOf('desk'));
        expect(await h.chargesOf(orderId)).toEqual([expect.objectContaining({ status: 'failed' })]);
        expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CANCELLED', paymentState: 'DECLINED', paymentToken: null });
        expect(errorOf(await h.createOrder(CUSTOMER, input))).toMatchObject({ code: 'PAYMENT_DECLINED', orderId });
      },
    );

    it.each<CrashPoint>(['compensation-recorded', 'payment-refunded-answered', 'stock-released-answered'])(
      'completes a cancellation whose driver died at %s: refunded once, stock back, CANCELLED_BY_CUSTOMER',
      async (point) => {
        const placed = dataOf(
          await h.createOrder(CUSTOMER, checkoutInput({ items: [{ productId: 'chair', quantity: 2 }] })),
        ).createOrder;
        await h.interruptCancellation(CUSTOMER, placed.id, point);

        expect(await h.recoverOnce()).toEqual({ driven: 0 });
        expect(await h.recoverAfter(TIMING.leaseMs + 1)).toEqual({ driven: 1 });

        expect(await h.readOrder(placed.id)).toMatchObject({
          status: 'CANCELLED',
          cancellationReason: 'CANCELLED_BY_CUSTOMER',
          statusHistory: [
            { status: 'PENDING' },
            { status: 'CONFIRMED' },
            { status: 'CANCELLED', reason: 'CANCELLED_BY_CUSTOMER' },
          ],
        });
        expect(await h.chargesOf(placed.id)).toEqual([
          expect.objectContaining({ status: 'succeeded', amountMinor: 17_900, amountRefundedMinor: 17_900, isRefunded: true }),
        ]);
        expect(h.inventory.stockOf('chair')).toBe(initialStockOf('chair'));
        expect(await h.sagaOf(placed.id)).toMatchObject({ step: 'CANCELLED', paymentState: 'REFUNDED' });
      },
    );

    it('rejects a checkout that died after reserving once past the deadline: no order, stock back, CHECKOUT_FAILED', async () => {
      const input = checkoutInput({ items: [{ productId: 'desk', quantity: 2 }] });
      const orderId = await h.interruptCheckout(CUSTOMER, input, 'stock-reserved-answered');
      expect(h.inventory.stockOf('desk')).toBe(1);

      expect(await h.recoverAfter(TIMING.deadlineMs + 1)).toEqual({ driven: 1 });

      expect(await h.orderRowOf(orderId)).toBeNull();
      expect(h.inventory.stockOf('desk')).toBe(initialStockOf('desk'));
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'REJECTED', failureCode: 'CHECKOUT_TIMED_OUT', paymentToken: null });
      expect(h.payments.calls).toEqual([]);
      expect(await h.readOrder(orderId)).toBeNull();
      // No order was created, so none is named (schema: "extensions.orderId names the cancelled order when there is one").
      expect(errorOf(await h.createOrder(CUSTOMER, input))).toEqual({ code: 'CHECKOUT_FAILED' });
    });

    it('keeps reserving while the inventory is down when recovering, and confirms once it answers', async () => {
      const input = checkoutInput();
      const orderId = await h.interruptCheckout(CUSTOMER, input, 'checkout-recorded');
      h.inventory.failNext('reserve', 'unavailable');

      expect(await h.recoverAfter(TIMING.leaseMs + 1)).toEqual({ driven: 1 });
      // Unlike a waiting customer's request, recovery neither gives up nor frees the key.
      expect(await h.sagaOf(orderId)).toMatchObject({
        step: 'RESERVING',
        attempts: 1,
        failureCode: null,
        idempotencyKey: input.idempotencyKey,
        leaseOwner: null,
      });
      expect(await h.recoverAfter(TIMING.pastAnyBackoffMs)).toEqual({ driven: 1 });

      expect(await h.readOrder(orderId)).toMatchObject({ status: 'CONFIRMED' });
      expect(await h.chargesOf(orderId)).toHaveLength(1);
    });

    it('drives each saga once when two recovery passes run at once, as two processes would', async () => {
      const points: CrashPoint[] = ['checkout-recorded', 'stock-reserved-recorded', 'payment-captured-answered'];
      const orderIds: string[] = [];
      for (const point of points) orderIds.push(await h.interruptCheckout(CUSTOMER, checkoutInput(), point));
      h.clock.advance(TIMING.leaseMs + 1);

      const passes = await Promise.all([h.recoverOnce(), h.recoverOnce()]);

      expect(passes[0].driven + passes[1].driven).toBe(points.length);
      for (const orderId of orderIds) {
        expect((await h.readOrder(orderId)).status).toBe('CONFIRMED');
        expect(await h.chargesOf(orderId)).toEqual([expect.objectContaining({ status: 'succeeded', isRefunded: false })]);
      }
      expect(h.inventory.calls.filter((call) => call.call === 'commit')).toHaveLength(points.length);
      expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp') - points.length);
    });

    it('cancels with PAYMENT_FAILED, nothing charged, a checkout that died before charging once past the deadline', async () => {
      const orderId = await h.interruptCheckout(CUSTOMER, checkoutInput(), 'stock-reserved-recorded');

      await h.recoverAfter(TIMING.deadlineMs + 1);
      await h.recoverAfter(TIMING.paymentSettleMs + 1);

      expect(await h.readOrder(orderId)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_FAILED' });
      expect(await h.chargesOf(orderId)).toEqual([]);
      expect(h.payments.countOf('charge')).toBe(0);
      expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp'));
    });

    it('refunds the charge of a checkout that died after charging, once recovery past the deadline finds it', async () => {
      const orderId = await h.interruptCheckout(CUSTOMER, checkoutInput(), 'payment-captured-answered');

      await h.recoverAfter(TIMING.deadlineMs + 1);
      await h.recoverAfter(TIMING.paymentSettleMs + 1);

      expect(await h.readOrder(orderId)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_FAILED' });
      expect(await h.chargesOf(orderId)).toEqual([
        expect.objectContaining({ status: 'succeeded', amountRefundedMinor: 2_500, isRefunded: true }),
      ]);
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CANCELLED', paymentState: 'REFUNDED' });
      expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp'));
    });

    it('lets a retry with the same key take the checkout over once the lease has run out, and confirm it', async () => {
      const input = checkoutInput();
      const orderId = await h.interruptCheckout(CUSTOMER, input, 'stock-reserved-recorded');
      h.clock.advance(TIMING.leaseMs + 1);

      expect(dataOf(await h.createOrder(CUSTOMER, input)).createOrder).toMatchObject({ id: orderId, status: 'CONFIRMED' });
      expect(await h.chargesOf(orderId)).toHaveLength(1);
      expect(h.inventory.stockOf('lamp')).toBe(9);
    });

    it('answers ORDER_IN_PROGRESS to a retry while the lease lasts, changing nothing', async () => {
      const patient = await createCheckoutHarness(dialect, suite.sandboxUrl, { env: { CHECKOUT_WAIT_MS: '300' } });
      try {
        const input = checkoutInput();
        const orderId = await patient.interruptCheckout(CUSTOMER, input, 'stock-reserved-recorded');

        expect(errorOf(await patient.createOrder(CUSTOMER, input))).toEqual({
          code: 'ORDER_IN_PROGRESS',
          retryable: true,
          orderId,
        });
        expect(await patient.sagaOf(orderId)).toMatchObject({ step: 'CHARGING', paymentState: 'UNKNOWN' });
        expect(patient.payments.calls).toEqual([]);
      } finally {
        await patient.close();
      }
    });
  });
});
