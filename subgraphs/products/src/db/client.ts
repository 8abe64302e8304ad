import { fileURLToPath } from 'node:url';
import { openSqliteDatabase, type SqliteDatabase } from '@supergraph/server-kit';
import * as tables from './tables.js';

export type ProductsSchema = typeof tables;
export type ProductsDatabase = SqliteDatabase<ProductsSchema>;
/** The drizzle handle every query function takes. */
export type ProductsDb = ProductsDatabase['db'];

const migrationsFolder = fileURLToPath(new URL('../../migrations/sqlite', import.meta.url));

export function openProductsDatabase(file: string, options: { onStatement?: () => void } = {}): ProductsDatabase {
  return openSqliteDatabase({ file, schema: tables, migrationsFolder, ...options });
}
