import { DEFAULT_SEED_OPTIONS, type SeedOptions } from '@supergraph/demo-data';
import type { Dialect } from '@supergraph/server-kit/db';
import { createLogger, type Logger } from '@supergraph/server-kit/telemetry';
import { createSubgraphHarness } from '@supergraph/server-kit/testing';
import { createCheckoutService, type CheckoutService } from '../src/checkout/checkout.js';
import { createSagaDependencies, stepBudgetMs } from '../src/checkout/index.js';
import { createCheckoutMetrics, type CheckoutMetrics } from '../src/checkout/metrics.js';
import { createRecovery } from '../src/checkout/recovery.js';
import type { SagaDependencies } from '../src/checkout/dependencies.js';
import { createContextFactory } from '../src/context.js';
import { openOrdersDatabase, type OrdersDatabase } from '../src/db/client.js';
import { seedOrders } from '../src/db/seed.js';
import { checkoutSettingsSchema } from '../src/env.js';
import { createOrdersService } from '../src/server.js';

export { dataOf, testDialects } from '@supergraph/server-kit/testing';

export interface OrdersHarnessOptions {
  seed?: Partial<SeedOptions>;
  /** Checkout settings as environment variables (PRODUCTS_INTERNAL_URL, CHECKOUT_LEASE_MS, ...). */
  checkoutEnv?: Record<string, string>;
  /** Replaces parts of the saga's dependencies (a clock, a scripted provider). */
  checkoutOverrides?: Parameters<typeof createSagaDependencies>[3];
  /** The saga's logger. Default a silent one. */
  logger?: Logger;
}

/**
 * A orders subgraph on a fresh database of the given dialect, seeded with the demo orders. Its
 * checkout talks to whatever `checkoutEnv` points at (by default the development ports, where
 * nothing listens in tests); `recoverOnce` runs one recovery pass.
 */
export async function createOrdersHarness(dialect: Dialect, options: OrdersHarnessOptions = {}) {
  const logger = options.logger ?? createLogger({ service: 'orders', level: 'silent' });
  const settings = checkoutSettingsSchema.parse({ NODE_ENV: 'test', ...options.checkoutEnv });
  let checkout: { database: OrdersDatabase; deps: SagaDependencies; service: CheckoutService } | undefined;
  // The checkout funnel on the service's /metrics, as main.ts wires it (unless a test brings its own).
  let metrics: CheckoutMetrics | undefined;
  const checkoutFor = (database: OrdersDatabase) => {
    if (checkout?.database !== database) {
      const deps = createSagaDependencies(database, logger, settings, {
        ...(metrics ? { metrics } : {}),
        ...options.checkoutOverrides,
      });
      checkout = {
        database,
        deps,
        service: createCheckoutService({ ...deps, waitMs: settings.saga.waitMs, stepBudgetMs: stepBudgetMs(settings) }),
      };
    }
    return checkout;
  };
  const harness = await createSubgraphHarness({
    service: 'orders',
    dialect,
    openDatabase: openOrdersDatabase,
    seed: (database) => seedOrders(database, { ...DEFAULT_SEED_OPTIONS, ...options.seed }),
    createService: (serviceOptions) => {
      const now = options.checkoutOverrides?.now;
      metrics = createCheckoutMetrics(serviceOptions.metrics.registry, {
        database: serviceOptions.database,
        deadlineMs: settings.saga.deadlineMs,
        logger,
        ...(now ? { now } : {}),
      });
      return createOrdersService({ ...serviceOptions, checkout: checkoutFor(serviceOptions.database).service });
    },
    createContext: (database) => createContextFactory(database, checkoutFor(database).service),
  });
  const { deps } = checkoutFor(harness.database);
  const recovery = createRecovery(deps, { idempotencyRetentionMs: settings.saga.idempotencyRetentionMs });
  return {
    ...harness,
    checkoutDeps: deps,
    /** The checkout service the mutations call, for tests that name the request id a checkout runs in. */
    checkoutService: checkoutFor(harness.database).service,
    recoverOnce: () => recovery.runOnce(),
  };
}

export type OrdersHarness = Awaited<ReturnType<typeof createOrdersHarness>>;
