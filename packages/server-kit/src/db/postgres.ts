import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Logger } from 'pino';
import {
  DatabaseUnavailableError,
  redactDatabaseUrl,
  type DatabaseHandle,
  type QueryDb,
  type ServiceDatabase,
} from './database.js';
import { createStatementObserver, type StatementListener, type StatementObserver } from './sql-telemetry.js';

export interface PostgresOptions {
  /** postgres:// connection URL. */
  url: string;
  /** The setting the URL came from, named in connection errors. */
  variable: string;
  /** The service's Postgres tables; typed as the reference (SQLite) shape, see QueryDb. */
  tables: Record<string, unknown>;
  /** The drizzle-kit output folder holding the service's Postgres migrations. */
  migrationsFolder: string;
  /** A key for the advisory lock that serialises migrations across replicas. */
  migrationLockKey: string;
  /** Called once per SQL statement a query or transaction executes, with its kind and duration. Default none. */
  onStatement?: StatementListener;
  logger?: Logger;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** Create the database when the server says it does not exist (development setup). Default false. */
  createIfMissing?: boolean;
}

const DATABASE_DOES_NOT_EXIST = '3D000';

/**
 * Opens a service's Postgres database: a connection pool, checked with one query so that a wrong
 * URL or a server that is down stops the service at start with a message naming the setting.
 */
export async function openPostgresDatabase<TTables extends Record<string, unknown>>(
  options: PostgresOptions,
): Promise<ServiceDatabase<TTables>> {
  const shownUrl = redactDatabaseUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (error) => options.logger?.error({ err: error }, 'idle Postgres connection failed'));
  try {
    await pool.query('select 1');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === DATABASE_DOES_NOT_EXIST && options.createIfMissing) {
      await pool.end().catch(() => undefined);
      await createDatabase(options.url);
      return openPostgresDatabase({ ...options, createIfMissing: false });
    }
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? [code, error.message].filter(Boolean).join(' ') : String(error);
    throw new DatabaseUnavailableError(`${options.variable}: cannot connect to ${shownUrl} (${reason})`, { cause: error });
  }

  const observer = createStatementObserver(statementTarget(options.url), options.onStatement);
  const db = drizzle({ client: observeQueries(pool, observer), schema: options.tables });
  const tables = options.tables as TTables;
  const handle = (handleDb: unknown): DatabaseHandle<TTables> => ({
    dialect: 'postgres',
    db: handleDb as QueryDb<TTables>,
    tables,
  });

  return {
    ...handle(db),
    transaction: (work) => db.transaction((tx) => work(handle(tx))),
    migrate: () => migrateUnderLock(pool, options),
    isReachable: async () => {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => pool.end(),
  };
}

/** The database a URL names, for statement spans: its name, host and port, never its credentials. */
function statementTarget(url: string) {
  const parsed = new URL(url);
  return {
    system: 'postgresql' as const,
    namespace: decodeURIComponent(parsed.pathname.slice(1)),
    serverAddress: parsed.hostname,
    serverPort: Number(parsed.port || 5432),
  };
}

type QueryArguments = Parameters<pg.Pool['query']>;

/**
 * The pool as drizzle sees it: every statement a query runs on the pool, or a transaction on the
 * client it checks out, is timed and reported (metrics, a span while tracing is on). A view over
 * the pool (its prototype), not the pool itself, so what server-kit runs on the pool directly (the
 * readiness probe, migrations and their lock) is not counted as the service's work. It stays an
 * instance of pg.Pool: drizzle checks that to take a client for each transaction.
 */
function observeQueries(pool: pg.Pool, observer: StatementObserver): pg.Pool {
  const view = Object.create(pool) as pg.Pool;
  view.query = ((...args: QueryArguments) => observeQuery(observer, args, () => pool.query(...args))) as pg.Pool['query'];
  view.connect = (async () => {
    const client = await pool.connect();
    const clientView = Object.create(client) as pg.PoolClient;
    clientView.query = ((...args: QueryArguments) =>
      observeQuery(observer, args, () => client.query(...args))) as pg.PoolClient['query'];
    return clientView;
  }) as pg.Pool['connect'];
  return view;
}

/** drizzle always awaits a query's promise; a callback or a Submittable (not used by drizzle) runs unobserved. */
function observeQuery(observer: StatementObserver, args: QueryArguments, run: () => unknown): unknown {
  const [query] = args;
  const last: unknown = args[args.length - 1];
  const isPromised = typeof last !== 'function' && typeof (query as { submit?: unknown }).submit !== 'function';
  const text = typeof query === 'string' ? query : (query as { text?: unknown }).text;
  if (!isPromised || typeof text !== 'string') return run();
  return observer.observeAsync(text, run as () => Promise<unknown>);
}

/** Applies pending migrations; replicas starting together must not apply one twice, so hold a session lock. */
async function migrateUnderLock(pool: pg.Pool, options: Pick<PostgresOptions, 'migrationLockKey' | 'migrationsFolder'>) {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [options.migrationLockKey]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder: options.migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [options.migrationLockKey]);
    }
  } finally {
    client.release();
  }
}

/** Creates the database a URL names, connecting to the same server's `postgres` database to do it. */
async function createDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
