import type { Logger } from 'pino';
import type { DatabaseLocation, ServiceDatabase } from './database.js';
import { openPostgresDatabase } from './postgres.js';
import { openSqliteDatabase } from './sqlite.js';

/** One dialect's half of a service's data layer: its tables and its drizzle-kit migrations. */
export interface DialectSchema<TTables extends Record<string, unknown>> {
  tables: TTables;
  migrationsFolder: string;
}

export interface OpenServiceDatabaseOptions<TTables extends Record<string, unknown>> {
  /** The service name: the advisory-lock key of its Postgres migrations. */
  service: string;
  location: DatabaseLocation;
  sqlite: DialectSchema<TTables>;
  /** The Postgres tables must have the same names and row types as the SQLite ones. */
  postgres: DialectSchema<Record<string, unknown>>;
  onStatement?: () => void;
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
