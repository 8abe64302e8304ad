import type { Viewer } from '@supergraph/server-kit/auth';
import { beforeEach, expect, it } from 'vitest';
import { ADMIN, checkoutInput, CUSTOMER, initialStockOf, newCustomer, SEEDED_ORDERS } from './checkout-fixtures.js';
import type { CheckoutHarness } from './checkout-harness.js';
import { errorOf } from './checkout-operations.js';
import { describeCheckout } from './checkout-suite.js';
import { dataOf } from './harness.js';

// cancelOrder as a client sees it: refund, restock and the cancellation reason, once however often
// it is asked; who may cancel what.
const [seededToCancel] = SEEDED_ORDERS.filter((order) => order.status === 'CONFIRMED' && order.userId === CUSTOMER.id);
const seededPending = SEEDED_ORDERS.find((order) => order.status === 'PENDING')!;

describeCheckout('cancelOrder', (suite) => {
  const { placeOrder } = suite;
  let h: CheckoutHarness;
  let customer: Viewer;
  beforeEach(() => ({ h, customer } = suite));

  it('cancels the owner’s confirmed order: refunds the charge, puts the stock back, records CANCELLED_BY_CUSTOMER', async () => {
    const placed = await placeOrder(checkoutInput({ items: [{ productId: 'chair', quantity: 3 }] }));
    expect(h.inventory.stockOf('chair')).toBe(2);

    const cancelled = dataOf(await h.cancelOrder(customer, placed.id)).cancelOrder;

    expect(cancelled).toMatchObject({
      id: placed.id,
      status: 'CANCELLED',
      cancellationReason: 'CANCELLED_BY_CUSTOMER',
      total: { amount: '268.50', currency: 'USD' },
      statusHistory: [
        { status: 'PENDING', reason: null },
        { status: 'CONFIRMED', reason: null },
        { status: 'CANCELLED', reason: 'CANCELLED_BY_CUSTOMER' },
      ],
    });
    expect(cancelled.statusHistory).toHaveLength(3);
    expect(await h.chargesOf(placed.id)).toEqual([
      expect.objectContaining({ status: 'succeeded', amountMinor: 26_850, amountRefundedMinor: 26_850, isRefunded: true }),
    ]);
    expect(h.inventory.stockOf('chair')).toBe(5);
    expect(h.inventory.reservationOf(placed.id)?.status).toBe('RELEASED');
    expect(await h.orderRowOf(placed.id)).toMatchObject({ status: 'CANCELLED' });
    expect(await h.sagaOf(placed.id)).toMatchObject({
      step: 'CANCELLED',
      paymentState: 'REFUNDED',
      failureCode: 'CANCELLED_BY_CUSTOMER',
      leaseOwner: null,
    });
  });

  it('answers a repeated cancellation with the cancelled order, refunding and restocking nothing more', async () => {
    const placed = await placeOrder();
    const first = dataOf(await h.cancelOrder(customer, placed.id)).cancelOrder;
    const calls = { payments: h.payments.calls.length, inventory: h.inventory.calls.length };

    expect(dataOf(await h.cancelOrder(customer, placed.id)).cancelOrder).toEqual(first);
    expect({ payments: h.payments.calls.length, inventory: h.inventory.calls.length }).toEqual(calls);
    expect(h.payments.countOf('refund')).toBe(1);
    expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp'));
  });

  it('refunds once when the same order is cancelled three times at once', async () => {
    const placed = await placeOrder();

    const results = await Promise.all([
      h.cancelOrder(customer, placed.id),
      h.cancelOrder(customer, placed.id),
      h.cancelOrder(ADMIN, placed.id),
    ]);

    const orders = results.map((result) => dataOf(result).cancelOrder);
    expect(orders.map((order) => order.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(new Set(orders.map((order) => order.cancellationReason)).size).toBe(1);
    expect(h.payments.countOf('refund')).toBe(1);
    expect(await h.chargesOf(placed.id)).toEqual([expect.objectContaining({ isRefunded: true })]);
    expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp'));
  });

  it('answers a retry of createOrder with the key of a cancelled order with that order, as it is now', async () => {
    const input = checkoutInput();
    const placed = await placeOrder(input);
    await h.cancelOrder(customer, placed.id);

    const replayed = dataOf(await h.createOrder(customer, input)).createOrder;
    expect(replayed).toMatchObject({ id: placed.id, status: 'CANCELLED', cancellationReason: 'CANCELLED_BY_CUSTOMER' });
    expect(h.payments.countOf('charge')).toBe(1);
  });

  it("lets an admin cancel a customer's order, as CANCELLED_BY_ADMIN", async () => {
    const placed = await placeOrder();

    const cancelled = dataOf(await h.cancelOrder(ADMIN, placed.id)).cancelOrder;
    expect(cancelled).toMatchObject({ id: placed.id, status: 'CANCELLED', cancellationReason: 'CANCELLED_BY_ADMIN' });
    expect(await h.chargesOf(placed.id)).toEqual([expect.objectContaining({ isRefunded: true })]);
    expect(h.inventory.stockOf('lamp')).toBe(initialStockOf('lamp'));
  });

  it('refuses another customer with FORBIDDEN and changes nothing', async () => {
    const placed = await placeOrder();

    expect(errorOf(await h.cancelOrder(newCustomer(), placed.id))).toEqual({ code: 'FORBIDDEN' });
    expect(await h.readOrder(placed.id)).toEqual(placed);
    expect(await h.sagaOf(placed.id)).toMatchObject({ step: 'CONFIRMED', failureCode: null });
    expect(await h.chargesOf(placed.id)).toEqual([expect.objectContaining({ isRefunded: false })]);
    expect(h.inventory.stockOf('lamp')).toBe(9);
  });

  it('answers NOT_FOUND for an order that does not exist', async () => {
    const before = await h.countRowsOf();

    expect(errorOf(await h.cancelOrder(customer, 'no-such-order'))).toEqual({ code: 'NOT_FOUND' });
    expect(await h.countRowsOf()).toEqual(before);
    expect(h.inventory.calls).toEqual([]);
    expect(h.payments.calls).toEqual([]);
  });

  it('cancels a confirmed order placed without checkout (the demo data), charging and refunding nothing', async () => {
    const cancelled = dataOf(await h.cancelOrder(CUSTOMER, seededToCancel!.id)).cancelOrder;

    expect(cancelled).toMatchObject({
      id: seededToCancel!.id,
      status: 'CANCELLED',
      cancellationReason: 'CANCELLED_BY_CUSTOMER',
      statusHistory: [
        { status: 'PENDING', reason: null },
        { status: 'CONFIRMED', reason: null },
        { status: 'CANCELLED', reason: 'CANCELLED_BY_CUSTOMER' },
      ],
    });
    expect(await h.sagaOf(seededToCancel!.id)).toMatchObject({ step: 'CANCELLED', paymentState: 'NONE', idempotencyKey: null });
    expect(h.payments.calls).toEqual([]);
  });

  it('refuses to cancel a PENDING order with ORDER_NOT_CANCELLABLE, retryable', async () => {
    const owner = { id: seededPending.userId, role: 'CUSTOMER' } as const;
    expect(errorOf(await h.cancelOrder(owner, seededPending.id))).toEqual({
      code: 'ORDER_NOT_CANCELLABLE',
      orderId: seededPending.id,
      retryable: true,
    });
    expect((await h.readOrder(seededPending.id)).status).toBe('PENDING');

    // A checkout still waiting for the inventory's commit.
    h.inventory.failNext('commit', 'unavailable');
    const inProgress = errorOf(await h.createOrder(customer, checkoutInput()));
    const orderId = inProgress.orderId as string;
    expect(errorOf(await h.cancelOrder(customer, orderId))).toEqual({
      code: 'ORDER_NOT_CANCELLABLE',
      orderId,
      retryable: true,
    });
    expect(await h.sagaOf(orderId)).toMatchObject({ step: 'COMMITTING', failureCode: null });
    expect(h.payments.countOf('refund')).toBe(0);
  });

  it('lets the customer finish a cancellation that waits for the provider by cancelling again', async () => {
    const placed = await placeOrder();
    h.payments.failNext('refund');
    expect(errorOf(await h.cancelOrder(customer, placed.id))).toMatchObject({ code: 'ORDER_IN_PROGRESS' });

    const cancelled = dataOf(await h.cancelOrder(customer, placed.id)).cancelOrder;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'CANCELLED_BY_CUSTOMER' });
    expect(await h.chargesOf(placed.id)).toEqual([expect.objectContaining({ isRefunded: true })]);
  });
});
