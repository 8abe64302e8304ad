import { fileURLToPath } from 'node:url';
import {
  openServiceDatabase,
  type DatabaseHandle,
  type DatabaseLocation,
  type Logger,
  type ServiceDatabase,
} from '@supergraph/server-kit';
import * as postgresTables from './tables/postgres.js';
import { sqliteTables, type UsersTables } from './tables/index.js';

export type UsersDatabase = ServiceDatabase<UsersTables>;
/** What every query function takes: the drizzle handle and this dialect's tables. */
export type UsersDb = DatabaseHandle<UsersTables>;

const migrations = (dialect: string) => fileURLToPath(new URL(`../../migrations/${dialect}`, import.meta.url));

/** Opens the users database on SQLite or Postgres, as the settings say. */
export function openUsersDatabase(
  location: DatabaseLocation,
  options: { onStatement?: () => void; logger?: Logger; createIfMissing?: boolean } = {},
): Promise<UsersDatabase> {
  return openServiceDatabase({
    service: 'users',
    location,
    sqlite: { tables: sqliteTables, migrationsFolder: migrations('sqlite') },
    postgres: { tables: postgresTables, migrationsFolder: migrations('postgres') },
    ...options,
  });
}
