import { createLogger, createMetrics, runService } from '@supergraph/server-kit';
import { openProductsDatabase } from './db/client.js';
import { loadSettings } from './env.js';
import { createProductsService } from './server.js';

const settings = loadSettings();
const logger = createLogger({ service: 'products', level: settings.logLevel });
const metrics = createMetrics('products');
const database = openProductsDatabase(settings.database.sqliteFile, { onStatement: () => metrics.dbStatements.inc() });
const service = await createProductsService({ database, logger, metrics, isProduction: settings.isProduction });
await runService(service, { ...settings.http, logger });
