import type { Viewer } from '@supergraph/server-kit/auth';
import type { ExecuteResult } from '@supergraph/server-kit/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  checkoutInput,
  createCheckoutHarness,
  CUSTOMER,
  errorOf,
  initialStockOf,
  newCustomer,
  SEEDED_ORDERS,
  startPaymentSandbox,
  type CheckoutHarness,
} from './checkout-harness.js';
import { dataOf, testDialects } from './harness.js';

// createOrder and cancelOrder as a client sees them, with what each leaves in the database, in the
// inventory and at the payment sandbox. Nothing here runs the recovery loop or moves the clock, so
// the tests share one database per dialect, each with a customer of its own and fresh fakes.
// Outages that outlast the request, crashes and recovery are in checkout-recovery.test.ts.

const [seededToCancel, seededToKeep] = SEEDED_ORDERS.filter(
  (order) => order.status === 'CONFIRMED' && order.userId === CUSTOMER.id,
);
const seededPending = SEEDED_ORDERS.find((order) => order.status === 'PENDING')!;

let sandbox: Awaited<ReturnType<typeof startPaymentSandbox>>;
beforeAll(async () => {
  sandbox = await startPaymentSandbox();
});
afterAll(() => sandbox?.close());

describe.each(testDialects())('checkout on %s', (dialect) => {
  let h: CheckoutHarness;
  let customer: Viewer;
  beforeAll(async () => {
    h = await createCheckoutHarness(dialect, sandbox.url);
  });
  afterAll(() => h?.close());
  beforeEach(() => {
    h.resetFakes();
    customer = newCustomer();
  });

  /**
   * Runs `between` right after the next transaction that returned an empty list (createOrder's
   * insert of a saga whose key is already taken), before that request reads on: the only way to
   * reproduce a race between two statements of one request without a timing. Returns the undo.
   */
  function interleaveAfterKeyConflict(between: () => Promise<void>): () => void {
    const { database } = h;
    // Kept unbound to be put back as it was; it is only ever called with .call(database).
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const transaction = database.transaction;
    const restore = () => {
      database.transaction = transaction;
    };
    database.transaction = (async (work: Parameters<typeof transaction>[0]) => {
      const result = await transaction.call(database, work);
      if (Array.isArray(result) && result.length === 0) {
        restore();
        await between();
      }
      return result;
    }) as typeof transaction;
    return restore;
  }

  /** Places an order that confirms, and returns it as createOrder answered. */
  async function placeOrder(input = checkoutInput()) {
    const order = dataOf(await h.createOrder(customer, input)).createOrder;
    expect(order.status).toBe('CONFIRMED');
    return order;
  }

  describe('createOrder', () => {
    it('confirms the order at the inventory’s prices, charges its total once, commits the stock and records the history', async () => {
      const startedAt = h.clock.now().getTime();
      const input = checkoutInput({
        items: [
          { productId: 'lamp', quantity: 2 },
          { productId: 'desk', quantity: 1 },
        ],
      });
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
      const input = checkoutInput({
        items: [
          { productId: 'lamp', quantity: 1 },
          { productId: 'ghost', quantity: 1 },
        ],
      });
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
      [
        'products priced in two currencies',
        [
          { productId: 'lamp', quantity: 1 },
          { productId: 'print', quantity: 1 },
        ],
        'MIXED_CURRENCIES',
      ],
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
      const input = checkoutInput({
        items: [
          { productId: 'lamp', quantity: 2 },
          { productId: 'desk', quantity: 4 },
        ],
      });
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
    ])(
      'answers PAYMENT_DECLINED for %s, cancels the order and puts the stock back',
      async (paymentToken, declineCode, message) => {
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
      },
    );

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
      const frozen = await createCheckoutHarness(dialect, sandbox.url, { frozenAt: new Date('2026-03-01T09:30:00.000Z') });
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

    describe('idempotency', () => {
      it('answers the same request sent 5 times in a row with one order, one reservation and one charge', async () => {
        const input = checkoutInput();
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push(dataOf(await h.createOrder(customer, input)).createOrder.id);

        expect(new Set(ids).size).toBe(1);
        expect(await h.countRowsOf(customer.id)).toEqual({ orders: 1, checkoutSagas: 1 });
        expect(await h.chargesOf(ids[0]!)).toHaveLength(1);
        expect(h.inventory.calls.map((call) => call.call)).toEqual(['reserve', 'commit']);
        expect(h.payments.countOf('charge')).toBe(1);
        expect(h.inventory.stockOf('lamp')).toBe(9);
      });

      it('answers the same request sent 5 times at once with one order, one reservation and one charge', async () => {
        const input = checkoutInput();
        const results = await Promise.all(Array.from({ length: 5 }, () => h.createOrder(customer, input)));

        const orders = results.map((result) => dataOf(result).createOrder);
        expect(new Set(orders.map((order) => order.id)).size).toBe(1);
        expect(orders.map((order) => order.status)).toEqual(Array(5).fill('CONFIRMED'));
        expect(await h.countRowsOf(customer.id)).toEqual({ orders: 1, checkoutSagas: 1 });
        expect(await h.chargesOf(orders[0].id)).toHaveLength(1);
        expect(h.inventory.calls.map((call) => call.call)).toEqual(['reserve', 'commit']);
        expect(h.inventory.stockOf('lamp')).toBe(9);
      });

      it('refuses the key sent with other items or another token with IDEMPOTENCY_KEY_REUSED, changing nothing', async () => {
        const input = checkoutInput();
        await placeOrder(input);

        for (const changed of [
          { items: [{ productId: 'lamp', quantity: 2 }] },
          { items: [{ productId: 'chair', quantity: 1 }] },
          { paymentToken: 'tok_chargeDeclined' },
        ]) {
          expect(errorOf(await h.createOrder(customer, { ...input, ...changed }))).toEqual({
            code: 'IDEMPOTENCY_KEY_REUSED',
            argumentName: 'input.idempotencyKey',
          });
        }
        expect(await h.countRowsOf(customer.id)).toEqual({ orders: 1, checkoutSagas: 1 });
        expect(h.inventory.calls.map((call) => call.call)).toEqual(['reserve', 'commit']);
        expect(h.payments.countOf('charge')).toBe(1);
      });

      it('keeps each user’s keys apart: the same key from two customers places two orders', async () => {
        const input = checkoutInput();
        const mine = dataOf(await h.createOrder(customer, input)).createOrder;
        const another = newCustomer();
        const theirs = dataOf(await h.createOrder(another, input)).createOrder;

        expect(theirs.id).not.toBe(mine.id);
        expect([mine.status, theirs.status]).toEqual(['CONFIRMED', 'CONFIRMED']);
        expect([mine.user.id, theirs.user.id]).toEqual([customer.id, another.id]);
        expect(h.inventory.stockOf('lamp')).toBe(8);
      });

      it('answers a retry that found the key taken by a request that then failed and freed it, never with an internal error', async () => {
        const input = checkoutInput();
        const held = h.inventory.holdNext('reserve');
        h.inventory.failNext('reserve', 'unavailable');
        const first = h.createOrder(customer, input);
        await held.reached;
        // The retry finds the key taken; before it looks the checkout up, the first request's
        // reservation fails, which ends that checkout and frees the key.
        let firstResult: ExecuteResult | undefined;
        const restore = interleaveAfterKeyConflict(async () => {
          held.release();
          firstResult = await first;
        });
        const retry = await h.createOrder(customer, input).finally(restore);

        expect(errorOf(firstResult!)).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
        // The first request's answer, or a checkout of its own now that the key is free: either way the customer can go on.
        if (retry.errors) expect(errorOf(retry)).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
        else expect(dataOf(retry).createOrder).toMatchObject({ status: 'CONFIRMED' });
      });

      it('answers a retry of an out-of-stock checkout with the same error, without asking the inventory again', async () => {
        const input = checkoutInput({ items: [{ productId: 'desk', quantity: 4 }] });
        const first = errorOf(await h.createOrder(customer, input));
        const callsBefore = h.inventory.calls.length;

        expect(errorOf(await h.createOrder(customer, input))).toEqual(first);
        expect(first).toEqual({ code: 'OUT_OF_STOCK', productId: 'desk', available: 3, requested: 4 });
        expect(h.inventory.calls).toHaveLength(callsBefore);
        expect(await h.countRowsOf(customer.id)).toEqual({ orders: 0, checkoutSagas: 1 });
      });

      it('answers a retry of a declined checkout with the same error, without charging or reserving again', async () => {
        const input = checkoutInput({ paymentToken: 'tok_chargeDeclined' });
        const first = errorOf(await h.createOrder(customer, input));
        const inventoryCalls = h.inventory.calls.length;

        expect(errorOf(await h.createOrder(customer, input))).toEqual(first);
        expect(first).toMatchObject({ code: 'PAYMENT_DECLINED', declineCode: 'generic_decline' });
        expect(h.payments.countOf('charge')).toBe(1);
        expect(h.inventory.calls).toHaveLength(inventoryCalls);
        expect(await h.chargesOf(first.orderId as string)).toHaveLength(1);
      });
    });

    describe('when the inventory cannot be reached', () => {
      it('answers SERVICE_UNAVAILABLE, rejects the checkout and frees the key: the same request then confirms', async () => {
        h.inventory.failNext('reserve', 'unavailable');
        const input = checkoutInput();

        expect(errorOf(await h.createOrder(customer, input))).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
        const firstId = h.inventory.calls[0]!.orderId;
        expect(h.inventory.calls).toEqual([
          { call: 'reserve', orderId: firstId },
          { call: 'release', orderId: firstId },
        ]);
        // The release found no reservation; one whose answer was lost may still land, so the saga
        // looks again later (recovery) before it believes that.
        expect(await h.sagaOf(firstId)).toMatchObject({
          step: 'COMPENSATING',
          failureCode: 'INVENTORY_UNAVAILABLE',
          idempotencyKey: null,
        });
        expect(await h.orderRowOf(firstId)).toBeNull();
        expect(h.payments.calls).toEqual([]);

        const order = await placeOrder(input);
        expect(order.id).not.toBe(firstId);
        expect(await h.chargesOf(order.id)).toHaveLength(1);
        expect(h.inventory.stockOf('lamp')).toBe(9);
      });

      it('gives the stock back when the inventory reserved but its answer was lost', async () => {
        h.inventory.failNext('reserve', 'timeout');
        const input = checkoutInput({ items: [{ productId: 'desk', quantity: 3 }] });

        expect(errorOf(await h.createOrder(customer, input))).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
        const firstId = h.inventory.calls[0]!.orderId;
        expect(h.inventory.reservationOf(firstId)?.status).toBe('RELEASED');
        expect(h.inventory.stockOf('desk')).toBe(3);
        expect(await h.sagaOf(firstId)).toMatchObject({ step: 'REJECTED', idempotencyKey: null });

        // All three desks are free again, so the retry gets them.
        expect((await placeOrder(input)).items).toEqual([expect.objectContaining({ quantity: 3 })]);
        expect(h.inventory.stockOf('desk')).toBe(0);
      });
    });
  });

  describe('cancelOrder', () => {
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
});
