import { parseSeedOptions } from '@supergraph/demo-data';
import { runSubgraphDatabaseCli } from '@supergraph/server-kit/db';
import { openOrdersDatabase } from './db/client.js';
import { deleteOrders, isOrdersEmpty, seedOrders } from './db/seed.js';
import { loadSettings } from './env.js';

const settings = loadSettings();
await runSubgraphDatabaseCli(process.argv.slice(2), settings, {
  openDatabase: openOrdersDatabase,
  seed: {
    isEmpty: isOrdersEmpty,
    reset: deleteOrders,
    write: (database, argv, onProgress) => seedOrders(database, parseSeedOptions(argv), onProgress),
  },
});
