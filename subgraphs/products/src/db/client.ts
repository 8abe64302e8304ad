import { fileURLToPath } from 'node:url';
import {
  openServiceDatabase,
  type DatabaseHandle,
  type DatabaseLocation,
  type Logger,
  type ServiceDatabase,
} from '@supergraph/server-kit';
import * as postgresTables from './tables/postgres.js';
import { sqliteTables, type ProductsTables } from './tables/index.js';

export type ProductsDatabase = ServiceDatabase<ProductsTables>;
/** What every query function takes: the drizzle handle and this dialect's tables. */
export type ProductsDb = DatabaseHandle<ProductsTables>;

const migrations = (dialect: string) => fileURLToPath(new URL(`../../migrations/${dialect}`, import.meta.url));

/** Opens the products database on SQLite or Postgres, as the settings say. */
export function openProductsDatabase(
  location: DatabaseLocation,
  options: { onStatement?: () => void; logger?: Logger; createIfMissing?: boolean } = {},
): Promise<ProductsDatabase> {
  return openServiceDatabase({
    service: 'products',
    location,
    sqlite: { tables: sqliteTables, migrationsFolder: migrations('sqlite') },
    postgres: { tables: postgresTables, migrationsFolder: migrations('postgres') },
    ...options,
  });
}
