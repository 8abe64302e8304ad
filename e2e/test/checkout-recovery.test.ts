import { randomUUID } from 'node:crypto';
import { getDemoUserId, parseSeedOptions } from '@supergraph/demo-data';
import { testDialects } from '@supergraph/server-kit/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashCheckoutRequest } from '../../subgraphs/orders/src/checkout/checkout-input.js';
import { CancelOrderDocument, CheckoutDocument } from '../../operations/__generated__/graphql.js';
import {
  addProducts,
  FAST_CHECKOUT_ENV,
  customerHeaders,
  expectCheckoutInvariants,
  firstError,
  openCheckoutRecords,
  ORDER,
  type CheckoutRecords,
} from './support/checkout.js';
import { CRASH_CASES, OUTCOMES } from './support/crash-cases.js';
import { startStack, type Stack } from './support/stack.js';

const seedArgs = ['--customers', '4', '--products', '20', '--orders', '0'];
const seed = parseSeedOptions(seedArgs);
/** Each test's own customer, so it can find its sagas by user (a key the saga gave up is null). */
const [crashCustomer, productsOutageCustomer, commitOutageCustomer, sandboxOutageCustomer, abandoningCustomer] = [
  1, 2, 3, 4, 5,
].map((index) => getDemoUserId(seed, index));

const STOCKED = { id: 'e2e-recovery-stocked', stock: 500, priceMinor: 1_250 };

const ordersEnv = FAST_CHECKOUT_ENV;
/** tok_chargeSucceedsSlowly takes this long, within the provider timeout: a window to stop products in mid-checkout. */
const SLOW_CHARGE_MS = 1_200;

describe.each(testDialects())('checkout across crashes and outages, every subgraph on %s', (dialect) => {
  let stack: Stack;
  let records: CheckoutRecords;
  let initialStock: Map<string, number>;
  beforeAll(async () => {
    stack = await startStack({
      dialect,
      seedArgs,
      ordersEnv,
      paymentSandboxEnv: { PAYMENT_SANDBOX_SLOW_CHARGE_MS: String(SLOW_CHARGE_MS) },
      beforeStart: (databases) => addProducts(databases.products, [STOCKED]),
    });
    records = await openCheckoutRecords(stack);
    initialStock = await records.readStock();
  });
  afterAll(async () => {
    await records?.close();
    await stack?.stop();
  });

  const checkoutInput = (paymentToken = 'tok_visa') => ({
    items: [{ productId: STOCKED.id, quantity: 2 }],
    idempotencyKey: randomUUID(),
    paymentToken,
  });
  const createOrder = async (userId: string, input: ReturnType<typeof checkoutInput>) => {
    const { status, body } = await stack.query(CheckoutDocument, input, await customerHeaders(stack, userId));
    expect(status).toBe(200);
    return body;
  };
  const expectInvariants = () => expectCheckoutInvariants(stack, records, initialStock);

  it.each(CRASH_CASES)(
    'finishes a $flow that the orders process died in at $point, and a retry answers with the outcome',
    async ({ point, flow, leftAt, armNext }) => {
      const headers = await customerHeaders(stack, crashCustomer!);
      const input = checkoutInput(flow === 'declined checkout' ? 'tok_chargeDeclined' : 'tok_visa');
      const isArmed = !stack.subgraphs.orders.hasExited && stack.env('orders').CHECKOUT_CRASH_POINT === point;
      const armed = isArmed ? stack.subgraphs.orders : await stack.restart('orders', { CHECKOUT_CRASH_POINT: point });
      let cancelledOrderId: string | undefined;
      if (flow === 'cancellation') {
        // A paid checkout reaches no compensation point, so the order to cancel is placed by the armed process.
        const placed = await createOrder(crashCustomer!, input);
        expect(placed.data?.createOrder.status).toBe('CONFIRMED');
        cancelledOrderId = placed.data!.createOrder.id;
      }

      const { body } =
        cancelledOrderId === undefined
          ? await stack.query(CheckoutDocument, input, headers)
          : await stack.query(CancelOrderDocument, { orderId: cancelledOrderId }, headers);

      expect(body.data).toBeNull();
      expect(firstError(body).extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'orders' });
      // Only the crash hook kills orders with SIGKILL, and the saga shows where it stopped.
      expect(await armed.waitForExit(10_000)).toBe('SIGKILL');
      const orderId =
        cancelledOrderId ??
        (await records.waitForSaga('started', (saga) => saga.idempotencyKey === input.idempotencyKey)).orderId;
      const interrupted = await records.findSaga(orderId);
      expect([interrupted?.step, interrupted?.paymentState]).toEqual(leftAt);
      await (armNext
        ? stack.startServiceAgain('orders', { CHECKOUT_CRASH_POINT: armNext })
        : stack.startServiceAgain('orders', {}, { unset: ['CHECKOUT_CRASH_POINT'] }));

      expect(await records.waitForFinalSaga(orderId)).toMatchObject(OUTCOMES[flow]);
      await expectInvariants();
      const sagaCount = (await records.listSagas()).length;

      const retry = await createOrder(crashCustomer!, input);
      if (flow === 'checkout') {
        expect(retry).toEqual({ data: { createOrder: expect.objectContaining({ id: orderId, status: 'CONFIRMED' }) } });
      } else if (flow === 'declined checkout') {
        expect(retry.data).toBeNull();
        expect(firstError(retry).extensions).toMatchObject({ code: 'PAYMENT_DECLINED', orderId });
      } else {
        expect(retry.data?.createOrder).toMatchObject({ id: orderId, status: 'CANCELLED' });
        const cancelAgain = await stack.query(CancelOrderDocument, { orderId }, headers);
        expect(cancelAgain.body.data?.cancelOrder).toMatchObject({
          id: orderId,
          status: 'CANCELLED',
          cancellationReason: 'CANCELLED_BY_CUSTOMER',
        });
      }
      // The retries started nothing new.
      expect(await records.listSagas()).toHaveLength(sagaCount);
      await expectInvariants();
    },
  );

  describe('with every process running, orders unarmed', () => {
    // A test that failed half-way may have left a process stopped, or orders armed.
    beforeEach(async () => {
      if (stack.subgraphs.orders.hasExited || stack.env('orders').CHECKOUT_CRASH_POINT !== undefined) {
        await stack.restart('orders', {}, { unset: ['CHECKOUT_CRASH_POINT'] });
      }
      if (stack.subgraphs.products.hasExited) await stack.startServiceAgain('products');
      if (stack.paymentSandbox.hasExited) await stack.startServiceAgain('paymentSandbox');
    });

    it('answers SERVICE_UNAVAILABLE while products is down, charging nothing, and places the same request once it is back', async () => {
      const input = checkoutInput();
      expect(await stack.stopService('products')).toBe('SIGKILL');

      const refused = await createOrder(productsOutageCustomer!, input);

      expect(refused.data).toBeNull();
      expect(firstError(refused).extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      await stack.startServiceAgain('products');
      const placed = await createOrder(productsOutageCustomer!, input);
      expect(placed.errors).toBeUndefined();
      expect(placed.data?.createOrder.status).toBe('CONFIRMED');

      await records.waitForAllSagasFinal();
      const sagas = (await records.listSagas()).filter((saga) => saga.userId === productsOutageCustomer);
      expect(sagas.map(({ step, failureCode }) => ({ step, failureCode }))).toEqual([
        { step: 'REJECTED', failureCode: 'INVENTORY_UNAVAILABLE' },
        { step: 'CONFIRMED', failureCode: null },
      ]);
      expect(sagas[1]!.orderId).toBe(placed.data?.createOrder.id);
      expect(await stack.sandboxCharges(sagas[0]!.orderId)).toEqual([]);
      await expectInvariants();
    });

    it('keeps a paid order PENDING while products is down at commit, and confirms it, charged once, when products is back', async () => {
      const input = checkoutInput('tok_chargeSucceedsSlowly');
      const placing = createOrder(commitOutageCustomer!, input);
      await records.waitForSaga('charging', (saga) => saga.idempotencyKey === input.idempotencyKey && saga.step === 'CHARGING');
      await stack.stopService('products');

      const pending = await placing;

      expect(pending.data).toBeNull();
      expect(firstError(pending).extensions).toMatchObject({
        code: 'ORDER_IN_PROGRESS',
        retryable: true,
        orderId: expect.any(String),
      });
      const orderId = firstError(pending).extensions!.orderId as string;
      expect(await records.findSaga(orderId)).toMatchObject({ step: 'COMMITTING', paymentState: 'CAPTURED' });
      expect((await records.findOrder(orderId))?.status).toBe('PENDING');
      await stack.startServiceAgain('products');
      // A retry with the key drives the commit at once instead of waiting for the loop's backoff.
      const retry = await createOrder(commitOutageCustomer!, input);
      expect(retry.data?.createOrder).toMatchObject({ id: orderId, status: 'CONFIRMED' });
      expect((await stack.sandboxCharges(orderId)).map(({ status, refunded }) => ({ status, refunded }))).toEqual([
        { status: 'succeeded', refunded: false },
      ]);
      await expectInvariants();
    });

    it('answers ORDER_IN_PROGRESS while the payment provider is down, and charges once and confirms when it is back', async () => {
      const input = checkoutInput();
      const headers = await customerHeaders(stack, sandboxOutageCustomer!);
      expect(await stack.stopService('paymentSandbox')).toBe('SIGKILL');

      const pending = await createOrder(sandboxOutageCustomer!, input);

      expect(pending.data).toBeNull();
      expect(firstError(pending).extensions).toMatchObject({
        code: 'ORDER_IN_PROGRESS',
        retryable: true,
        orderId: expect.any(String),
      });
      const orderId = firstError(pending).extensions!.orderId as string;
      expect((await stack.query(ORDER, { id: orderId }, headers)).body.data.order.status).toBe('PENDING');
      expect((await records.findSaga(orderId))?.paymentState).toBe('UNKNOWN');

      await stack.startServiceAgain('paymentSandbox');
      expect(await records.waitForFinalSaga(orderId)).toMatchObject({ step: 'CONFIRMED', paymentState: 'CAPTURED' });
      const retry = await createOrder(sandboxOutageCustomer!, input);
      expect(retry.data?.createOrder).toMatchObject({ id: orderId, status: 'CONFIRMED' });
      expect((await stack.sandboxCharges(orderId)).map(({ status, refunded }) => ({ status, refunded }))).toEqual([
        { status: 'succeeded', refunded: false },
      ]);
      await expectInvariants();
    });

    it('rejects a checkout abandoned before it reserved anything once its deadline has passed, and a retry answers CHECKOUT_FAILED naming no order', async () => {
      // The row a crash at checkout-recorded leaves (the crash tests check that), but started an hour
      // ago: past the 5-minute deadline, so the recovery loop gives up instead of reserving.
      const input = checkoutInput();
      const orderId = randomUUID();
      const anHourAgo = new Date(Date.now() - 3_600_000);
      await records.orders.transaction(({ db, tables }) =>
        db.insert(tables.checkoutSagas).values({
          orderId,
          userId: abandoningCustomer!,
          idempotencyKey: input.idempotencyKey,
          requestHash: hashCheckoutRequest(input),
          items: JSON.stringify(input.items),
          paymentToken: input.paymentToken,
          step: 'RESERVING',
          paymentState: 'NONE',
          chargeId: null,
          failureCode: null,
          failureDetails: null,
          attempts: 0,
          nextAttemptAt: anHourAgo,
          leaseOwner: 'a-driver-that-crashed',
          leaseUntil: anHourAgo,
          lastError: null,
          createdAt: anHourAgo,
          updatedAt: anHourAgo,
        }),
      );

      expect(await records.waitForFinalSaga(orderId)).toMatchObject({
        step: 'REJECTED',
        failureCode: 'CHECKOUT_TIMED_OUT',
        paymentState: 'NONE',
      });
      const retry = await createOrder(abandoningCustomer!, input);

      expect(retry.data).toBeNull();
      expect(firstError(retry).extensions?.code).toBe('CHECKOUT_FAILED');
      expect(await records.findOrder(orderId)).toBeUndefined();
      expect((await records.listReservations()).filter((line) => line.orderId === orderId)).toEqual([]);
      expect(await stack.sandboxCharges(orderId)).toEqual([]);
      await expectInvariants();
      // The schema: extensions.orderId names the cancelled order "when there is one". This checkout
      // never had one, and order(id) answers null for the id the error gives.
      expect(firstError(retry).extensions).not.toHaveProperty('orderId');
    });
  });
});
