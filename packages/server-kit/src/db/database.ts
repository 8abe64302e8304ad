import type { SQL } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The drizzle handle query code is written against. drizzle's query builders have one API on every
 * dialect but not one TypeScript type, so queries are typed against SQLite's (the reference dialect)
 * and run unchanged on Postgres, where the handle is a node-postgres drizzle instance. The rules that
 * keep this honest: always `await` a builder (never SQLite's synchronous .run/.get/.all), and run every
 * query test on both dialects.
 */
export type QueryDb<TTables extends Record<string, unknown>> = BetterSQLite3Database<TTables>;

/** What query functions take: the drizzle handle and the dialect's table objects. */
export interface DatabaseHandle<TTables extends Record<string, unknown>> {
  dialect: Dialect;
  db: QueryDb<TTables>;
  tables: TTables;
}

/**
 * A service's database, whichever dialect it runs on. `db` is for reading; every write goes through
 * `transaction()` (on SQLite `db` is a read-only connection, see openSqliteDatabase).
 */
export interface ServiceDatabase<TTables extends Record<string, unknown>> extends DatabaseHandle<TTables> {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Every
   * write belongs in one. On SQLite, transactions run one at a time on the writer connection, so
   * concurrent requests' statements never slip into another's transaction across an `await`.
   */
  transaction<T>(work: (tx: DatabaseHandle<TTables>) => Promise<T>): Promise<T>;
  /** Applies pending migrations; a no-op when up to date. */
  migrate(): Promise<void>;
  /** True when the database answers a trivial query. */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

/** Where a service's data lives: a SQLite file (the default) or a Postgres database. */
export type DatabaseLocation =
  | { dialect: 'sqlite'; file: string }
  | {
      dialect: 'postgres';
      url: string;
      /** The setting the URL came from, named in connection errors. */
      variable: string;
    };

/** The database could not be opened; the message names the setting to fix. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** postgres://user:secret@host/db -> postgres://user:***@host/db, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Awaits a database open at a service's start; when the database cannot be reached, logs the
 * message (which names the setting) and stops the process instead of failing later per request.
 */
export async function openOrExit<T>(open: () => Promise<T>, logger: { fatal(message: string): void }): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    logger.fatal(error.message);
    process.exit(1);
  }
}

/**
 * Runs a raw SQL statement and returns its rows, on either dialect: the one place where drizzle's
 * dialect APIs differ (SQLite's `all` against node-postgres' `execute`). Prefer the query builder;
 * this is for what it cannot say (DDL, `for update`, server functions).
 */
export async function queryRows<TRow extends Record<string, unknown>>(
  { dialect, db }: Pick<DatabaseHandle<Record<string, unknown>>, 'dialect' | 'db'>,
  statement: SQL,
): Promise<TRow[]> {
  if (dialect === 'sqlite') return db.all<TRow>(statement);
  const result = await (db as unknown as { execute(query: SQL): Promise<{ rows: TRow[] }> }).execute(statement);
  return result.rows;
}

/** Runs a raw SQL statement that returns no rows (DDL, an update by hand), on either dialect. */
export async function executeStatement(
  { dialect, db }: Pick<DatabaseHandle<Record<string, unknown>>, 'dialect' | 'db'>,
  statement: SQL,
): Promise<void> {
  if (dialect === 'sqlite') db.run(statement);
  else await (db as unknown as { execute(query: SQL): Promise<unknown> }).execute(statement);
}
