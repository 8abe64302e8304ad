import { defineServiceDatabase, type DatabaseHandle, type ServiceDatabase } from '@supergraph/server-kit/db';
import * as postgresTables from './tables/postgres.js';
import { sqliteTables, type OrdersTables } from './tables/index.js';

export type OrdersDatabase = ServiceDatabase<OrdersTables>;
/** What every query function takes: the drizzle handle and this dialect's tables. */
export type OrdersDb = DatabaseHandle<OrdersTables>;

/** Opens the orders database on SQLite or Postgres, as the settings say. */
export const openOrdersDatabase = defineServiceDatabase({
  service: 'orders',
  sqliteTables,
  postgresTables,
  migrationsDir: new URL('../../migrations/', import.meta.url),
  // The saga records each step before it calls products or the payment provider: that record must
  // survive a power cut too, or a charge could be made that no saga knows of.
  sqliteSynchronous: 'FULL',
});
