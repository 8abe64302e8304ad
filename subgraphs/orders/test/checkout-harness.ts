import { randomUUID } from 'node:crypto';
import { createDemoOrders, DEFAULT_SEED_OPTIONS, getDemoAdminId, getDemoCustomerId } from '@supergraph/demo-data';
import { createPaymentSandbox } from '@supergraph/payment-sandbox';
import type { Viewer } from '@supergraph/server-kit/auth';
import type { Dialect } from '@supergraph/server-kit/db';
import { createLogger } from '@supergraph/server-kit/telemetry';
import type { ExecuteResult } from '@supergraph/server-kit/testing';
import { asc, count, desc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { CreateOrderInput } from '../src/__generated__/resolvers-types.js';
import { createCheckoutService } from '../src/checkout/checkout.js';
import type { CrashHook, CrashPoint } from '../src/checkout/crash-points.js';
import { driveSaga } from '../src/checkout/driver.js';
import type { Saga } from '../src/checkout/saga-record.js';
import { findSaga, findSagaByKey } from '../src/checkout/saga-store.js';
import type { InventoryClient } from '../src/clients/inventory-client.js';
import type { Charge, ChargeRequest, PaymentProvider } from '../src/clients/payment-provider.js';
import { createSandboxPaymentProvider } from '../src/clients/sandbox-payment-provider.js';
import { noAnswer } from '../src/clients/json-call.js';
import { createFakeInventory } from './fake-inventory.js';
import { createOrdersHarness, dataOf } from './harness.js';

// What the checkout tests share: an orders subgraph whose saga talks to the fake inventory and to
// the real payment sandbox (in-process, on an ephemeral port), on a clock the test moves, and ways
// to read what a user, the database, the inventory and the sandbox see.

/** Few demo orders (the first PENDING one is the 21st), so a fresh database per test stays cheap. */
export const SEED = { ...DEFAULT_SEED_OPTIONS, orders: 40 };
export const SEEDED_ORDERS = createDemoOrders(SEED);

export const CUSTOMER: Viewer = { id: getDemoCustomerId(SEED), role: 'CUSTOMER' };
export const ADMIN: Viewer = { id: getDemoAdminId(SEED), role: 'ADMIN' };
/** A customer with no orders yet, of their own for each test that asks. */
export const newCustomer = (): Viewer => ({ id: randomUUID(), role: 'CUSTOMER' });

const SANDBOX_SECRET_KEY = 'sk_test_orders_checkout';
/** The provider deadline checkout runs with: short, so tok_timeout costs little. */
const PAYMENT_TIMEOUT_MS = 300;
/** How long tok_chargeSucceedsSlowly takes: past the provider deadline, so the first attempt times out. */
const SLOW_CHARGE_MS = 500;

/** The saga's timing in these tests (see src/env.ts and createSagaDependencies). */
export const TIMING = {
  leaseMs: 3_000,
  deadlineMs: 120_000,
  /** CHECKOUT_PAYMENT_SETTLE_SECONDS: longer than SLOW_CHARGE_MS, so a slow charge has landed by then. */
  paymentSettleMs: 1_000,
  retentionMs: 24 * 3_600_000,
  /** CHECKOUT_LATE_CHARGE_CHECK_SECONDS. */
  lateChargeCheckMs: 600_000,
  /** Longer than the longest retry backoff (maxRetryDelayMs), shorter than the deadline. */
  pastAnyBackoffMs: 60_001,
} as const;

/** The inventory's catalog: its prices, not the client's, make the order's. */
export const CATALOG = [
  { id: 'lamp', stock: 10, priceMinor: 2_500 },
  { id: 'desk', stock: 3, priceMinor: 19_999 },
  { id: 'chair', stock: 5, priceMinor: 8_950 },
  { id: 'print', stock: 4, priceMinor: 1_200, currency: 'EUR' },
  // Two of them are more than one payment may be (MAX_ORDER_TOTAL_MINOR).
  { id: 'yacht', stock: 2, priceMinor: 60_000_000 },
  // Fifty cheap products with deep stock, for the largest cart the API accepts.
  ...Array.from({ length: 50 }, (_, index) => ({ id: `bulk-${index + 1}`, stock: 1_000, priceMinor: 100 })),
];
export const initialStockOf = (productId: string) => CATALOG.find((product) => product.id === productId)!.stock;

/** The payment sandbox, started once per test file. */
export async function startPaymentSandbox() {
  const sandbox = createPaymentSandbox({
    secretKey: SANDBOX_SECRET_KEY,
    dataFile: ':memory:',
    logger: createLogger({ service: 'payment-sandbox', level: 'silent' }),
    slowChargeMs: SLOW_CHARGE_MS,
  });
  const url = await sandbox.listen(0, '127.0.0.1');
  // The first call of a process pays for loading fetch and for the sandbox's first request: made
  // here, so the short provider deadline the tests run with never measures start-up instead.
  const warmUp = createSandboxPaymentProvider({ baseUrl: url, secretKey: SANDBOX_SECRET_KEY, timeoutMs: 30_000 });
  await warmUp.findChargesForOrder('warm-up');
  return { url, close: () => sandbox.close() };
}

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

type PaymentCall = 'charge' | 'refund' | 'findChargesForOrder';

/**
 * The sandbox provider, recording each call the saga makes, with outages a test can script
 * (`failNext('refund')`): the call then answers `unavailable` without reaching the sandbox.
 */
export function createRecordingPayments(provider: PaymentProvider) {
  const calls: { call: PaymentCall; orderId?: string; chargeId?: string }[] = [];
  const outages: PaymentCall[] = [];
  const scriptedOutage = (call: PaymentCall) => {
    const index = outages.indexOf(call);
    if (index === -1) return null;
    outages.splice(index, 1);
    return noAnswer('unreachable', `${call}: scripted outage`);
  };
  const recorded: PaymentProvider = {
    async charge(request) {
      calls.push({ call: 'charge', orderId: request.orderId });
      return scriptedOutage('charge') ?? provider.charge(request);
    },
    async refund(request) {
      calls.push({ call: 'refund', chargeId: request.chargeId });
      return scriptedOutage('refund') ?? provider.refund(request);
    },
    async findChargesForOrder(orderId) {
      calls.push({ call: 'findChargesForOrder', orderId });
      return scriptedOutage('findChargesForOrder') ?? provider.findChargesForOrder(orderId);
    },
  };
  return {
    provider: recorded,
    calls,
    /** How many calls of a kind the saga made. */
    countOf: (call: PaymentCall) => calls.filter((entry) => entry.call === call).length,
    /** Makes the next calls of these kinds answer `unavailable`, once each. */
    failNext(...failing: PaymentCall[]) {
      outages.push(...failing);
    },
  };
}

/** A driver dying at a crash point: what CHECKOUT_CRASH_POINT does to the process, as an exception. */
export class SimulatedCrash extends Error {}
const crashAt =
  (point: CrashPoint): CrashHook =>
  (reached) => {
    if (reached === point) throw new SimulatedCrash(`crashed at ${point}`);
  };

const ORDER_FIELDS = `#graphql
  fragment CheckoutOrder on Order {
    id
    status
    createdAt
    cancellationReason
    user { id }
    total { amount currency }
    items { product { id } quantity unitPrice { amount currency } lineTotal { amount currency } }
    statusHistory { status at reason }
  }`;
const CREATE_ORDER = `#graphql
  mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...CheckoutOrder } }
  ${ORDER_FIELDS}`;
const CANCEL_ORDER = `#graphql
  mutation CancelOrder($id: ID!) { cancelOrder(id: $id) { ...CheckoutOrder } }
  ${ORDER_FIELDS}`;
const ORDER = `#graphql
  query Order($id: ID!) { order(id: $id) { ...CheckoutOrder } }
  ${ORDER_FIELDS}`;

let keyCount = 0;
/** A createOrder input: one lamp with tok_visa and a fresh key, unless told otherwise. */
export function checkoutInput(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  keyCount += 1;
  return {
    items: [{ productId: 'lamp', quantity: 1 }],
    idempotencyKey: `checkout-${process.pid}-${Date.now()}-${keyCount}`,
    paymentToken: 'tok_visa',
    ...overrides,
  };
}

/** The extensions of the single error a failed mutation answers with (code included); it returns no data. */
export function errorOf(result: ExecuteResult): Record<string, unknown> {
  expect(result.errors, JSON.stringify(result.data)).toHaveLength(1);
  expect(result.data).toBeNull();
  return result.errors![0]!.extensions ?? {};
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
  const providerOptions = { baseUrl: sandboxUrl, secretKey: SANDBOX_SECRET_KEY };
  const checkoutProvider = createSandboxPaymentProvider({ ...providerOptions, timeoutMs: PAYMENT_TIMEOUT_MS });
  // What the test reads at the sandbox, with a patient deadline and outside the recording.
  const sandbox = createSandboxPaymentProvider({ ...providerOptions, timeoutMs: 5_000 });
  const createFakes = () => ({ inventory: createFakeInventory(CATALOG), payments: createRecordingPayments(checkoutProvider) });
  let fakes = createFakes();
  // The saga calls whichever fakes are current, so tests sharing a harness can each start afresh.
  const inventory: InventoryClient = {
    reserve: (request) => fakes.inventory.client.reserve(request),
    commit: (orderId) => fakes.inventory.client.commit(orderId),
    release: (orderId) => fakes.inventory.client.release(orderId),
  };
  const payments: PaymentProvider = {
    charge: (request) => fakes.payments.provider.charge(request),
    refund: (request) => fakes.payments.provider.refund(request),
    findChargesForOrder: (orderId) => fakes.payments.provider.findChargesForOrder(orderId),
  };
  const harness = await createOrdersHarness(dialect, {
    seed: SEED,
    checkoutEnv: {
      PAYMENT_PROVIDER_URL: sandboxUrl,
      PAYMENT_PROVIDER_SECRET_KEY: SANDBOX_SECRET_KEY,
      PAYMENT_PROVIDER_TIMEOUT_MS: String(PAYMENT_TIMEOUT_MS),
      INVENTORY_TIMEOUT_MS: '1000',
      CHECKOUT_LEASE_MS: String(TIMING.leaseMs),
      CHECKOUT_PAYMENT_SETTLE_SECONDS: String(TIMING.paymentSettleMs / 1000),
      CHECKOUT_LATE_CHARGE_CHECK_SECONDS: String(TIMING.lateChargeCheckMs / 1000),
      CHECKOUT_DEADLINE_SECONDS: String(TIMING.deadlineMs / 1000),
      CHECKOUT_WAIT_MS: '3000',
      IDEMPOTENCY_KEY_RETENTION_HOURS: String(TIMING.retentionMs / 3_600_000),
      ...env,
    },
    checkoutOverrides: { inventory, payments, now: clock.now },
  });
  const { database } = harness;
  const { db, tables } = database;

  /** Carries a saga on as the driver holding its lease would, until that driver dies at `point`. */
  async function driveUntilCrash(saga: Saga, point: CrashPoint): Promise<void> {
    expect(saga.leaseOwner).not.toBeNull();
    await expect(
      driveSaga({ ...harness.checkoutDeps, crash: crashAt(point) }, saga, { owner: saga.leaseOwner!, mode: 'request' }),
    ).rejects.toBeInstanceOf(SimulatedCrash);
  }

  return {
    ...harness,
    clock,
    /** The fake inventory the saga calls. */
    get inventory() {
      return fakes.inventory;
    },
    /** The saga's calls to the sandbox, and its scripted outages. */
    get payments() {
      return fakes.payments;
    },
    /** A fresh inventory (CATALOG's stock) and a fresh record of payment calls, for the next test. */
    resetFakes() {
      fakes = createFakes();
    },
    createOrder: (viewer: Viewer | null, input: CreateOrderInput) => harness.execute(CREATE_ORDER, { input }, { viewer }),
    cancelOrder: (viewer: Viewer | null, id: string) => harness.execute(CANCEL_ORDER, { id }, { viewer }),
    /** The order as an admin sees it through Query.order. */
    async readOrder(id: string) {
      return dataOf(await harness.execute(ORDER, { id }, { viewer: ADMIN })).order;
    },
    sagaOf: (orderId: string) => findSaga(database, orderId),
    sagaByKey: (viewer: Viewer, idempotencyKey: string) => findSagaByKey(database, viewer.id, idempotencyKey),
    /** The user's newest saga, key or no key. */
    async latestSagaOf(viewer: Viewer) {
      const { checkoutSagas } = tables;
      const [row] = await db
        .select()
        .from(checkoutSagas)
        .where(eq(checkoutSagas.userId, viewer.id))
        .orderBy(desc(checkoutSagas.createdAt))
        .limit(1);
      return row ?? null;
    },
    async orderRowOf(id: string) {
      const [row] = await db.select().from(tables.orders).where(eq(tables.orders.id, id));
      return row ?? null;
    },
    statusChangesOf: (orderId: string) =>
      db
        .select()
        .from(tables.orderStatusChanges)
        .where(eq(tables.orderStatusChanges.orderId, orderId))
        .orderBy(asc(tables.orderStatusChanges.changedAt)),
    /** How many orders and checkout sagas the database holds for a user, or in all. */
    async countRowsOf(userId?: string) {
      const { orders, checkoutSagas } = tables;
      const [orderCount] = await db
        .select({ total: count() })
        .from(orders)
        .where(userId === undefined ? undefined : eq(orders.userId, userId));
      const [sagaCount] = await db
        .select({ total: count() })
        .from(checkoutSagas)
        .where(userId === undefined ? undefined : eq(checkoutSagas.userId, userId));
      return { orders: Number(orderCount?.total), checkoutSagas: Number(sagaCount?.total) };
    },
    /** The charges the sandbox holds for an order, newest first. */
    /** A charge made at the sandbox behind the saga's back: one that reached the provider late. */
    chargeAtTheSandbox: (request: ChargeRequest) => sandbox.charge(request),
    async chargesOf(orderId: string): Promise<Charge[]> {
      const found = await sandbox.findChargesForOrder(orderId);
      if (found.status !== 'succeeded') throw new Error(`the sandbox did not list charges: ${JSON.stringify(found)}`);
      return found.charges;
    },
    /** Moves the clock on by `ms`, then runs one recovery pass. */
    async recoverAfter(ms: number) {
      clock.advance(ms);
      return harness.recoverOnce();
    },
    /**
     * Starts a checkout whose driver dies at `point` holding its lease, as a killed process leaves
     * it: the saga, the order rows, the reservation and the charge are whatever that driver had
     * done. Returns the order id.
     */
    async interruptCheckout(viewer: Viewer, input: CreateOrderInput, point: CrashPoint): Promise<string> {
      const service = createCheckoutService({
        ...harness.checkoutDeps,
        crash: crashAt('checkout-recorded'),
        waitMs: 0,
        stepBudgetMs: 1_000,
      });
      await expect(service.createOrder(viewer, input)).rejects.toBeInstanceOf(SimulatedCrash);
      const saga = await findSagaByKey(database, viewer.id, input.idempotencyKey);
      if (!saga) throw new Error('createOrder recorded no saga before the crash point');
      if (point !== 'checkout-recorded') await driveUntilCrash(saga, point);
      return saga.orderId;
    },
    /** Like interruptCheckout, for cancelOrder: its driver dies at `point` (compensation-recorded or later). */
    async interruptCancellation(viewer: Viewer, orderId: string, point: CrashPoint): Promise<void> {
      const service = createCheckoutService({
        ...harness.checkoutDeps,
        crash: crashAt('compensation-recorded'),
        waitMs: 0,
        stepBudgetMs: 1_000,
      });
      await expect(service.cancelOrder(viewer, orderId)).rejects.toBeInstanceOf(SimulatedCrash);
      const saga = await findSaga(database, orderId);
      if (point !== 'compensation-recorded') await driveUntilCrash(saga!, point);
    },
  };
}

export type CheckoutHarness = Awaited<ReturnType<typeof createCheckoutHarness>>;
