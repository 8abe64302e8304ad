// Proves the production bundles the images are built from (docs/deploying.md, "How CI proves the
// images"): builds each service's bundle with deploy/bundle.sh into a temporary directory outside the
// repository, starts each from there with NODE_ENV=production, fresh secrets and fresh Postgres
// databases (and Redis), waits for /ready, runs the smoke operations through the router, checks that
// /metrics is served on METRICS_PORT and not on the public port, then stops every service with
// SIGTERM and expects exit 0. Cleans up (processes, databases, files) on failure too. Run by .ci/run after `npm run validate`: `npx tsx deploy/verify-bundles.ts`.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startBundle, startTlsProxy, type BundleProcess } from './bundle-processes.js';
import { generateSecrets } from './generate-secrets.js';
import { createSmokeClient, runSmokeChecks } from './smoke-queries.js';

const DEPLOY_DIR = import.meta.dirname;
const SUBGRAPHS = ['users', 'products', 'orders'] as const;
type Subgraph = (typeof SUBGRAPHS)[number];
const SERVICES = ['payment-sandbox', ...SUBGRAPHS, 'router'] as const;
type Service = (typeof SERVICES)[number];
const PACKAGE_DIRS: Record<Service, string> = {
  'payment-sandbox': 'packages/payment-sandbox',
  users: 'subgraphs/users',
  products: 'subgraphs/products',
  orders: 'subgraphs/orders',
  router: 'router',
};
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Demo data for the smoke checks: the catalog, customer@example.com and their orders. */
const SEED_SIZES = ['--customers', '4', '--products', '20', '--orders', '30'];

const log = (message: string) => process.stdout.write(`verify-bundles: ${message}\n`);
/** Clean-up steps, run last-in first-out whatever happened. */
const cleanups: { what: string; run: () => unknown }[] = [];

/** better-sqlite3 compiles once per bundle: with ccache on the machine, the later ones reuse the objects. */
function compilerEnv(workDir: string): Record<string, string> {
  const hasCcache = spawnSync('ccache', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasCcache) return {};
  return { CC: 'ccache cc', CXX: 'ccache c++', CCACHE_BASEDIR: workDir, CCACHE_NOHASHDIR: 'true' };
}

/** Two at a time: an install waits on disk and network as much as on a core. */
const BUILD_CONCURRENCY = 2;

async function buildBundle(service: Service, dir: string, compiler: Record<string, string>): Promise<void> {
  if (existsSync(join(dir, 'start'))) {
    log(`${service} bundle reused from ${dir}`);
    return;
  }
  const started = Date.now();
  const child = spawn(join(DEPLOY_DIR, 'bundle.sh'), [`@supergraph/${service}`, dir], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...compiler },
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`deploy/bundle.sh @supergraph/${service} exited with ${code}`);
  log(`${service} bundle built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Builds every bundle under `bundlesDir`; one already there is reused (VERIFY_BUNDLES_DIR, to try
 * the run again without rebuilding). Every build ends before a failure is reported.
 */
async function buildBundles(bundlesDir: string): Promise<Record<Service, string>> {
  const dirs = Object.fromEntries(SERVICES.map((service) => [service, join(bundlesDir, service)])) as Record<Service, string>;
  const compiler = compilerEnv(bundlesDir);
  const queue = [...SERVICES];
  const worker = async () => {
    for (let service = queue.shift(); service; service = queue.shift()) {
      // After a failure the other worker finishes its bundle and takes no more.
      await buildBundle(service, dirs[service], compiler).catch((error: unknown) => {
        queue.length = 0;
        throw error;
      });
    }
  };
  const results = await Promise.allSettled(Array.from({ length: BUILD_CONCURRENCY }, worker));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return dirs;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database per subgraph, dropped at clean-up; resolves to each one's URL. */
async function createDatabases(): Promise<Record<Subgraph, string>> {
  const urls = {} as Record<Subgraph, string>;
  for (const subgraph of SUBGRAPHS) {
    const name = `bundle_${subgraph}_${process.pid}_${randomBytes(3).toString('hex')}`;
    await adminQuery(`create database "${name}"`);
    cleanups.push({ what: `drop database ${name}`, run: () => adminQuery(`drop database if exists "${name}" with (force)`) });
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    urls[subgraph] = url.toString();
  }
  return urls;
}

/**
 * Production never writes demo data, so the bundle's own CLI writes it first in development mode;
 * the production start then only migrates (a no-op by then).
 */
function seedDatabases(dirs: Record<Service, string>, urls: Record<Subgraph, string>): void {
  for (const subgraph of SUBGRAPHS) {
    execFileSync('node', ['dist/cli.js', 'seed', ...SEED_SIZES], {
      cwd: join(dirs[subgraph], PACKAGE_DIRS[subgraph]),
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        [`${subgraph.toUpperCase()}_DATABASE_URL`]: urls[subgraph],
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}

function selfSignedCertificate(workDir: string): { key: Buffer; cert: Buffer; certPath: string } {
  const keyPath = join(workDir, 'tls-key.pem');
  const certPath = join(workDir, 'tls-cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-keyout', keyPath, '-out', certPath, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' }); // prettier-ignore
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
}

async function start(name: Service, dirs: Record<Service, string>, env: Record<string, string>): Promise<BundleProcess> {
  const started = await startBundle(name, dirs[name], { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', ...env });
  cleanups.push({ what: `kill ${name}`, run: () => started.kill() });
  log(`${name} ready at ${started.origin}`);
  return started;
}

async function startStack(workDir: string, dirs: Record<Service, string>, urls: Record<Subgraph, string>) {
  const secrets = generateSecrets();
  // Every GraphQL service verifies tokens, and serves /metrics on a port of its own (any free one).
  const shared = { JWT_PUBLIC_KEY: secrets.JWT_PUBLIC_KEY!, METRICS_PORT: '0' };
  const secretsOf = (...names: string[]) => Object.fromEntries(names.map((name) => [name, secrets[name]!]));
  const sandbox = await start('payment-sandbox', dirs, secretsOf('PAYMENT_SANDBOX_SECRET_KEY'));
  const tls = selfSignedCertificate(workDir);
  const proxy = await startTlsProxy(sandbox.origin, tls);
  cleanups.push({ what: 'close the TLS proxy', run: () => proxy.server.close() });
  const users = await start('users', dirs, {
    ...shared,
    ...secretsOf('USERS_SUBGRAPH_SECRET', 'JWT_PRIVATE_KEY'),
    USERS_DATABASE_URL: urls.users,
    REDIS_URL,
  });
  const products = await start('products', dirs, {
    ...shared,
    ...secretsOf('PRODUCTS_SUBGRAPH_SECRET', 'PRODUCTS_INVENTORY_SECRET'),
    PRODUCTS_DATABASE_URL: urls.products,
  });
  const orders = await start('orders', dirs, {
    ...shared,
    ...secretsOf('ORDERS_SUBGRAPH_SECRET', 'PRODUCTS_INVENTORY_SECRET', 'PAYMENT_PROVIDER_SECRET_KEY'),
    ORDERS_DATABASE_URL: urls.orders,
    PRODUCTS_INTERNAL_URL: products.origin,
    PAYMENT_PROVIDER_URL: proxy.url,
    NODE_EXTRA_CA_CERTS: tls.certPath,
  });
  const router = await start('router', dirs, {
    ...shared,
    ...secretsOf('USERS_SUBGRAPH_SECRET', 'PRODUCTS_SUBGRAPH_SECRET', 'ORDERS_SUBGRAPH_SECRET'),
    USERS_SUBGRAPH_URL: users.url,
    PRODUCTS_SUBGRAPH_URL: products.url,
    ORDERS_SUBGRAPH_URL: orders.url,
    PERSISTED_OPERATIONS: 'safelist',
    REDIS_URL,
  });
  return [router, orders, products, users, sandbox];
}

/**
 * Metrics off the public port (docs/observability.md): each service but the sandbox logged its
 * METRICS_PORT listener, which answers /metrics with the traffic of the smoke checks, while the
 * public port answers 404 for it.
 */
async function checkMetricsListeners(services: BundleProcess[]): Promise<string[]> {
  const problems: string[] = [];
  for (const service of services.filter((candidate) => candidate.name !== 'payment-sandbox')) {
    const line = service.logs.find(
      (candidate) => typeof candidate.url === 'string' && String(candidate.msg).startsWith('metrics on'),
    );
    if (!line) {
      problems.push(`${service.name} logged no "metrics on <url>" line: METRICS_PORT not served`);
      continue;
    }
    const scrape = await fetch(line.url as string);
    const text = await scrape.text();
    if (scrape.status !== 200 || !/^graphql_operations_total\{.*\} [1-9]/m.test(text)) {
      problems.push(`${service.name}: ${String(line.url)} answered ${scrape.status} without operations counted`);
    }
    const publicStatus = (await fetch(`${service.origin}/metrics`)).status;
    if (publicStatus !== 404)
      problems.push(`${service.name}: /metrics on the public port answered ${publicStatus}, expected 404`);
  }
  return problems;
}

/** SIGTERM to each service, the router first: each must log "stopped" and exit 0. */
async function stopAll(services: BundleProcess[]): Promise<string[]> {
  const problems: string[] = [];
  for (const service of services) {
    const code = await service.stop();
    const stopped = service.logs.some((line) => line.msg === 'stopped');
    if (code !== 0 || !stopped) problems.push(`${service.name} exited ${code}${stopped ? '' : ' without logging "stopped"'}`);
  }
  return problems;
}

async function main(): Promise<void> {
  const began = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'supergraph-bundles-'));
  cleanups.push({ what: `remove ${workDir}`, run: () => rmSync(workDir, { recursive: true, force: true }) });
  const dirs = await buildBundles(process.env.VERIFY_BUNDLES_DIR ?? workDir);
  const built = Date.now();
  const urls = await createDatabases();
  seedDatabases(dirs, urls);
  const services = await startStack(workDir, dirs, urls);
  const send = createSmokeClient(services[0]!.url, dirs.router);
  for (const line of await runSmokeChecks(send)) log(line);
  const metricsProblems = await checkMetricsListeners(services);
  if (metricsProblems.length > 0) throw new Error(`metrics: ${metricsProblems.join('; ')}`);
  log('every service serves /metrics on its METRICS_PORT only');
  const problems = await stopAll(services);
  if (problems.length > 0) throw new Error(`services did not stop cleanly: ${problems.join('; ')}`);
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  log(`every bundle answered and stopped with exit 0 (bundles ${seconds(built - began)}, run ${seconds(Date.now() - built)})`);
}

async function cleanUp(): Promise<void> {
  for (const { what, run } of cleanups.reverse()) {
    try {
      await run();
    } catch (error) {
      log(`clean-up step failed (${what}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  process.stderr.write(`verify-bundles: ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  await cleanUp();
}
