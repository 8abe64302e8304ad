import { parseSeedOptions } from '@supergraph/demo-data';
import { createLogger, runDatabaseCli } from '@supergraph/server-kit';
import { openOrdersDatabase } from './db/client.js';
import { deleteOrders, isOrdersEmpty, seedOrders } from './db/seed.js';
import { loadSettings } from './env.js';

const settings = loadSettings();
const logger = createLogger({ service: 'orders', level: settings.logLevel });
const database = openOrdersDatabase(settings.database.sqliteFile);

await runDatabaseCli(process.argv.slice(2), {
  service: 'orders',
  logger,
  isProduction: settings.isProduction,
  migrate: () => database.migrate(),
  isEmpty: () => isOrdersEmpty(database.db),
  reset: () => deleteOrders(database.db),
  seed: (argv) => seedOrders(database.db, parseSeedOptions(argv)),
  close: () => database.close(),
});
