import { parseSeedOptions } from '@supergraph/demo-data';
import { runSubgraphDatabaseCli } from '@supergraph/server-kit/db';
import { openProductsDatabase } from './db/client.js';
import { deleteCatalog, isCatalogEmpty, seedCatalog } from './db/seed.js';
import { loadSettings } from './env.js';

const settings = loadSettings();
await runSubgraphDatabaseCli(process.argv.slice(2), settings, {
  openDatabase: openProductsDatabase,
  seed: {
    isEmpty: isCatalogEmpty,
    reset: deleteCatalog,
    write: (database, argv, onProgress) => seedCatalog(database, parseSeedOptions(argv), onProgress),
  },
});
