import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseLocation, Dialect } from '@supergraph/server-kit/db';
import { createScratchDatabase, createTestKeys, type ScratchDatabase } from '@supergraph/server-kit/testing';
import type { toChargeObject } from '../../../packages/payment-sandbox/src/charges.js';
import { createOperationSender, type OperationSender } from './graphql-client.js';
import { REPO_ROOT, runDatabaseCommand, startService, type ExitStatus, type ServiceProcess } from './processes.js';
import { readCounter } from './service-metrics.js';

export const SUBGRAPHS = ['users', 'products', 'orders'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];
/** Every process a stack runs, as env(), restart(), stopService() and startServiceAgain() name them. */
export type ServiceName = SubgraphName | 'paymentSandbox' | 'router';

/** A charge as the payment sandbox answers it (Stripe's charge object). */
export type SandboxCharge = ReturnType<typeof toChargeObject>;

/** Each service's entry point and the name its ServiceProcess (and error messages) carry. */
const SERVICES: Record<ServiceName, { entry: string; processName: string }> = {
  users: { entry: 'subgraphs/users/src/index.ts', processName: 'users' },
  products: { entry: 'subgraphs/products/src/index.ts', processName: 'products' },
  orders: { entry: 'subgraphs/orders/src/index.ts', processName: 'orders' },
  paymentSandbox: { entry: 'packages/payment-sandbox/src/index.ts', processName: 'payment-sandbox' },
  router: { entry: 'router/src/index.ts', processName: 'router' },
};

export interface StackOptions {
  /** Where every subgraph keeps its data: its own temp SQLite file, or its own throwaway Postgres database. */
  dialect: Dialect;
  /** Seed sizes passed to every subgraph's `setup`, e.g. ['--customers', '5']. Default: the demo defaults. */
  seedArgs?: string[];
  /** Runs after the databases are seeded and before the services start (fixtures). */
  beforeStart?: (databases: Record<SubgraphName, DatabaseLocation>) => Promise<void> | void;
  /** The supergraph file the router serves. Default: the committed supergraph.graphql. */
  supergraphPath?: string;
  /** Extra settings for the router process (limits, budgets). Default none. */
  routerEnv?: Record<string, string>;
  /** Extra settings for the orders process (checkout timings, CHECKOUT_CRASH_POINT), applied last. Default none. */
  ordersEnv?: Record<string, string>;
  /** Extra settings for the products process (reservation TTL, sweep interval), applied last. Default none. */
  productsEnv?: Record<string, string>;
  /** Extra settings for the payment sandbox process (PAYMENT_SANDBOX_SLOW_CHARGE_MS), applied last. Default none. */
  paymentSandboxEnv?: Record<string, string>;
}

export interface StartAgainOptions {
  /** Settings to remove from the env the process last started with (say, a CHECKOUT_CRASH_POINT). Default none. */
  unset?: string[];
}

export interface RestartOptions extends StartAgainOptions {
  /** How the running process is stopped. Default SIGKILL: a crash, with no graceful shutdown. */
  signal?: 'SIGKILL' | 'SIGTERM';
}

export interface Stack {
  dialect: Dialect;
  /** The stack's signing keys (as JWT_PRIVATE_KEY / JWT_PUBLIC_KEY would hold them), to mint tokens in tests. */
  keys: ReturnType<typeof createTestKeys>;
  /** The secret each subgraph expects from the router, by subgraph. */
  secrets: Record<SubgraphName, string>;
  /** The settings the router runs with, to start another router (say, in production mode) on the same subgraphs. */
  readonly routerEnv: Record<string, string>;
  /** Each subgraph's scratch database, to open it in a test (e.g. openProductsDatabase to read stock rows). */
  databases: Record<SubgraphName, DatabaseLocation>;
  /** The running subgraph processes; restart() and startServiceAgain() replace an entry with the new process. */
  subgraphs: Record<SubgraphName, ServiceProcess>;
  /** The payment sandbox process (orders' PAYMENT_PROVIDER_URL); the current one after a restart. */
  readonly paymentSandbox: ServiceProcess;
  /** The router process; the current one after a restart. */
  readonly router: ServiceProcess;
  /**
   * The settings the stack started a service with (on top of the inherited environment; HOST and
   * PORT aside, which startService sets: the port is the process's `port`). After a restart, the
   * settings of the new process.
   */
  env(name: ServiceName): Record<string, string>;
  /**
   * Stops a service's process (default SIGKILL, a crash; a process that exited already is left as
   * it is) and resolves to how it ended. Its entry keeps the dead process, logs included, until
   * startServiceAgain().
   */
  stopService(name: ServiceName, signal?: 'SIGKILL' | 'SIGTERM'): Promise<ExitStatus>;
  /**
   * Starts a stopped (or crashed) service again on the same port, so the router and orders reach it
   * at the URL they were given, with the settings it last ran with plus `extraEnv`, less
   * `options.unset`. Databases are not set up again. Rejects while the process is still running.
   */
  startServiceAgain(name: ServiceName, extraEnv?: Record<string, string>, options?: StartAgainOptions): Promise<ServiceProcess>;
  /** stopService() then startServiceAgain(): a crash (default SIGKILL) and a restart on the same port. */
  restart(name: ServiceName, extraEnv?: Record<string, string>, options?: RestartOptions): Promise<ServiceProcess>;
  /**
   * POSTs an operation to the router (a typed document from operations/, or an inline text);
   * resolves to the HTTP status, headers and JSON body.
   */
  query: OperationSender;
  /** Another router on the same subgraphs, with the stack's router settings plus `extraEnv`; stop() stops it. */
  startRouter(extraEnv: Record<string, string>): Promise<ServiceProcess>;
  /** The services' db_statements_total, read from their /metrics. */
  statementCounts(): Promise<Record<SubgraphName, number>>;
  /** GraphQL operations the three subgraphs have handled, from their /metrics: the proof that nothing reached them. */
  subgraphOperations(): Promise<number>;
  /** Every charge the payment sandbox holds for an order (metadata.orderId), newest first, at most 100. */
  sandboxCharges(orderId: string): Promise<SandboxCharge[]>;
  /**
   * Stops every process the stack started (restarted ones included; those that exited already are
   * skipped), drops the databases and removes the sandbox's data. Rejects after all of that when a
   * step failed.
   */
  stop(): Promise<void>;
}

/** The settings that point a subgraph process at its scratch database. */
function databaseEnv(location: DatabaseLocation): Record<string, string> {
  return location.dialect === 'postgres' ? { [location.variable]: location.url } : { DATA_DIR: join(location.file, '..') };
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * The whole supergraph as it runs in production: three subgraph processes, each migrating and
 * seeding its own database (SQLite or Postgres), the payment sandbox that orders charges through,
 * and the router process in front of the subgraphs, all on free ports and talking real HTTP. Every
 * database, and the sandbox's data file, is thrown away by stop().
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const scratch = {} as Record<SubgraphName, ScratchDatabase>;
  const sandboxDir = mkdtempSync(join(tmpdir(), 'payment-sandbox-e2e-'));
  /** Every process started, restarted ones included, for stop(). */
  const started: ServiceProcess[] = [];
  /** The current process of each service, and the settings it was started with. */
  const running = {} as Record<ServiceName, ServiceProcess>;
  const settings = {} as Record<ServiceName, Record<string, string>>;

  const launch = async (name: ServiceName, env: Record<string, string>, port?: number) => {
    const service = await startService(SERVICES[name].processName, SERVICES[name].entry, {
      ...env,
      ...(port === undefined ? {} : { PORT: String(port) }),
    });
    started.push(service);
    running[name] = service;
    settings[name] = env;
    return service;
  };
  /** Starts several services at once; when one fails, the others still end up in `started` to be stopped. */
  const launchAll = async (launches: [ServiceName, Record<string, string>][]) => {
    const results = await Promise.allSettled(launches.map(([name, env]) => launch(name, env)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  const cleanUp = async () => {
    const results = [
      ...(await Promise.allSettled(started.map((service) => service.stop()))),
      ...(await Promise.allSettled(Object.values(scratch).map((database) => database.drop()))),
    ];
    rmSync(sandboxDir, { recursive: true, force: true });
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };

  // Keys and secrets are configured explicitly, as in production, not taken from development defaults.
  const keys = createTestKeys();
  const secrets = Object.fromEntries(
    SUBGRAPHS.map((name) => [`${name.toUpperCase()}_SUBGRAPH_SECRET`, `e2e-${name}-router-secret-${randomHex(16)}`]),
  );
  const inventorySecret = `e2e-products-inventory-${randomHex(16)}`;
  const sandboxSecretKey = `sk_test_e2e_${randomHex(16)}`;
  const authEnv = { JWT_PUBLIC_KEY: keys.publicKeyPem };
  try {
    for (const name of SUBGRAPHS) scratch[name] = await createScratchDatabase(name, options.dialect);
    const databases = {
      users: scratch.users.location,
      products: scratch.products.location,
      orders: scratch.orders.location,
    };
    const subgraphEnv = (name: SubgraphName) => ({
      ...databaseEnv(databases[name]),
      ...authEnv,
      ...(name === 'users' ? { JWT_PRIVATE_KEY: keys.privateKeyPem } : {}),
      [`${name.toUpperCase()}_SUBGRAPH_SECRET`]: secrets[`${name.toUpperCase()}_SUBGRAPH_SECRET`]!,
    });
    await Promise.all(
      SUBGRAPHS.map((name) => runDatabaseCommand(name, ['setup', ...(options.seedArgs ?? [])], subgraphEnv(name))),
    );
    await options.beforeStart?.(databases);

    // Orders is given the products and sandbox origins, so those start first.
    await launchAll([
      ['users', subgraphEnv('users')],
      ['products', { ...subgraphEnv('products'), PRODUCTS_INVENTORY_SECRET: inventorySecret, ...options.productsEnv }],
      [
        'paymentSandbox',
        {
          PAYMENT_SANDBOX_DATA_FILE: join(sandboxDir, 'payment-sandbox.sqlite'),
          PAYMENT_SANDBOX_SECRET_KEY: sandboxSecretKey,
          ...options.paymentSandboxEnv,
        },
      ],
    ]);
    await launch('orders', {
      ...subgraphEnv('orders'),
      PRODUCTS_INTERNAL_URL: running.products.origin,
      PRODUCTS_INVENTORY_SECRET: inventorySecret,
      PAYMENT_PROVIDER_URL: running.paymentSandbox.origin,
      PAYMENT_PROVIDER_SECRET_KEY: sandboxSecretKey,
      ...options.ordersEnv,
    });
    const subgraphs = { users: running.users, products: running.products, orders: running.orders };
    await launch('router', {
      SUPERGRAPH_PATH: options.supergraphPath ?? join(REPO_ROOT, 'supergraph.graphql'),
      USERS_SUBGRAPH_URL: subgraphs.users.url,
      PRODUCTS_SUBGRAPH_URL: subgraphs.products.url,
      ORDERS_SUBGRAPH_URL: subgraphs.orders.url,
      // Generous: on a busy 2-core machine a password hash or a checkout takes seconds. The timeout suite sets its own.
      SUBGRAPH_TIMEOUT_MS: '15000',
      ...authEnv,
      ...secrets,
      ...options.routerEnv,
    });

    const stopService = async (name: ServiceName, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL') => {
      const service = running[name];
      if (signal === 'SIGTERM') await service.stop();
      else await service.kill('SIGKILL');
      return service.exited;
    };
    const startServiceAgain = async (
      name: ServiceName,
      extraEnv: Record<string, string> = {},
      { unset = [] }: StartAgainOptions = {},
    ) => {
      const previous = running[name];
      if (!previous.hasExited) throw new Error(`${previous.name} is still running: stop it with stopService() first`);
      const env = { ...settings[name], ...extraEnv };
      for (const key of unset) delete env[key];
      const service = await launch(name, env, previous.port);
      if (name !== 'paymentSandbox' && name !== 'router') subgraphs[name] = service;
      return service;
    };

    return {
      dialect: options.dialect,
      keys,
      secrets: Object.fromEntries(SUBGRAPHS.map((name) => [name, secrets[`${name.toUpperCase()}_SUBGRAPH_SECRET`]!])) as Record<
        SubgraphName,
        string
      >,
      get routerEnv() {
        return { ...settings.router };
      },
      databases,
      subgraphs,
      get paymentSandbox() {
        return running.paymentSandbox;
      },
      get router() {
        return running.router;
      },
      env: (name) => ({ ...settings[name] }),
      stopService,
      startServiceAgain,
      async restart(name, extraEnv, { signal, ...startOptions } = {}) {
        await stopService(name, signal);
        return startServiceAgain(name, extraEnv, startOptions);
      },
      query: createOperationSender(() => running.router.url),
      async startRouter(extraEnv) {
        const router = await startService('router', SERVICES.router.entry, { ...settings.router, ...extraEnv });
        started.push(router);
        return router;
      },
      async statementCounts() {
        const counts = await Promise.all(SUBGRAPHS.map((name) => readCounter(subgraphs[name].origin, 'db_statements_total')));
        return Object.fromEntries(SUBGRAPHS.map((name, index) => [name, counts[index]!])) as Record<SubgraphName, number>;
      },
      async subgraphOperations() {
        const counts = await Promise.all(
          SUBGRAPHS.map((name) => readCounter(subgraphs[name].origin, 'graphql_operations_total')),
        );
        return counts.reduce((sum, count) => sum + count, 0);
      },
      async sandboxCharges(orderId) {
        const url = new URL('/v1/charges', running.paymentSandbox.origin);
        url.searchParams.set('metadata[orderId]', orderId);
        url.searchParams.set('limit', '100');
        const response = await fetch(url, {
          headers: { authorization: `Bearer ${settings.paymentSandbox.PAYMENT_SANDBOX_SECRET_KEY}` },
        });
        if (!response.ok) throw new Error(`GET /v1/charges answered ${response.status}: ${await response.text()}`);
        return ((await response.json()) as { data: SandboxCharge[] }).data;
      },
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp().catch((cleanUpError: unknown) => {
      throw new AggregateError([error, cleanUpError], 'the stack did not start, and stopping what did start failed too');
    });
    throw error;
  }
}
