import { fileURLToPath } from 'node:url';
import { openSqliteDatabase, type SqliteDatabase } from '@supergraph/server-kit';
import * as tables from './tables.js';

export type OrdersSchema = typeof tables;
export type OrdersDatabase = SqliteDatabase<OrdersSchema>;
/** The drizzle handle every query function takes. */
export type OrdersDb = OrdersDatabase['db'];

const migrationsFolder = fileURLToPath(new URL('../../migrations/sqlite', import.meta.url));

export function openOrdersDatabase(file: string, options: { onStatement?: () => void } = {}): OrdersDatabase {
  return openSqliteDatabase({ file, schema: tables, migrationsFolder, ...options });
}
