import { fileURLToPath } from 'node:url';
import {
  openServiceDatabase,
  type DatabaseHandle,
  type DatabaseLocation,
  type Logger,
  type ServiceDatabase,
} from '@supergraph/server-kit';
import * as postgresTables from './tables/postgres.js';
import { sqliteTables, type OrdersTables } from './tables/index.js';

export type OrdersDatabase = ServiceDatabase<OrdersTables>;
/** What every query function takes: the drizzle handle and this dialect's tables. */
export type OrdersDb = DatabaseHandle<OrdersTables>;

const migrations = (dialect: string) => fileURLToPath(new URL(`../../migrations/${dialect}`, import.meta.url));

/** Opens the orders database on SQLite or Postgres, as the settings say. */
export function openOrdersDatabase(
  location: DatabaseLocation,
  options: { onStatement?: () => void; logger?: Logger; createIfMissing?: boolean } = {},
): Promise<OrdersDatabase> {
  return openServiceDatabase({
    service: 'orders',
    location,
    sqlite: { tables: sqliteTables, migrationsFolder: migrations('sqlite') },
    postgres: { tables: postgresTables, migrationsFolder: migrations('postgres') },
    ...options,
  });
}
