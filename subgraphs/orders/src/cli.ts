import { parseSeedOptions } from '@supergraph/demo-data';
import { openOrExit, runDatabaseCli } from '@supergraph/server-kit/db';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { openOrdersDatabase } from './db/client.js';
import { deleteOrders, isOrdersEmpty, seedOrders } from './db/seed.js';
import { loadSettings } from './env.js';

const settings = loadSettings();
const logger = createLogger({ service: 'orders', level: settings.logLevel });
// Outside production, setting up also creates a missing Postgres database (like `createdb`).
const database = await openOrExit(
  () => openOrdersDatabase(settings.database, { logger, createIfMissing: !settings.isProduction }),
  logger,
);

await runDatabaseCli(process.argv.slice(2), {
  service: 'orders',
  logger,
  isProduction: settings.isProduction,
  migrate: () => database.migrate(),
  isEmpty: () => isOrdersEmpty(database),
  reset: () => deleteOrders(database),
  seed: (argv) => seedOrders(database, parseSeedOptions(argv)),
  close: () => database.close(),
});
