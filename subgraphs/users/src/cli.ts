import { parseSeedOptions } from '@supergraph/demo-data';
import { runSubgraphDatabaseCli } from '@supergraph/server-kit/db';
import { openUsersDatabase } from './db/client.js';
import { deleteUsers, isUsersEmpty, seedUsers } from './db/seed.js';
import { loadSettings } from './env.js';

const settings = loadSettings();
await runSubgraphDatabaseCli(process.argv.slice(2), settings, {
  openDatabase: openUsersDatabase,
  seed: {
    isEmpty: isUsersEmpty,
    reset: deleteUsers,
    write: (database, argv, onProgress) =>
      seedUsers(database, parseSeedOptions(argv), settings.accounts.seedPassword, onProgress),
  },
});
