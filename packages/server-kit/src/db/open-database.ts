import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { DatabaseLocation, ServiceDatabase } from './database.js';
import { openPostgresDatabase } from './postgres.js';
import { openSqliteDatabase, type SqliteOptions } from './sqlite.js';
import type { StatementListener } from './sql-telemetry.js';

/** One dialect's half of a service's data layer: its tables and its drizzle-kit migrations. */
export interface DialectSchema<TTables extends Record<string, unknown>> {
  tables: TTables;
  migrationsFolder: string;
}

export interface OpenServiceDatabaseOptions<TTables extends Record<string, unknown>> {
  /** The service name: the advisory-lock key of its Postgres migrations. */
  service: string;
  location: DatabaseLocation;
  sqlite: DialectSchema<TTables> & Pick<SqliteOptions<TTables>, 'synchronous'>;
  /** The Postgres tables must have the same names and row types as the SQLite ones. */
  postgres: DialectSchema<Record<string, unknown>>;
  /** Called once per SQL statement executed, with its kind and duration (metrics, statement-count tests). Default none. */
  onStatement?: StatementListener;
  logger?: Logger;
  /** On Postgres, create the database if the server does not have it (development setup). Default false. */
  createIfMissing?: boolean;
}

/** Opens a service's database on the dialect its settings chose. */
export async function openServiceDatabase<TTables extends Record<string, unknown>>(
  options: OpenServiceDatabaseOptions<TTables>,
): Promise<ServiceDatabase<TTables>> {
  const { location, onStatement } = options;
  if (location.dialect === 'sqlite') {
    return openSqliteDatabase({ file: location.file, ...options.sqlite, ...(onStatement ? { onStatement } : {}) });
  }
  return openPostgresDatabase<TTables>({
    url: location.url,
    variable: location.variable,
    ...options.postgres,
    migrationLockKey: `${options.service}-migrations`,
    ...(onStatement ? { onStatement } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    createIfMissing: options.createIfMissing ?? false,
  });
}

/**
 * A service's database opener, defined once from its two table sets and its migrations folder
 * (`<migrations>/sqlite`, `<migrations>/postgres`, as drizzle-kit writes them).
 */
export function defineServiceDatabase<TTables extends Record<string, unknown>>(definition: {
  service: string;
  sqliteTables: TTables;
  postgresTables: Record<string, unknown>;
  /** The folder holding `sqlite/` and `postgres/` migrations. */
  migrationsDir: URL;
  /** SQLite's durability; see SqliteOptions. Default NORMAL. */
  sqliteSynchronous?: SqliteOptions<TTables>['synchronous'];
}) {
  const folder = (dialect: string) => fileURLToPath(new URL(`${dialect}/`, definition.migrationsDir));
  return (
    location: DatabaseLocation,
    options: Pick<OpenServiceDatabaseOptions<TTables>, 'onStatement' | 'logger' | 'createIfMissing'> = {},
  ): Promise<ServiceDatabase<TTables>> =>
    openServiceDatabase({
      service: definition.service,
      location,
      sqlite: {
        tables: definition.sqliteTables,
        migrationsFolder: folder('sqlite'),
        ...(definition.sqliteSynchronous ? { synchronous: definition.sqliteSynchronous } : {}),
      },
      postgres: { tables: definition.postgresTables, migrationsFolder: folder('postgres') },
      ...options,
    });
}
