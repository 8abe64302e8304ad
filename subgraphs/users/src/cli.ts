import { parseSeedOptions } from '@supergraph/demo-data';
import { openOrExit, runDatabaseCli } from '@supergraph/server-kit/db';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { openUsersDatabase } from './db/client.js';
import { deleteUsers, isUsersEmpty, seedUsers } from './db/seed.js';
import { loadSettings } from './env.js';

const settings = loadSettings();
const logger = createLogger({ service: 'users', level: settings.logLevel });
// Outside production, setting up also creates a missing Postgres database (like `createdb`).
const database = await openOrExit(
  () => openUsersDatabase(settings.database, { logger, createIfMissing: !settings.isProduction }),
  logger,
);

await runDatabaseCli(process.argv.slice(2), {
  service: 'users',
  logger,
  isProduction: settings.isProduction,
  migrate: () => database.migrate(),
  isEmpty: () => isUsersEmpty(database),
  reset: () => deleteUsers(database),
  seed: (argv) => seedUsers(database, parseSeedOptions(argv), settings.accounts.seedPassword),
  close: () => database.close(),
});
