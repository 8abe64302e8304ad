import { fileURLToPath } from 'node:url';
import { openSqliteDatabase, type SqliteDatabase } from '@supergraph/server-kit';
import * as tables from './tables.js';

export type UsersSchema = typeof tables;
export type UsersDatabase = SqliteDatabase<UsersSchema>;
/** The drizzle handle every query function takes. */
export type UsersDb = UsersDatabase['db'];

const migrationsFolder = fileURLToPath(new URL('../../migrations/sqlite', import.meta.url));

export function openUsersDatabase(file: string, options: { onStatement?: () => void } = {}): UsersDatabase {
  return openSqliteDatabase({ file, schema: tables, migrationsFolder, ...options });
}
