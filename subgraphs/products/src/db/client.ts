import { defineServiceDatabase, type DatabaseHandle, type ServiceDatabase } from '@supergraph/server-kit/db';
import * as postgresTables from './tables/postgres.js';
import { sqliteTables, type ProductsTables } from './tables/index.js';

export type ProductsDatabase = ServiceDatabase<ProductsTables>;
/** What every query function takes: the drizzle handle and this dialect's tables. */
export type ProductsDb = DatabaseHandle<ProductsTables>;

/** Opens the products database on SQLite or Postgres, as the settings say. */
export const openProductsDatabase = defineServiceDatabase({
  service: 'products',
  sqliteTables,
  postgresTables,
  migrationsDir: new URL('../../migrations/', import.meta.url),
});
