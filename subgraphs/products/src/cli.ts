import { parseSeedOptions } from '@supergraph/demo-data';
import { createLogger, runDatabaseCli } from '@supergraph/server-kit';
import { openProductsDatabase } from './db/client.js';
import { deleteCatalog, isCatalogEmpty, seedCatalog } from './db/seed.js';
import { loadSettings } from './env.js';

const settings = loadSettings();
const logger = createLogger({ service: 'products', level: settings.logLevel });
const database = openProductsDatabase(settings.database.sqliteFile);

await runDatabaseCli(process.argv.slice(2), {
  service: 'products',
  logger,
  isProduction: settings.isProduction,
  migrate: () => database.migrate(),
  isEmpty: () => isCatalogEmpty(database.db),
  reset: () => deleteCatalog(database.db),
  seed: (argv) => seedCatalog(database.db, parseSeedOptions(argv)),
  close: () => database.close(),
});
