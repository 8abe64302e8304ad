import type { Viewer } from '@supergraph/server-kit/auth';
import type { Dialect } from '@supergraph/server-kit/db';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import {
  checkoutInput,
  createCheckoutHarness,
  newCustomer,
  startPaymentSandbox,
  type CheckoutHarness,
} from './checkout-harness.js';
import { dataOf } from './harness.js';

/**
 * The set-up the checkout operation suites share, for one dialect: a payment sandbox and a checkout
 * harness for the whole suite (one database: nothing moves the clock or runs the recovery loop),
 * and a customer of its own and fresh fakes for each test.
 */
export function useCheckoutSuite(dialect: Dialect) {
  let sandbox: Awaited<ReturnType<typeof startPaymentSandbox>> | undefined;
  let harness: CheckoutHarness | undefined;
  let customer: Viewer = newCustomer();
  beforeAll(async () => {
    sandbox = await startPaymentSandbox();
    harness = await createCheckoutHarness(dialect, sandbox.url);
  });
  afterAll(async () => {
    await harness?.close();
    await sandbox?.close();
  });
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
      return sandbox!.url;
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
