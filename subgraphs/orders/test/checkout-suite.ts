import type { Viewer } from '@supergraph/server-kit/auth';
import type { Dialect } from '@supergraph/server-kit/db';
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { checkoutInput, newCustomer } from './checkout-fixtures.js';
import { createCheckoutHarness, type CheckoutHarness } from './checkout-harness.js';
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

/**
 * `define`'s tests once per dialect (`<title> on sqlite`, ...), over useCheckoutSuite's set-up,
 * with one payment sandbox for the file.
 */
export function describeCheckout(title: string, define: (suite: CheckoutSuite, dialect: Dialect) => void): void {
  let sandbox: Awaited<ReturnType<typeof startPaymentSandbox>> | undefined;
  beforeAll(async () => {
    sandbox = await startPaymentSandbox();
  });
  afterAll(() => sandbox?.close());
  describe.each(testDialects())(`${title} on %s`, (dialect) =>
    define(
      useCheckoutSuite(dialect, () => sandbox!.url),
      dialect,
    ),
  );
}
