import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createBenchDatabases, SUBGRAPHS, type BenchDatabases, type Dialect, type SubgraphName } from './databases.js';
import { findFreePort, REPO_ROOT, runToCompletion, startProcess, type BenchProcess } from './processes.js';

/** The built entry points the benchmark runs, as production does (`node dist/...`). */
const ENTRIES = {
  users: 'subgraphs/users/dist/index.js',
  products: 'subgraphs/products/dist/index.js',
  orders: 'subgraphs/orders/dist/index.js',
  paymentSandbox: 'packages/payment-sandbox/dist/index.js',
  router: 'router/dist/index.js',
} as const;
const CLI_OF = (name: SubgraphName) => `subgraphs/${name}/dist/cli.js`;
const STOCK_GATEWAY = 'scripts/bench/stock-gateway.ts';

/** The entry points that are not built yet; the benchmark builds nothing itself. */
export function findMissingBuilds(): string[] {
  return [...Object.values(ENTRIES), ...SUBGRAPHS.map(CLI_OF)].filter((entry) => !existsSync(join(REPO_ROOT, entry)));
}

/** Everything one run talks to. */
export interface BenchStack {
  subgraphs: Record<SubgraphName, BenchProcess>;
  paymentSandbox: BenchProcess;
  router: BenchProcess;
  /** Stock @apollo/gateway on the same subgraphs; undefined when the run needs only the router. */
  stock: BenchProcess | undefined;
  databases: BenchDatabases;
  stop(): Promise<void>;
}

export interface StackOptions {
  dialect: Dialect;
  /** The seed-size flags every subgraph's `setup` gets (--products N --orders N --customers N). */
  seedArgs: string[];
  /** This stack's folder: SQLite files, the sandbox's file, every process's log. */
  dir: string;
  withStock: boolean;
  /** The Postgres databases' prefix, when two stacks run at once. Default supergraph_bench. */
  databasePrefix?: string;
  progress: (line: string) => void;
}

const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

const isReady = async (origin: string) => (await fetch(`${origin}/ready`)).ok;

const answersGraphQL = async (origin: string) =>
  (
    await fetch(origin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    })
  ).ok;

/**
 * Creates and seeds each subgraph's database through its own cli, then starts the subgraphs and the
 * payment sandbox, the router and (withStock) the stock gateway, each its own process on a free port.
 * Services run with NODE_ENV=production (metrics on a METRICS_PORT of their own) except orders, which
 * refuses a plain-http payment provider in production, and runs in development against the sandbox.
 */
export async function startBenchStack(options: StackOptions): Promise<BenchStack> {
  const { dialect, seedArgs, dir, withStock, databasePrefix, progress } = options;
  const databases = await createBenchDatabases(dialect, join(dir, 'data'), databasePrefix);
  const started: BenchProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((each) => each.stop()));
  };
  try {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keys = {
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    const secrets = Object.fromEntries(SUBGRAPHS.map((name) => [name, `bench-${name}-${randomHex(24)}`])) as Record<
      SubgraphName,
      string
    >;
    const inventorySecret = `bench-inventory-${randomHex(24)}`;
    const sandboxKey = `sk_test_bench_${randomHex(24)}`;

    progress(`seeding ${dialect} (${seedArgs.join(' ') || 'default sizes'})`);
    const seedStart = Date.now();
    await Promise.all(
      SUBGRAPHS.map((name) =>
        runToCompletion(
          `${name} setup`,
          [CLI_OF(name), 'setup', ...seedArgs],
          { ...databases.envOf(name), NODE_ENV: 'development', LOG_LEVEL: 'info' },
          join(dir, `${name}-setup.log`),
        ),
      ),
    );
    progress(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    const start = async (name: string, entry: string[], env: Record<string, string>, metrics: boolean, ready = isReady) => {
      const port = await findFreePort();
      const metricsPort = metrics ? await findFreePort() : undefined;
      const child = await startProcess({
        name,
        nodeArgs: entry,
        env: {
          NODE_ENV: 'production',
          LOG_LEVEL: 'info',
          HOST: '127.0.0.1',
          PORT: String(port),
          ...(metricsPort === undefined ? {} : { METRICS_PORT: String(metricsPort) }),
          ...env,
        },
        port,
        ...(metricsPort === undefined ? {} : { metricsPort }),
        logDir: dir,
        isReady: ready,
      });
      started.push(child);
      return child;
    };
    const subgraphEnv = (name: SubgraphName) => ({
      ...databases.envOf(name),
      JWT_PUBLIC_KEY: keys.JWT_PUBLIC_KEY,
      [`${name.toUpperCase()}_SUBGRAPH_SECRET`]: secrets[name],
    });

    progress('starting the subgraphs and the payment sandbox');
    const [users, products, paymentSandbox] = await Promise.all([
      start(
        'users',
        [ENTRIES.users],
        {
          ...subgraphEnv('users'),
          JWT_PRIVATE_KEY: keys.JWT_PRIVATE_KEY,
          // The benchmark signs in once per case; the defaults (5 a minute) are for people.
          LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
          AUTH_RATE_LIMIT_PER_MINUTE: '10000',
        },
        true,
      ),
      start('products', [ENTRIES.products], { ...subgraphEnv('products'), PRODUCTS_INVENTORY_SECRET: inventorySecret }, true),
      start(
        'payment-sandbox',
        [ENTRIES.paymentSandbox],
        { PAYMENT_SANDBOX_DATA_FILE: join(dir, 'payment-sandbox.sqlite'), PAYMENT_SANDBOX_SECRET_KEY: sandboxKey },
        false,
      ),
    ]);
    const orders = await start(
      'orders',
      [ENTRIES.orders],
      {
        ...subgraphEnv('orders'),
        NODE_ENV: 'development',
        PRODUCTS_INTERNAL_URL: products.origin,
        PRODUCTS_INVENTORY_SECRET: inventorySecret,
        PAYMENT_PROVIDER_URL: paymentSandbox.origin,
        PAYMENT_PROVIDER_SECRET_KEY: sandboxKey,
      },
      true,
    );
    const subgraphs = { users, products, orders };
    const gatewayEnv = {
      SUPERGRAPH_PATH: join(REPO_ROOT, 'supergraph.graphql'),
      ...Object.fromEntries(
        SUBGRAPHS.flatMap((name) => [
          [`${name.toUpperCase()}_SUBGRAPH_URL`, `${subgraphs[name].origin}/graphql`],
          [`${name.toUpperCase()}_SUBGRAPH_SECRET`, secrets[name]],
        ]),
      ),
    };
    progress(withStock ? 'starting the router and the stock gateway' : 'starting the router');
    const [router, stock] = await Promise.all([
      start(
        'router',
        [ENTRIES.router],
        // Rate limits raised past the load; every other protection at its default.
        { ...gatewayEnv, JWT_PUBLIC_KEY: keys.JWT_PUBLIC_KEY, RATE_LIMIT_PER_MINUTE: '1000000' },
        true,
      ),
      withStock
        ? start('stock-gateway', ['--import', 'tsx', STOCK_GATEWAY], gatewayEnv, false, answersGraphQL)
        : Promise.resolve(undefined),
    ]);
    return { subgraphs, paymentSandbox, router, stock, databases, stop };
  } catch (error) {
    await stop();
    await databases.drop().catch(() => {});
    throw error;
  }
}
