import { randomUUID } from 'node:crypto';
import { getDemoUserId, parseSeedOptions } from '@supergraph/demo-data';
import { testDialects } from '@supergraph/server-kit/testing';
import { describe, expect, it } from 'vitest';
import { CancelOrderDocument } from '../../operations/__generated__/graphql.js';
import { expectOrderInProgress, firstError, ORDER, useCheckoutStack } from './support/checkout.js';

const CUSTOMER_COUNT = 55;
const seedArgs = ['--customers', String(CUSTOMER_COUNT), '--products', '20', '--orders', '0'];
const seed = parseSeedOptions(seedArgs);
/** customer@example.com (index 1) and the generated customers after it; index 0 is the admin. */
const customerIds = Array.from({ length: CUSTOMER_COUNT }, (_, index) => getDemoUserId(seed, index + 1));
/** The 50 who race for the last units; every other test has a customer of its own. */
const racers = customerIds.slice(0, 50);
const [retrier, declined, canceller, waiter] = customerIds.slice(50);

const LAST_FIVE = { id: 'e2e-last-five', stock: 5, priceMinor: 2_500 };
const PLENTY = { id: 'e2e-plenty', stock: 1_000, priceMinor: 1_999 };

/** A checkout of one product line, the rest defaulted: one unit, a new idempotency key, a card that pays. */
interface CheckoutRequest {
  productId: string;
  quantity?: number;
  idempotencyKey?: string;
  paymentToken?: string;
}

const ordersEnv = {
  // The shortest deadline allowed, so a charge that never gets an answer is given up within the test.
  CHECKOUT_DEADLINE_SECONDS: '10',
};

describe.each(testDialects())('checkout through the router, every subgraph on %s', (dialect) => {
  const suite = useCheckoutStack({ dialect, seedArgs, ordersEnv, products: [LAST_FIVE, PLENTY] });
  const { expectInvariants } = suite;
  const createOrder = (
    userId: string,
    { productId, quantity = 1, idempotencyKey = randomUUID(), paymentToken = 'tok_visa' }: CheckoutRequest,
  ) => suite.createOrder(userId, { items: [{ productId, quantity }], idempotencyKey, paymentToken });

  it('sells the last 5 units to exactly 5 of 50 customers ordering at once, and tells the other 45 OUT_OF_STOCK', async () => {
    const answers = await Promise.all(racers.map((userId) => createOrder(userId, { productId: LAST_FIVE.id })));

    const confirmed = answers.filter((body) => body.data?.createOrder);
    const refused = answers.filter((body) => body.errors);
    expect(confirmed.map((body) => body.data?.createOrder.status)).toEqual(Array(5).fill('CONFIRMED'));
    expect(refused).toHaveLength(45);
    for (const body of refused) {
      expect(body.data).toBeNull();
      expect(firstError(body).extensions).toMatchObject({
        code: 'OUT_OF_STOCK',
        productId: LAST_FIVE.id,
        available: 0,
        requested: 1,
      });
    }

    expect((await suite.records.readStock()).get(LAST_FIVE.id)).toBe(0);
    const committed = (await suite.records.listReservations()).filter(
      (line) => line.productId === LAST_FIVE.id && line.status === 'COMMITTED',
    );
    expect(committed.reduce((sum, line) => sum + line.quantity, 0)).toBe(5);
    for (const body of confirmed) {
      const charges = await suite.stack.sandboxCharges(body.data!.createOrder.id);
      expect(charges.map(({ status, amount, refunded }) => ({ status, amount, refunded }))).toEqual([
        { status: 'succeeded', amount: LAST_FIVE.priceMinor, refunded: false },
      ]);
    }
    await expectInvariants();
  });

  it('answers the same request sent 5 times at once and 5 times more one after another with one order and one charge', async () => {
    const idempotencyKey = randomUUID();
    const request = { productId: PLENTY.id, quantity: 2, idempotencyKey };
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => createOrder(retrier!, request)));
    const sequential = [];
    for (let attempt = 0; attempt < 5; attempt++) sequential.push(await createOrder(retrier!, request));

    const answers = [...concurrent, ...sequential];
    for (const body of answers) expect(body.errors).toBeUndefined();
    const orderIds = new Set(answers.map((body) => body.data?.createOrder.id));
    expect(orderIds.size).toBe(1);
    const [orderId] = orderIds;
    expect(answers.map((body) => body.data?.createOrder.status)).toEqual(Array(10).fill('CONFIRMED'));
    expect((await suite.records.listOrders()).filter((order) => order.userId === retrier).map((order) => order.id)).toEqual([
      orderId,
    ]);
    const charges = await suite.stack.sandboxCharges(orderId!);
    expect(charges.map(({ status, amount }) => ({ status, amount }))).toEqual([
      { status: 'succeeded', amount: 2 * PLENTY.priceMinor },
    ]);
    await expectInvariants();
  });

  it('cancels the order of a declined card, puts the stock back and answers PAYMENT_DECLINED with the order id', async () => {
    const stockBefore = (await suite.records.readStock()).get(PLENTY.id);

    const body = await createOrder(declined!, { productId: PLENTY.id, quantity: 3, paymentToken: 'tok_chargeDeclined' });

    expect(body.data).toBeNull();
    const error = firstError(body);
    expect(error.extensions).toMatchObject({
      code: 'PAYMENT_DECLINED',
      orderId: expect.any(String),
      declineCode: 'generic_decline',
    });
    const orderId = error.extensions!.orderId as string;
    const { body: order } = await suite.stack.query(ORDER, { id: orderId }, await suite.customerHeaders(declined!));
    expect(order.data.order).toMatchObject({ id: orderId, status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED' });
    expect((await suite.records.readStock()).get(PLENTY.id)).toBe(stockBefore);
    expect(
      (await suite.records.listReservations()).filter((line) => line.orderId === orderId).map((line) => line.status),
    ).toEqual(['RELEASED']);
    expect((await suite.stack.sandboxCharges(orderId)).map((charge) => charge.status)).toEqual(['failed']);
    await expectInvariants();
  });

  it('lets the owner cancel a confirmed order: CANCELLED, the charge refunded at the provider, the stock back', async () => {
    const stockBefore = (await suite.records.readStock()).get(PLENTY.id);
    const placed = await createOrder(canceller!, { productId: PLENTY.id, quantity: 4 });
    const orderId = placed.data!.createOrder.id;
    expect((await suite.records.readStock()).get(PLENTY.id)).toBe(stockBefore! - 4);

    const { status, body } = await suite.stack.query(CancelOrderDocument, { orderId }, await suite.customerHeaders(canceller!));

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.cancelOrder).toEqual({
      id: orderId,
      status: 'CANCELLED',
      cancellationReason: 'CANCELLED_BY_CUSTOMER',
      statusHistory: [
        { status: 'PENDING', at: expect.any(String), reason: null },
        { status: 'CONFIRMED', at: expect.any(String), reason: null },
        { status: 'CANCELLED', at: expect.any(String), reason: 'CANCELLED_BY_CUSTOMER' },
      ],
    });
    const charges = await suite.stack.sandboxCharges(orderId);
    expect(
      charges.map(({ status, amount, amount_refunded, refunded }) => ({ status, amount, amount_refunded, refunded })),
    ).toEqual([{ status: 'succeeded', amount: 4 * PLENTY.priceMinor, amount_refunded: 4 * PLENTY.priceMinor, refunded: true }]);
    expect((await suite.records.readStock()).get(PLENTY.id)).toBe(stockBefore);
    expect(
      (await suite.records.listReservations()).filter((line) => line.orderId === orderId).map((line) => line.status),
    ).toEqual(['RELEASED']);
    await expectInvariants();
  });

  it('answers ORDER_IN_PROGRESS to a charge that never gets an answer, then cancels the order at the deadline with nothing charged', async () => {
    const stockBefore = (await suite.records.readStock()).get(PLENTY.id);
    const idempotencyKey = randomUUID();
    const request = { productId: PLENTY.id, quantity: 1, idempotencyKey, paymentToken: 'tok_timeout' };

    const body = await createOrder(waiter!, request);

    const orderId = expectOrderInProgress(body);
    const headers = await suite.customerHeaders(waiter!);
    expect((await suite.stack.query(ORDER, { id: orderId }, headers)).body.data.order.status).toBe('PENDING');

    // The deadline (10 s), then twice the provider timeout for a charge still in flight, then the release.
    const saga = await suite.records.waitForFinalSaga(orderId, 60_000);
    expect(saga).toMatchObject({ step: 'CANCELLED', failureCode: 'PAYMENT_FAILED', paymentState: 'NONE' });
    expect((await suite.stack.query(ORDER, { id: orderId }, headers)).body.data.order).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'PAYMENT_FAILED',
    });
    expect((await suite.records.readStock()).get(PLENTY.id)).toBe(stockBefore);
    expect(await suite.stack.sandboxCharges(orderId)).toEqual([]);
    const retry = await createOrder(waiter!, request);
    expect(firstError(retry).extensions).toMatchObject({ code: 'PAYMENT_FAILED', orderId });
    await expectInvariants();
  }, 120_000);
});
