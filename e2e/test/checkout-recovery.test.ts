import { randomUUID } from 'node:crypto';
import { getDemoUserId, parseSeedOptions } from '@supergraph/demo-data';
import { testDialects } from '@supergraph/server-kit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { hashCheckoutRequest } from '../../subgraphs/orders/src/checkout/checkout-input.js';
import { CancelOrderDocument, CheckoutDocument } from '../../operations/__generated__/graphql.js';
import { expectOrderInProgress, firstError, ORDER, useCheckoutStack } from './support/checkout.js';
import { CRASH_CASES, OUTCOMES } from './support/crash-cases.js';

const seedArgs = ['--customers', '4', '--products', '20', '--orders', '0'];
const seed = parseSeedOptions(seedArgs);
/** Each test's own customer, so it can find its sagas by user (a key the saga gave up is null). */
const [crashCustomer, productsOutageCustomer, commitOutageCustomer, sandboxOutageCustomer, abandoningCustomer] = [
  1, 2, 3, 4, 5,
].map((index) => getDemoUserId(seed, index));

const STOCKED = { id: 'e2e-recovery-stocked', stock: 500, priceMinor: 1_250 };

/** tok_chargeSucceedsSlowly takes this long, within the provider timeout: a window to stop products in mid-checkout. */
const SLOW_CHARGE_MS = 1_200;

describe.each(testDialects())('checkout across crashes and outages, every subgraph on %s', (dialect) => {
  const suite = useCheckoutStack({
    dialect,
    seedArgs,
    paymentSandboxEnv: { PAYMENT_SANDBOX_SLOW_CHARGE_MS: String(SLOW_CHARGE_MS) },
    products: [STOCKED],
  });
  const { createOrder, expectInvariants } = suite;

  const checkoutInput = (paymentToken = 'tok_visa') => ({
    items: [{ productId: STOCKED.id, quantity: 2 }],
    idempotencyKey: randomUUID(),
    paymentToken,
  });
  /** A retry with the key answers the order CONFIRMED, charged once and not refunded, and the parties agree. */
  const expectConfirmedOnRetry = async (userId: string, input: ReturnType<typeof checkoutInput>, orderId: string) => {
    const retry = await createOrder(userId, input);
    expect(retry.data?.createOrder).toMatchObject({ id: orderId, status: 'CONFIRMED' });
    expect((await suite.stack.sandboxCharges(orderId)).map(({ status, refunded }) => ({ status, refunded }))).toEqual([
      { status: 'succeeded', refunded: false },
    ]);
    await expectInvariants();
  };

  it.each(CRASH_CASES)(
    'finishes a $flow that the orders process died in at $point, and a retry answers with the outcome',
    async ({ point, flow, leftAt, armNext }) => {
      const headers = await suite.customerHeaders(crashCustomer!);
      const input = checkoutInput(flow === 'declined checkout' ? 'tok_chargeDeclined' : 'tok_visa');
      const isArmed = !suite.stack.subgraphs.orders.hasExited && suite.stack.env('orders').CHECKOUT_CRASH_POINT === point;
      const armed = isArmed ? suite.stack.subgraphs.orders : await suite.stack.restart('orders', { CHECKOUT_CRASH_POINT: point });
      let cancelledOrderId: string | undefined;
      if (flow === 'cancellation') {
        // A paid checkout reaches no compensation point, so the order to cancel is placed by the armed process.
        const placed = await createOrder(crashCustomer!, input);
        expect(placed.data?.createOrder.status).toBe('CONFIRMED');
        cancelledOrderId = placed.data!.createOrder.id;
      }

      const { body } =
        cancelledOrderId === undefined
          ? await suite.stack.query(CheckoutDocument, input, headers)
          : await suite.stack.query(CancelOrderDocument, { orderId: cancelledOrderId }, headers);

      expect(body.data).toBeNull();
      expect(firstError(body).extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'orders' });
      // Only the crash hook kills orders with SIGKILL, and the saga shows where it stopped.
      expect(await armed.waitForExit(10_000)).toBe('SIGKILL');
      const orderId =
        cancelledOrderId ??
        (await suite.records.waitForSaga('started', (saga) => saga.idempotencyKey === input.idempotencyKey)).orderId;
      const interrupted = await suite.records.findSaga(orderId);
      expect([interrupted?.step, interrupted?.paymentState]).toEqual(leftAt);
      await (armNext
        ? suite.stack.startServiceAgain('orders', { CHECKOUT_CRASH_POINT: armNext })
        : suite.stack.startServiceAgain('orders', {}, { unset: ['CHECKOUT_CRASH_POINT'] }));

      expect(await suite.records.waitForFinalSaga(orderId)).toMatchObject(OUTCOMES[flow]);
      await expectInvariants();
      const sagaCount = (await suite.records.listSagas()).length;

      const retry = await createOrder(crashCustomer!, input);
      if (flow === 'checkout') {
        expect(retry).toEqual({ data: { createOrder: expect.objectContaining({ id: orderId, status: 'CONFIRMED' }) } });
      } else if (flow === 'declined checkout') {
        expect(retry.data).toBeNull();
        expect(firstError(retry).extensions).toMatchObject({ code: 'PAYMENT_DECLINED', orderId });
      } else {
        expect(retry.data?.createOrder).toMatchObject({ id: orderId, status: 'CANCELLED' });
        const cancelAgain = await suite.stack.query(CancelOrderDocument, { orderId }, headers);
        expect(cancelAgain.body.data?.cancelOrder).toMatchObject({
          id: orderId,
          status: 'CANCELLED',
          cancellationReason: 'CANCELLED_BY_CUSTOMER',
        });
      }
      // The retries started nothing new.
      expect(await suite.records.listSagas()).toHaveLength(sagaCount);
      await expectInvariants();
    },
  );

  describe('with every process running, orders unarmed', () => {
    // A test that failed half-way may have left a process stopped, or orders armed.
    beforeEach(async () => {
      if (suite.stack.subgraphs.orders.hasExited || suite.stack.env('orders').CHECKOUT_CRASH_POINT !== undefined) {
        await suite.stack.restart('orders', {}, { unset: ['CHECKOUT_CRASH_POINT'] });
      }
      if (suite.stack.subgraphs.products.hasExited) await suite.stack.startServiceAgain('products');
      if (suite.stack.paymentSandbox.hasExited) await suite.stack.startServiceAgain('paymentSandbox');
    });

    it('answers SERVICE_UNAVAILABLE while products is down, charging nothing, and places the same request once it is back', async () => {
      const input = checkoutInput();
      expect(await suite.stack.stopService('products')).toBe('SIGKILL');

      const refused = await createOrder(productsOutageCustomer!, input);

      expect(refused.data).toBeNull();
      expect(firstError(refused).extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      await suite.stack.startServiceAgain('products');
      const placed = await createOrder(productsOutageCustomer!, input);
      expect(placed.errors).toBeUndefined();
      expect(placed.data?.createOrder.status).toBe('CONFIRMED');

      await suite.records.waitForAllSagasFinal();
      const sagas = (await suite.records.listSagas()).filter((saga) => saga.userId === productsOutageCustomer);
      expect(sagas.map(({ step, failureCode }) => ({ step, failureCode }))).toEqual([
        { step: 'REJECTED', failureCode: 'INVENTORY_UNAVAILABLE' },
        { step: 'CONFIRMED', failureCode: null },
      ]);
      expect(sagas[1]!.orderId).toBe(placed.data?.createOrder.id);
      expect(await suite.stack.sandboxCharges(sagas[0]!.orderId)).toEqual([]);
      await expectInvariants();
    });

    it('keeps a paid order PENDING while products is down at commit, and confirms it, charged once, when products is back', async () => {
      const input = checkoutInput('tok_chargeSucceedsSlowly');
      const placing = createOrder(commitOutageCustomer!, input);
      await suite.records.waitForSaga(
        'charging',
        (saga) => saga.idempotencyKey === input.idempotencyKey && saga.step === 'CHARGING',
      );
      await suite.stack.stopService('products');

      const pending = await placing;

      const orderId = expectOrderInProgress(pending);
      expect(await suite.records.findSaga(orderId)).toMatchObject({ step: 'COMMITTING', paymentState: 'CAPTURED' });
      expect((await suite.records.findOrder(orderId))?.status).toBe('PENDING');
      await suite.stack.startServiceAgain('products');
      // A retry with the key drives the commit at once instead of waiting for the loop's backoff.
      await expectConfirmedOnRetry(commitOutageCustomer!, input, orderId);
    });

    it('answers ORDER_IN_PROGRESS while the payment provider is down, and charges once and confirms when it is back', async () => {
      const input = checkoutInput();
      const headers = await suite.customerHeaders(sandboxOutageCustomer!);
      expect(await suite.stack.stopService('paymentSandbox')).toBe('SIGKILL');

      const pending = await createOrder(sandboxOutageCustomer!, input);

      const orderId = expectOrderInProgress(pending);
      expect((await suite.stack.query(ORDER, { id: orderId }, headers)).body.data.order.status).toBe('PENDING');
      expect((await suite.records.findSaga(orderId))?.paymentState).toBe('UNKNOWN');

      await suite.stack.startServiceAgain('paymentSandbox');
      expect(await suite.records.waitForFinalSaga(orderId)).toMatchObject({ step: 'CONFIRMED', paymentState: 'CAPTURED' });
      await expectConfirmedOnRetry(sandboxOutageCustomer!, input, orderId);
    });

    it('rejects a checkout abandoned before it reserved anything once its deadline has passed, and a retry answers CHECKOUT_FAILED naming no order', async () => {
      // The row a crash at checkout-recorded leaves (the crash tests check that), but started an hour
      // ago: past the 5-minute deadline, so the recovery loop gives up instead of reserving.
      const input = checkoutInput();
      const orderId = randomUUID();
      const anHourAgo = new Date(Date.now() - 3_600_000);
      await suite.records.orders.transaction(({ db, tables }) =>
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
          phaseStartedAt: anHourAgo,
          updatedAt: anHourAgo,
        }),
      );

      expect(await suite.records.waitForFinalSaga(orderId)).toMatchObject({
        step: 'REJECTED',
        failureCode: 'CHECKOUT_TIMED_OUT',
        paymentState: 'NONE',
      });
      const retry = await createOrder(abandoningCustomer!, input);

      expect(retry.data).toBeNull();
      expect(firstError(retry).extensions?.code).toBe('CHECKOUT_FAILED');
      expect(await suite.records.findOrder(orderId)).toBeUndefined();
      expect((await suite.records.listReservations()).filter((line) => line.orderId === orderId)).toEqual([]);
      expect(await suite.stack.sandboxCharges(orderId)).toEqual([]);
      await expectInvariants();
      // The schema: extensions.orderId names the cancelled order "when there is one". This checkout
      // never had one, and order(id) answers null for the id the error gives.
      expect(firstError(retry).extensions).not.toHaveProperty('orderId');
    });
  });
});
