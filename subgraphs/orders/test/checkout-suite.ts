import type { Viewer } from '@supergraph/server-kit/auth';
import type { Dialect } from '@supergraph/server-kit/db';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { CancellationReason } from '../src/db/tables/index.js';
import { checkoutInput, CUSTOMER, newCustomer } from './checkout-fixtures.js';
import { createCheckoutHarness, type CheckoutHarness } from './checkout-harness.js';
import { errorOf } from './checkout-operations.js';
import { dataOf, testDialects } from './harness.js';
import { startPaymentSandbox } from './payment-sandbox.js';

/**
 * The set-up the checkout operation suites share, for one dialect: a checkout harness for the whole
 * suite (one database: nothing moves the clock or runs the recovery loop) talking to the file's
 * payment sandbox, and a customer of its own and fresh fakes for each test.
 */
export function useCheckoutSuite(dialect: Dialect, sandboxUrl: () => string) {
  let harness: CheckoutHarness | undefined;
  let customer: Viewer = newCustomer();
  beforeAll(async () => {
    harness = await createCheckoutHarness(dialect, sandboxUrl());
  });
  afterAll(() => harness?.close());
  beforeEach(() => {
    harness!.resetFakes();
    customer = newCustomer();
  });
  const suite = {
    get h(): CheckoutHarness {
      return harness!;
    },
    get customer(): Viewer {
      return customer;
    },
    get sandboxUrl(): string {
      return sandboxUrl();
    },
    /** Places an order that confirms, and returns it as createOrder answered. */
    placeOrder: async (input = checkoutInput()) => {
      const order = dataOf(await harness!.createOrder(customer, input)).createOrder;
      expect(order.status).toBe('CONFIRMED');
      return order;
    },
  };
  return suite;
}

export type CheckoutSuite = ReturnType<typeof useCheckoutSuite>;

/** One payment sandbox for the test file; the getter answers its URL once the file's tests run. */
function usePaymentSandbox(): () => string {
  let sandbox: Awaited<ReturnType<typeof startPaymentSandbox>> | undefined;
  beforeAll(async () => {
    sandbox = await startPaymentSandbox();
  });
  afterAll(() => sandbox?.close());
  return () => sandbox!.url;
}

/**
 * `define`'s tests once per dialect (`<title> on sqlite`, ...), over useCheckoutSuite's set-up,
 * with one payment sandbox for the file.
 */
export function describeCheckout(title: string, define: (suite: CheckoutSuite, dialect: Dialect) => void): void {
  const sandboxUrl = usePaymentSandbox();
  describe.each(testDialects())(`${title} on %s`, (dialect) => define(useCheckoutSuite(dialect, sandboxUrl), dialect));
}

/**
 * The set-up the checkout recovery suites share, for one dialect: a checkout harness of its own for
 * each test, since a recovery pass drives every due saga in the database, talking to the file's
 * payment sandbox. Tests move its clock on instead of waiting.
 */
export function useRecoverySuite(dialect: Dialect, sandboxUrl: () => string) {
  let harness: CheckoutHarness | undefined;
  beforeEach(async () => {
    harness = await createCheckoutHarness(dialect, sandboxUrl());
  });
  afterEach(() => harness?.close());
  return {
    get h(): CheckoutHarness {
      return harness!;
    },
    get sandboxUrl(): string {
      return sandboxUrl();
    },
    /** Starts a checkout of CUSTOMER's that answers ORDER_IN_PROGRESS, and returns its order id. */
    startCheckoutInProgress: async (input = checkoutInput()): Promise<string> => {
      const error = errorOf(await harness!.createOrder(CUSTOMER, input));
      expect(error).toEqual({ code: 'ORDER_IN_PROGRESS', retryable: true, orderId: expect.any(String) });
      return error.orderId as string;
    },
    /** Asserts that the order went from PENDING straight to CANCELLED for `reason`. */
    expectCancelledFromPending: async (orderId: string, reason: CancellationReason): Promise<void> => {
      expect(await harness!.readOrder(orderId)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: reason,
        statusHistory: [
          { status: 'PENDING', reason: null },
          { status: 'CANCELLED', reason },
        ],
      });
    },
  };
}

export type RecoverySuite = ReturnType<typeof useRecoverySuite>;

/** `define`'s tests once per dialect (`<title> on sqlite`, ...), over useRecoverySuite's set-up. */
export function describeRecovery(title: string, define: (suite: RecoverySuite, dialect: Dialect) => void): void {
  const sandboxUrl = usePaymentSandbox();
  describe.each(testDialects())(`${title} on %s`, (dialect) => define(useRecoverySuite(dialect, sandboxUrl), dialect));
}
