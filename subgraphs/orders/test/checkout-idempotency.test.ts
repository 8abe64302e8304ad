import type { Viewer } from '@supergraph/server-kit/auth';
import type { ExecuteResult } from '@supergraph/server-kit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkoutInput, newCustomer } from './checkout-fixtures.js';
import type { CheckoutHarness } from './checkout-harness.js';
import { errorOf } from './checkout-operations.js';
import { describeCheckout } from './checkout-suite.js';
import { dataOf } from './harness.js';

// createOrder sent again with the same idempotency key: the first outcome answers every retry, a
// different request with the key is refused, and a failure the client may retry frees the key.

describeCheckout('createOrder retried', (suite) => {
  const { placeOrder } = suite;
  let h: CheckoutHarness;
  let customer: Viewer;
  beforeEach(() => ({ h, customer } = suite));

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
