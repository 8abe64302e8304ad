import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { DatabaseHandle, QueryDb, ServiceDatabase } from './database.js';

export interface SqliteOptions<TTables extends Record<string, unknown>> {
  /** The database file; its directory is created when missing. */
  file: string;
  /** The service's SQLite tables. */
  tables: TTables;
  /** The drizzle-kit output folder holding the service's SQLite migrations. */
  migrationsFolder: string;
  /** Called once per SQL statement executed (metrics, statement-count tests). */
  onStatement?: () => void;
  /** Prepared statements kept for reuse per connection. Default 500. */
  statementCacheSize?: number;
}

/**
 * Opens a service's SQLite database the way every service wants it: WAL (readers never wait for
 * the writer), foreign keys enforced, a busy timeout instead of immediate SQLITE_BUSY, and each
 * distinct SQL text prepared once and reused. Transactions get a second connection of their own.
 */
export function openSqliteDatabase<TTables extends Record<string, unknown>>(
  options: SqliteOptions<TTables>,
): ServiceDatabase<TTables> {
  mkdirSync(dirname(options.file), { recursive: true });
  const connect = () => {
    const client = new Database(options.file);
    client.pragma('journal_mode = WAL');
    client.pragma('foreign_keys = ON');
    client.pragma('busy_timeout = 5000');
    client.pragma('synchronous = NORMAL');
    cachePreparedStatements(client, options.statementCacheSize ?? 500);
    const onStatement = options.onStatement;
    const db = drizzle({ client, schema: options.tables, ...(onStatement ? { logger: { logQuery: () => onStatement() } } : {}) });
    return { client, db: db as QueryDb<TTables> };
  };
  const main = connect();
  let transactionConnection: ReturnType<typeof connect> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const handle = (db: QueryDb<TTables>): DatabaseHandle<TTables> => ({ dialect: 'sqlite', db, tables: options.tables });

  return {
    ...handle(main.db),
    transaction<T>(work: (tx: DatabaseHandle<TTables>) => Promise<T>): Promise<T> {
      const run = async () => {
        transactionConnection ??= connect();
        const { db } = transactionConnection;
        // IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock.
        db.run(sql`begin immediate`);
        try {
          const result = await work(handle(db));
          db.run(sql`commit`);
          return result;
        } catch (error) {
          db.run(sql`rollback`);
          throw error;
        }
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    migrate: async () => migrate(main.db, { migrationsFolder: options.migrationsFolder }),
    isReachable: async () => {
      try {
        return main.client.prepare('select 1 as ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    close: async () => {
      await queue;
      transactionConnection?.client.close();
      main.client.close();
    },
  };
}

/**
 * drizzle asks better-sqlite3 to prepare a statement on every execution. Preparing means parsing
 * and planning the SQL again, so keep the prepared statements in a small LRU keyed by SQL text.
 * A cached statement may have been left in raw (array) mode by its last user: reset it.
 */
function cachePreparedStatements(client: Database.Database, capacity: number): void {
  const cache = new Map<string, Database.Statement>();
  const prepare = client.prepare.bind(client);
  client.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached) {
      cache.delete(source);
      cache.set(source, cached);
      if (cached.reader) cached.raw(false);
      return cached;
    }
    const statement = prepare(source);
    cache.set(source, statement);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return statement;
  }) as typeof client.prepare;
}
