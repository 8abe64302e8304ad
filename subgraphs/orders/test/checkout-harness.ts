import type { Dialect } from '@supergraph/server-kit/db';
import type { Charge, ChargeRequest } from '../src/clients/payment-provider.js';
import { createCheckoutDatabaseReads } from './checkout-database.js';
import { createCheckoutFakes } from './checkout-fakes.js';
import { SEED, TIMING } from './checkout-fixtures.js';
import { createCheckoutOperations } from './checkout-operations.js';
import { createOrdersHarness } from './harness.js';
import { createInterruptions } from './interrupted-sagas.js';
import { createSandboxProviders, paymentProviderEnv } from './payment-sandbox.js';

// What the checkout tests share: an orders subgraph whose saga talks to the fake inventory and to
// the real payment sandbox (in-process, on an ephemeral port), on a clock the test moves, and ways
// to read what a user, the database, the inventory and the sandbox see.

/**
 * The saga's clock: real time plus however far the test has moved it, or, given `frozenAt`, that
 * instant plus however far the test has moved it (time stands still in between).
 */
export function createTestClock(frozenAt?: Date) {
  let offsetMs = 0;
  return {
    now: () => new Date((frozenAt?.getTime() ?? Date.now()) + offsetMs),
    advance(ms: number) {
      offsetMs += ms;
    },
  };
}

/** Checkout's settings in these tests: TIMING, and the sandbox at `sandboxUrl`. */
function checkoutEnvFor(sandboxUrl: string) {
  return {
    ...paymentProviderEnv(sandboxUrl),
    INVENTORY_TIMEOUT_MS: '1000',
    CHECKOUT_LEASE_MS: String(TIMING.leaseMs),
    CHECKOUT_PAYMENT_SETTLE_SECONDS: String(TIMING.paymentSettleMs / 1000),
    CHECKOUT_LATE_CHARGE_CHECK_SECONDS: String(TIMING.lateChargeCheckMs / 1000),
    CHECKOUT_DEADLINE_SECONDS: String(TIMING.deadlineMs / 1000),
    CHECKOUT_WAIT_MS: '3000',
    IDEMPOTENCY_KEY_RETENTION_HOURS: String(TIMING.retentionMs / 3_600_000),
  };
}

/**
 * An orders subgraph on a fresh database with checkout wired to a fake inventory (CATALOG), the
 * sandbox at `sandboxUrl` and a test clock (stopped at `frozenAt` when given). `env` adds or
 * replaces checkout settings. Tests that share one call resetFakes() between them.
 */
export async function createCheckoutHarness(
  dialect: Dialect,
  sandboxUrl: string,
  { env = {}, frozenAt }: { env?: Record<string, string>; frozenAt?: Date } = {},
) {
  const clock = createTestClock(frozenAt);
  const sandbox = createSandboxProviders(sandboxUrl);
  const fakes = createCheckoutFakes(sandbox.checkout);
  const harness = await createOrdersHarness(dialect, {
    seed: SEED,
    checkoutEnv: { ...checkoutEnvFor(sandboxUrl), ...env },
    checkoutOverrides: { ...fakes.clients, now: clock.now },
  });

  return {
    ...harness,
    ...createCheckoutOperations(harness),
    ...createCheckoutDatabaseReads(harness.database),
    ...createInterruptions(harness.checkoutDeps),
    clock,
    /** The fake inventory the saga calls. */
    get inventory() {
      return fakes.current().inventory;
    },
    /** The saga's calls to the sandbox, and its scripted outages. */
    get payments() {
      return fakes.current().payments;
    },
    /** A fresh inventory (CATALOG's stock) and a fresh record of payment calls, for the next test. */
    resetFakes: () => fakes.reset(),
    /** A charge made at the sandbox behind the saga's back: one that reached the provider late. */
    chargeAtTheSandbox: (request: ChargeRequest) => sandbox.reader.charge(request),
    /** The charges the sandbox holds for an order, newest first. */
    async chargesOf(orderId: string): Promise<Charge[]> {
      const found = await sandbox.reader.findChargesForOrder(orderId);
      if (found.status !== 'succeeded') throw new Error(`the sandbox did not list charges: ${JSON.stringify(found)}`);
      return found.charges;
    },
    /** Moves the clock on by `ms`, then runs one recovery pass. */
    async recoverAfter(ms: number) {
      clock.advance(ms);
      return harness.recoverOnce();
    },
  };
}

export type CheckoutHarness = Awaited<ReturnType<typeof createCheckoutHarness>>;
