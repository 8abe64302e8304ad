import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CrashPoint } from '../src/checkout/crash-points.js';
import { checkoutInput, CUSTOMER, initialStockOf, TIMING } from './checkout-fixtures.js';
import { createCheckoutHarness, type CheckoutHarness } from './checkout-harness.js';
import { errorOf } from './checkout-operations.js';
import { dataOf, testDialects } from './harness.js';
import { startPaymentSandbox } from './payment-sandbox.js';

// Checkouts the request could not finish: a payment provider or an inventory that does not answer
// in time, a driver that died between two steps (a crashed process, holding its lease), and the
// recovery loop that finishes or compensates them. The clock is moved on instead of waited for.
// A recovery pass drives every due saga in the database, so each test has a database of its own.

let sandbox: Awaited<ReturnType<typeof startPaymentSandbox>>;
beforeAll(async () => {
  sandbox = await startPaymentSandbox();
});
afterAll(() => sandbox?.close());

describe.each(testDialects())('checkout recovery on %s', (dialect) => {
  let h: CheckoutHarness;
  beforeEach(async () => {
    h = await createCheckoutHarness(dialect, sandbox.url);
  });
  afterEach(() => h?.close());

  /** Starts a checkout that answers ORDER_IN_PROGRESS, and returns its order id. */
  async function startCheckoutInProgress(input = checkoutInput()) {
    const error = errorOf(await h.createOrder(CUSTOMER, input));
    expect(error).toEqual({ code: 'ORDER_IN_PROGRESS', retryable: true, orderId: expect.any(String) });
    return error.orderId as string;
  }

  /** The sandbox finishes a slow charge after the client stopped waiting for it. */
  async function waitForSlowCharge(orderId: string) {
    await vi.waitFor(async () => expect(await h.chargesOf(orderId)).toHaveLength(1), { timeout: 5_000, interval: 50 });
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

        expect(await h.readOrder(orderId)).toMatchObject({
          status: 'CANCELLED',
          cancellationReason: 'PAYMENT_FAILED',
          statusHistory: [
            { status: 'PENDING', reason: null },
            { status: 'CANCELLED', reason: 'PAYMENT_FAILED' },
          ],
        });
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

      expect(await h.readOrder(orderId)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'RESERVATION_EXPIRED',
        statusHistory: [
          { status: 'PENDING', reason: null },
          { status: 'CANCELLED', reason: 'RESERVATION_EXPIRED' },
        ],
      });
      expect(await h.chargesOf(orderId)).toEqual([
        expect.objectContaining({ status: 'succeeded', amountMinor: 39_998, amountRefundedMinor: 39_998, isRefunded: true }),
      ]);
      expect(h.inventory.stockOf('desk')).toBe(initialStockOf('desk'));
      expect(await h.sagaOf(orderId)).toMatchObject({ step: 'CANCELLED', paymentState: 'REFUNDED' });
      expect(errorOf(await h.createOrder(CUSTOMER, input))).toEqual({ code: 'CHECKOUT_EXPIRED', orderId });
    });
  });

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

        expect(await h.readOrder(orderId)).toMatchObject({
          status: 'CANCELLED',
          cancellationReason: 'PAYMENT_DECLINED',
          statusHistory: [{ status: 'PENDING' }, { status: 'CANCELLED', reason: 'PAYMENT_DECLINED' }],
        });
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
      const patient = await createCheckoutHarness(dialect, sandbox.url, { env: { CHECKOUT_WAIT_MS: '300' } });
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
