import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseLocation, Dialect } from '@supergraph/server-kit/db';
import { createOperationSender, type OperationSender } from './graphql-client.js';
import type { ExitStatus, ServiceProcess } from './processes.js';
import { listSandboxCharges, type SandboxCharge } from './sandbox-charges.js';
import { readSubgraphCounters } from './service-metrics.js';
import { createStackDatabases } from './stack-databases.js';
import {
  createStackSecrets,
  launchStackServices,
  subgraphEnv,
  type ServiceEnvOptions,
  type StackSecrets,
} from './stack-launch.js';
import {
  createStackServices,
  type ServiceName,
  type StackServices,
  type StartAgainOptions,
  type SubgraphName,
} from './stack-services.js';

export type { SandboxCharge } from './sandbox-charges.js';
export { SUBGRAPHS, type ServiceName, type StartAgainOptions, type SubgraphName } from './stack-services.js';

export interface StackOptions extends ServiceEnvOptions {
  /** Where every subgraph keeps its data: its own temp SQLite file, or its own throwaway Postgres database. */
  dialect: Dialect;
  /** Seed sizes passed to every subgraph's `setup`, e.g. ['--customers', '5']. Default: the demo defaults. */
  seedArgs?: string[];
  /** Runs after the databases are seeded and before the services start (fixtures). */
  beforeStart?: (databases: Record<SubgraphName, DatabaseLocation>) => Promise<void> | void;
}

export interface RestartOptions extends StartAgainOptions {
  /** How the running process is stopped. Default SIGKILL: a crash, with no graceful shutdown. */
  signal?: 'SIGKILL' | 'SIGTERM';
}

export interface Stack {
  dialect: Dialect;
  /** The stack's signing keys (as JWT_PRIVATE_KEY / JWT_PUBLIC_KEY would hold them), to mint tokens in tests. */
  keys: StackSecrets['keys'];
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

/**
 * The whole supergraph as it runs in production: three subgraph processes, each migrating and
 * seeding its own database (SQLite or Postgres), the payment sandbox that orders charges through,
 * and the router process in front of the subgraphs, all on free ports and talking real HTTP. Every
 * database, and the sandbox's data file, is thrown away by stop().
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const sandboxDir = mkdtempSync(join(tmpdir(), 'payment-sandbox-e2e-'));
  const secrets = createStackSecrets();
  const databases = createStackDatabases();
  const services = createStackServices();
  const stop = async () => {
    const results = [...(await services.stopAll()), ...(await databases.drop())];
    rmSync(sandboxDir, { recursive: true, force: true });
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };

  try {
    const locations = await databases.create(options.dialect, options.seedArgs ?? [], (name, location) =>
      subgraphEnv(name, location, secrets),
    );
    await options.beforeStart?.(locations);
    await launchStackServices(services, { secrets, databases: locations, sandboxDir, options });
    return createStack({ dialect: options.dialect, secrets, databases: locations, services, stop });
  } catch (error) {
    await stop().catch((stopError: unknown) => {
      throw new AggregateError([error, stopError], 'the stack did not start, and stopping what did start failed too');
    });
    throw error;
  }
}

/** The Stack over processes that have started. */
function createStack(parts: {
  dialect: Dialect;
  secrets: StackSecrets;
  databases: Record<SubgraphName, DatabaseLocation>;
  services: StackServices;
  stop: () => Promise<void>;
}): Stack {
  const { services } = parts;
  return {
    dialect: parts.dialect,
    keys: parts.secrets.keys,
    secrets: { ...parts.secrets.subgraphs },
    get routerEnv() {
      return services.env('router');
    },
    databases: parts.databases,
    subgraphs: services.subgraphs,
    get paymentSandbox() {
      return services.running.paymentSandbox;
    },
    get router() {
      return services.running.router;
    },
    env: services.env,
    stopService: services.stopService,
    startServiceAgain: services.startServiceAgain,
    async restart(name, extraEnv, { signal, ...startOptions } = {}) {
      await services.stopService(name, signal);
      return services.startServiceAgain(name, extraEnv, startOptions);
    },
    query: createOperationSender(() => services.running.router.url),
    startRouter: services.startRouter,
    statementCounts: () => readSubgraphCounters(services.subgraphs, 'db_statements_total'),
    async subgraphOperations() {
      const counts = await readSubgraphCounters(services.subgraphs, 'graphql_operations_total');
      return Object.values(counts).reduce((sum, count) => sum + count, 0);
    },
    sandboxCharges: (orderId) =>
      listSandboxCharges(
        services.running.paymentSandbox.origin,
        services.env('paymentSandbox').PAYMENT_SANDBOX_SECRET_KEY!,
        orderId,
      ),
    stop: parts.stop,
  };
}
