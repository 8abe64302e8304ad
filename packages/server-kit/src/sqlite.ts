import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

export interface SqliteOptions<TSchema extends Record<string, unknown>> {
  /** The database file; its directory is created when missing. `:memory:` works too. */
  file: string;
  /** The drizzle tables (and relations) of the service. */
  schema: TSchema;
  /** The drizzle-kit output folder holding the service's SQLite migrations. */
  migrationsFolder: string;
  /** Called once per SQL statement executed (metrics, statement-count tests). */
  onStatement?: () => void;
  /** Prepared statements kept for reuse. Default 500. */
  statementCacheSize?: number;
}

export interface SqliteDatabase<TSchema extends Record<string, unknown>> {
  db: BetterSQLite3Database<TSchema>;
  /** Applies pending migrations in a transaction; a no-op when up to date. */
  migrate(): void;
  /** True when the database answers a trivial query. */
  isReachable(): boolean;
  close(): void;
}

/**
 * Opens a service's SQLite database the way every service wants it: WAL (readers never wait for
 * the writer), foreign keys enforced, a busy timeout instead of immediate SQLITE_BUSY, and each
 * distinct SQL text prepared once and reused.
 */
export function openSqliteDatabase<TSchema extends Record<string, unknown>>(
  options: SqliteOptions<TSchema>,
): SqliteDatabase<TSchema> {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const client = new Database(options.file);
  client.pragma('journal_mode = WAL');
  client.pragma('foreign_keys = ON');
  client.pragma('busy_timeout = 5000');
  client.pragma('synchronous = NORMAL');
  cachePreparedStatements(client, options.statementCacheSize ?? 500);

  const onStatement = options.onStatement;
  const db = drizzle({
    client,
    schema: options.schema,
    ...(onStatement ? { logger: { logQuery: () => onStatement() } } : {}),
  });

  return {
    db,
    migrate: () => migrate(db, { migrationsFolder: options.migrationsFolder }),
    isReachable: () => {
      try {
        return client.prepare('select 1 as ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    close: () => client.close(),
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
