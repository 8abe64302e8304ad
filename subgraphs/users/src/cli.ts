import { parseSeedOptions } from '@supergraph/demo-data';
import { createLogger, runDatabaseCli } from '@supergraph/server-kit';
import { openUsersDatabase } from './db/client.js';
import { deleteUsers, isUsersEmpty, seedUsers } from './db/seed.js';
import { loadSettings } from './env.js';

const settings = loadSettings();
const logger = createLogger({ service: 'users', level: settings.logLevel });
const database = openUsersDatabase(settings.database.sqliteFile);

await runDatabaseCli(process.argv.slice(2), {
  service: 'users',
  logger,
  isProduction: settings.isProduction,
  migrate: () => database.migrate(),
  isEmpty: () => isUsersEmpty(database.db),
  reset: () => deleteUsers(database.db),
  seed: (argv) => seedUsers(database.db, parseSeedOptions(argv)),
  close: () => database.close(),
});
