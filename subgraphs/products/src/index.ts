import { createLogger, createMetrics, openOrExit, runService } from '@supergraph/server-kit';
import { openProductsDatabase } from './db/client.js';
import { loadSettings } from './env.js';
import { createProductsService } from './server.js';

const settings = loadSettings();
const logger = createLogger({ service: 'products', level: settings.logLevel });
const metrics = createMetrics('products');
const database = await openOrExit(
  () => openProductsDatabase(settings.database, { onStatement: () => metrics.dbStatements.inc(), logger }),
  logger,
);
const service = await createProductsService({ database, logger, metrics, isProduction: settings.isProduction });
await runService(service, { ...settings.http, logger });
