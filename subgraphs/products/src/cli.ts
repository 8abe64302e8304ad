import { parseSeedOptions } from '@supergraph/demo-data';
import { openOrExit, runDatabaseCli } from '@supergraph/server-kit/db';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { openProductsDatabase } from './db/client.js';
import { deleteCatalog, isCatalogEmpty, seedCatalog } from './db/seed.js';
import { loadSettings } from './env.js';

const settings = loadSettings();
const logger = createLogger({ service: 'products', level: settings.logLevel });
// Outside production, setting up also creates a missing Postgres database (like `createdb`).
const database = await openOrExit(
  () => openProductsDatabase(settings.database, { logger, createIfMissing: !settings.isProduction }),
  logger,
);

await runDatabaseCli(process.argv.slice(2), {
  service: 'products',
  logger,
  isProduction: settings.isProduction,
  migrate: () => database.migrate(),
  isEmpty: () => isCatalogEmpty(database),
  reset: () => deleteCatalog(database),
  seed: (argv) => seedCatalog(database, parseSeedOptions(argv)),
  close: () => database.close(),
});
