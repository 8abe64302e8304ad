import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DatabaseLocation, Dialect } from '@supergraph/server-kit';
import { createScratchDatabase, createTestKeys, type ScratchDatabase } from '@supergraph/server-kit/testing';
import { REPO_ROOT, runDatabaseCommand, startService, type ServiceProcess } from './processes.js';

export const SUBGRAPHS = ['users', 'products', 'orders'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

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
}

export interface Stack {
  dialect: Dialect;
  /** The stack's signing keys (as JWT_PRIVATE_KEY / JWT_PUBLIC_KEY would hold them), to mint tokens in tests. */
  keys: ReturnType<typeof createTestKeys>;
  /** The secret each subgraph expects from the router, by subgraph. */
  secrets: Record<SubgraphName, string>;
  /** The settings the router runs with, to start another router (say, in production mode) on the same subgraphs. */
  routerEnv: Record<string, string>;
  subgraphs: Record<SubgraphName, ServiceProcess>;
  router: ServiceProcess;
  /** POSTs an operation to the router; resolves to the HTTP status, headers and JSON body. */
  query(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: any }>;
  /** The services' db_statements_total, read from their /metrics. */
  statementCounts(): Promise<Record<SubgraphName, number>>;
  stop(): Promise<void>;
}

/** The settings that point a subgraph process at its scratch database. */
function databaseEnv(location: DatabaseLocation): Record<string, string> {
  return location.dialect === 'postgres' ? { [location.variable]: location.url } : { DATA_DIR: join(location.file, '..') };
}

/**
 * The whole supergraph as it runs in production: three subgraph processes, each migrating and
 * seeding its own database (SQLite or Postgres), and the router process in front of them, all on
 * free ports and talking real HTTP. Every database is thrown away by stop().
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const scratch = {} as Record<SubgraphName, ScratchDatabase>;
  const started: ServiceProcess[] = [];
  const cleanUp = async () => {
    await Promise.all(started.map((service) => service.stop()));
    await Promise.all(Object.values(scratch).map((database) => database.drop()));
  };
  // Keys and secrets are configured explicitly, as in production, not taken from development defaults.
  const keys = createTestKeys();
  const secrets = Object.fromEntries(
    SUBGRAPHS.map((name) => [
      `${name.toUpperCase()}_SUBGRAPH_SECRET`,
      `e2e-${name}-router-secret-${randomBytes(16).toString('hex')}`,
    ]),
  );
  const authEnv = { JWT_PUBLIC_KEY: keys.publicKeyPem };
  try {
    for (const name of SUBGRAPHS) scratch[name] = await createScratchDatabase(name, options.dialect);
    const env = (name: SubgraphName) => ({
      ...databaseEnv(scratch[name].location),
      ...authEnv,
      ...(name === 'users' ? { JWT_PRIVATE_KEY: keys.privateKeyPem } : {}),
      [`${name.toUpperCase()}_SUBGRAPH_SECRET`]: secrets[`${name.toUpperCase()}_SUBGRAPH_SECRET`]!,
    });
    await Promise.all(SUBGRAPHS.map((name) => runDatabaseCommand(name, ['setup', ...(options.seedArgs ?? [])], env(name))));
    await options.beforeStart?.({
      users: scratch.users.location,
      products: scratch.products.location,
      orders: scratch.orders.location,
    });
    // allSettled, so that when one subgraph fails to start the ones that did are still stopped.
    const launches = await Promise.allSettled(
      SUBGRAPHS.map((name) => startService(name, `subgraphs/${name}/src/index.ts`, env(name))),
    );
    for (const launch of launches) if (launch.status === 'fulfilled') started.push(launch.value);
    const failed = launches.find((launch) => launch.status === 'rejected');
    if (failed) throw failed.reason;
    const subgraphs = Object.fromEntries(SUBGRAPHS.map((name, index) => [name, started[index]!])) as Record<
      SubgraphName,
      ServiceProcess
    >;
    const routerEnv = {
      SUPERGRAPH_PATH: options.supergraphPath ?? join(REPO_ROOT, 'supergraph.graphql'),
      USERS_SUBGRAPH_URL: subgraphs.users.url,
      PRODUCTS_SUBGRAPH_URL: subgraphs.products.url,
      ORDERS_SUBGRAPH_URL: subgraphs.orders.url,
      SUBGRAPH_TIMEOUT_MS: '5000',
      ...authEnv,
      ...secrets,
      ...options.routerEnv,
    };
    const router = await startService('router', 'router/src/index.ts', routerEnv);
    started.push(router);

    return {
      dialect: options.dialect,
      keys,
      secrets: Object.fromEntries(SUBGRAPHS.map((name) => [name, secrets[`${name.toUpperCase()}_SUBGRAPH_SECRET`]!])) as Record<
        SubgraphName,
        string
      >,
      routerEnv,
      subgraphs,
      router,
      async query(query, variables = {}, headers = {}) {
        const response = await fetch(router.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query, variables }),
        });
        return { status: response.status, headers: response.headers, body: await response.json() };
      },
      async statementCounts() {
        const entries = await Promise.all(
          SUBGRAPHS.map(async (name) => {
            const text = await (await fetch(`${subgraphs[name].origin}/metrics`)).text();
            const match = /^db_statements_total\{[^}]*\} (\d+)$/m.exec(text);
            return [name, Number(match?.[1] ?? Number.NaN)] as const;
          }),
        );
        return Object.fromEntries(entries) as Record<SubgraphName, number>;
      },
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
