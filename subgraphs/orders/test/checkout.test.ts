import type { Viewer } from '@supergraph/server-kit/auth';
import { beforeEach, describe, expect, it } from 'vitest';
import { cartOf, checkoutInput, CUSTOMER, initialStockOf, SEEDED_ORDERS } from './checkout-fixtures.js';
import { createCheckoutHarness, type CheckoutHarness } from './checkout-harness.js';
import { errorOf } from './checkout-operations.js';
import { describeCheckout } from './checkout-suite.js';
import { dataOf } from './harness.js';

// createOrder as a client sees it, with what it leaves in the database, in the inventory and at the
// payment sandbox. Nothing here runs the recovery loop or moves the clock, so the tests share one
// database per dialect, each with a customer of its own and fresh fakes. Retries with a key are in
// checkout-idempotency.test.ts, cancelOrder in cancel-order.test.ts; outages that outlast the
// request, crashed drivers and the recovery loop in checkout-outages, checkout-crashes and
// checkout-key-retention.test.ts.
const [, seededToKeep] = SEEDED_ORDERS.filter((order) => order.status === 'CONFIRMED' && order.userId === CUSTOMER.id);

describeCheckout('createOrder', (suite, dialect) => {
  const { placeOrder } = suite;
  let h: CheckoutHarness;
  let customer: Viewer;
  beforeEach(() => ({ h, customer } = suite));

  it('confirms the order at the inventory’s prices, charges its total once, commits the stock and records the history', async () => {
    const startedAt = h.clock.now().getTime();
    const input = checkoutInput({ items: cartOf({ lamp: 2, desk: 1 }) });
    const order = dataOf(await h.createOrder(customer, input)).createOrder;
    const finishedAt = h.clock.now().getTime();

    expect(order).toEqual({
      id: expect.any(String),
      status: 'CONFIRMED',
      createdAt: expect.any(String),
      cancellationReason: null,
      user: { id: customer.id },
      total: { amount: '249.99', currency: 'USD' },
      items: [
        {
          product: { id: 'lamp' },
          quantity: 2,
          unitPrice: { amount: '25.00', currency: 'USD' },
          lineTotal: { amount: '50.00', currency: 'USD' },
        },
        {
          product: { id: 'desk' },
          quantity: 1,
          unitPrice: { amount: '199.99', currency: 'USD' },
          lineTotal: { amount: '199.99', currency: 'USD' },
        },
      ],
      statusHistory: [
        { status: 'PENDING', at: expect.any(String), reason: null },
        { status: 'CONFIRMED', at: expect.any(String), reason: null },
      ],
    });
    const times = [order.createdAt, ...order.statusHistory.map((change: { at: string }) => change.at)].map(Date.parse);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(startedAt);
    expect(Math.max(...times)).toBeLessThanOrEqual(finishedAt);

    expect(await h.orderRowOf(order.id)).toMatchObject({
      userId: customer.id,
      status: 'CONFIRMED',
      totalMinor: 24_999,
      currency: 'USD',
      createdAt: new Date(order.createdAt),
    });
    expect(await h.statusChangesOf(order.id)).toEqual([
      { orderId: order.id, status: 'PENDING', reason: null, changedAt: new Date(order.statusHistory[0].at) },
      { orderId: order.id, status: 'CONFIRMED', reason: null, changedAt: new Date(order.statusHistory[1].at) },
    ]);
    const charges = await h.chargesOf(order.id);
    expect(charges).toEqual([
      expect.objectContaining({
        orderId: order.id,
        amountMinor: 24_999,
        currency: 'USD',
        status: 'succeeded',
        amountRefundedMinor: 0,
      }),
    ]);
    expect(h.inventory.reservationOf(order.id)?.status).toBe('COMMITTED');
    expect([h.inventory.stockOf('lamp'), h.inventory.stockOf('desk')]).toEqual([8, 2]);
    expect(await h.sagaOf(order.id)).toMatchObject({
      userId: customer.id,
      idempotencyKey: input.idempotencyKey,
      step: 'CONFIRMED',
      paymentState: 'CAPTURED',
      chargeId: charges[0]!.id,
      paymentToken: null,
      failureCode: null,
      leaseOwner: null,
    });
  });

  it('accepts the largest cart: 50 lines, 100 of a product and a 255-character key', async () => {
    const items = Array.from({ length: 50 }, (_, index) => ({
      productId: `bulk-${index + 1}`,
      quantity: index === 0 ? 100 : 1,
    }));
    const order = await placeOrder(checkoutInput({ items, idempotencyKey: 'k'.repeat(255) }));

    expect(order.items).toHaveLength(50);
    expect(order.total).toEqual({ amount: '149.00', currency: 'USD' });
    expect(h.inventory.stockOf('bulk-1')).toBe(900);
  });

  describe('refuses bad input with BAD_USER_INPUT naming the field, storing and calling nothing', () => {
    const lamp = { productId: 'lamp', quantity: 1 };
    it.each([
      ['an empty cart', { items: [] }, 'input.items'],
      ['a quantity of 0', { items: [{ productId: 'lamp', quantity: 0 }] }, 'input.items[0].quantity'],
      ['a quantity of 101', { items: [lamp, { productId: 'desk', quantity: 101 }] }, 'input.items[1].quantity'],
      [
        '51 lines',
        { items: Array.from({ length: 51 }, (_, index) => ({ productId: `bulk-${index + 1}`, quantity: 1 })) },
        'input.items',
      ],
      ['a product on two lines', { items: [lamp, { productId: 'desk', quantity: 1 }, lamp] }, 'input.items[2].productId'],
      ['an empty idempotency key', { idempotencyKey: '' }, 'input.idempotencyKey'],
      ['a 256-character idempotency key', { idempotencyKey: 'k'.repeat(256) }, 'input.idempotencyKey'],
      ['an idempotency key with a space', { idempotencyKey: 'my order' }, 'input.idempotencyKey'],
      ['an empty payment token', { paymentToken: '' }, 'input.paymentToken'],
      ['a malformed payment token', { paymentToken: 'tok visa' }, 'input.paymentToken'],
    ])('%s', async (_case, overrides, argumentName) => {
      const result = await h.createOrder(customer, checkoutInput(overrides));

      expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', argumentName });
      expect(await h.countRowsOf(customer.id)).toEqual({ orders: 0, checkoutSagas: 0 });
      expect(h.inventory.calls).toEqual([]);
      expect(h.payments.calls).toEqual([]);
    });

    it('leaves the key of a refused request free for the corrected one', async () => {
      const input = checkoutInput();
      expect(errorOf(await h.createOrder(customer, { ...input, items: [{ productId: 'lamp', quantity: 0 }] }))).toMatchObject({
        code: 'BAD_USER_INPUT',
      });

      expect((await placeOrder(input)).items).toEqual([expect.objectContaining({ quantity: 1 })]);
    });
  });

  it('refuses a product the inventory does not know with BAD_USER_INPUT naming it; the checkout ends REJECTED, no order', async () => {
    const input = checkoutInput({ items: cartOf({ lamp: 1, ghost: 1 }) });
    const result = await h.createOrder(customer, input);

    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'input.items', productId: 'ghost' });
    // Bad input keeps nothing: the saga is the record, and the key is free again.
    const saga = await h.latestSagaOf(customer);
    expect(saga).toMatchObject({ step: 'REJECTED', failureCode: 'UNKNOWN_PRODUCT', paymentToken: null, idempotencyKey: null });
    expect(await h.orderRowOf(saga!.orderId)).toBeNull();
    expect(await h.countRowsOf(customer.id)).toEqual({ orders: 0, checkoutSagas: 1 });
    expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp'));
    expect(h.payments.calls).toEqual([]);

    const corrected = await h.createOrder(customer, { ...input, items: [{ productId: 'lamp', quantity: 1 }] });
    expect(dataOf(corrected).createOrder.status).toBe('CONFIRMED');
  });

  it.each([
    ['products priced in two currencies', cartOf({ lamp: 1, print: 1 }), 'MIXED_CURRENCIES'],
    ['a total above the largest payment', [{ productId: 'yacht', quantity: 2 }], 'TOTAL_TOO_LARGE'],
  ])('refuses %s with BAD_USER_INPUT and gives the reserved stock back', async (_case, items, failureCode) => {
    const input = checkoutInput({ items });
    const result = await h.createOrder(customer, input);

    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'input.items' });
    const saga = await h.latestSagaOf(customer);
    expect(saga).toMatchObject({ step: 'REJECTED', failureCode, paymentToken: null, idempotencyKey: null });
    expect(await h.orderRowOf(saga!.orderId)).toBeNull();
    for (const { productId } of items) expect(h.inventory.stockOf(productId)).toBe(initialStockOf(productId));
    expect(h.payments.calls).toEqual([]);
  });

  it('answers CHECKOUT_FAILED, naming no order, when the inventory refuses the reservation; nothing is reserved or charged', async () => {
    h.inventory.failNext('reserve', 'invalid');
    const input = checkoutInput();
    const result = await h.createOrder(customer, input);

    // The key is free again, and the saga releases whatever an earlier attempt may have reserved
    // (it found nothing, and looks once more after a late reservation could have landed).
    const saga = await h.latestSagaOf(customer);
    expect(saga).toMatchObject({ step: 'COMPENSATING', failureCode: 'INVENTORY_REFUSED', idempotencyKey: null });
    expect(h.inventory.calls).toEqual([
      { call: 'reserve', orderId: saga!.orderId },
      { call: 'release', orderId: saga!.orderId },
    ]);
    expect(await h.orderRowOf(saga!.orderId)).toBeNull();
    expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp'));
    expect(h.payments.calls).toEqual([]);
    // No order was created, so none is named (schema: "extensions.orderId names the cancelled order when there is one").
    expect(errorOf(result)).toEqual({ code: 'CHECKOUT_FAILED' });
  });

  it('refuses an anonymous caller with UNAUTHENTICATED before anything is stored or called', async () => {
    const before = await h.countRowsOf();

    expect(errorOf(await h.createOrder(null, checkoutInput()))).toEqual({ code: 'UNAUTHENTICATED' });
    expect(errorOf(await h.cancelOrder(null, seededToKeep!.id))).toEqual({ code: 'UNAUTHENTICATED' });

    expect(await h.countRowsOf()).toEqual(before);
    expect((await h.readOrder(seededToKeep!.id)).status).toBe('CONFIRMED');
    expect(h.inventory.calls).toEqual([]);
    expect(h.payments.calls).toEqual([]);
  });

  it('answers OUT_OF_STOCK with the product, what is left and what was asked; nothing is reserved, ordered or charged', async () => {
    const input = checkoutInput({ items: cartOf({ lamp: 2, desk: 4 }) });
    const result = await h.createOrder(customer, input);

    expect(errorOf(result)).toEqual({ code: 'OUT_OF_STOCK', productId: 'desk', available: 3, requested: 4 });
    expect([h.inventory.stockOf('lamp'), h.inventory.stockOf('desk')]).toEqual([10, 3]);
    const saga = await h.sagaByKey(customer, input.idempotencyKey);
    expect(saga).toMatchObject({ step: 'REJECTED', failureCode: 'OUT_OF_STOCK', paymentToken: null });
    expect(await h.orderRowOf(saga!.orderId)).toBeNull();
    expect(await h.countRowsOf(customer.id)).toEqual({ orders: 0, checkoutSagas: 1 });
    expect(h.payments.calls).toEqual([]);
    expect(await h.chargesOf(saga!.orderId)).toEqual([]);
  });

  it.each([
    ['tok_chargeDeclined', 'generic_decline', 'Your card was declined.'],
    ['tok_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'Your card has insufficient funds.'],
  ])('answers PAYMENT_DECLINED for %s, cancels the order and puts the stock back', async (paymentToken, declineCode, message) => {
    const input = checkoutInput({ items: [{ productId: 'chair', quantity: 2 }], paymentToken });
    const result = await h.createOrder(customer, input);

    const error = errorOf(result);
    expect(error).toEqual({ code: 'PAYMENT_DECLINED', orderId: expect.any(String), declineCode });
    expect(result.errors![0]!.message).toBe(message);
    const orderId = error.orderId as string;
    expect(await h.readOrder(orderId)).toMatchObject({
      id: orderId,
      status: 'CANCELLED',
      cancellationReason: 'PAYMENT_DECLINED',
      total: { amount: '179.00', currency: 'USD' },
      statusHistory: [
        { status: 'PENDING', at: expect.any(String), reason: null },
        { status: 'CANCELLED', at: expect.any(String), reason: 'PAYMENT_DECLINED' },
      ],
    });
    expect(h.inventory.stockOf('chair')).toBe(5);
    expect(h.inventory.reservationOf(orderId)?.status).toBe('RELEASED');
    expect(await h.chargesOf(orderId)).toEqual([expect.objectContaining({ status: 'failed', amountMinor: 17_900 })]);
    expect(await h.sagaOf(orderId)).toMatchObject({
      step: 'CANCELLED',
      paymentState: 'DECLINED',
      failureCode: 'PAYMENT_DECLINED',
      paymentToken: null,
    });
  });

  it('treats a token the provider does not know as declined (invalid_payment_token): cancelled, nothing charged', async () => {
    const result = await h.createOrder(customer, checkoutInput({ paymentToken: 'tok_madeUp' }));

    const error = errorOf(result);
    expect(error).toEqual({ code: 'PAYMENT_DECLINED', orderId: expect.any(String), declineCode: 'invalid_payment_token' });
    const orderId = error.orderId as string;
    expect(await h.readOrder(orderId)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED' });
    expect(await h.chargesOf(orderId)).toEqual([]);
    expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp'));
  });

  it('lists the status history in the order the statuses were entered, even when they share a timestamp', async () => {
    // A clock that stands still, as a test's or a coarse one's does: every change gets the same instant.
    const frozen = await createCheckoutHarness(dialect, suite.sandboxUrl, { frozenAt: new Date('2026-03-01T09:30:00.000Z') });
    try {
      const placed = dataOf(await frozen.createOrder(customer, checkoutInput())).createOrder;
      const cancelled = dataOf(await frozen.cancelOrder(customer, placed.id)).cancelOrder;

      const statuses = (order: { statusHistory: { status: string }[] }) => order.statusHistory.map((change) => change.status);
      expect(statuses(placed)).toEqual(['PENDING', 'CONFIRMED']);
      expect(statuses(cancelled)).toEqual(['PENDING', 'CONFIRMED', 'CANCELLED']);
    } finally {
      await frozen.close();
    }
  });
});
