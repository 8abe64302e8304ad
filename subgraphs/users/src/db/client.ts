import { defineServiceDatabase, type DatabaseHandle, type ServiceDatabase } from '@supergraph/server-kit/db';
import * as postgresTables from './tables/postgres.js';
import { sqliteTables, type UsersTables } from './tables/index.js';

export type UsersDatabase = ServiceDatabase<UsersTables>;
/** What every query function takes: the drizzle handle and this dialect's tables. */
export type UsersDb = DatabaseHandle<UsersTables>;

/** Opens the users database on SQLite or Postgres, as the settings say. */
export const openUsersDatabase = defineServiceDatabase({
  service: 'users',
  sqliteTables,
  postgresTables,
  migrationsDir: new URL('../../migrations/', import.meta.url),
});
