import { createLogger, createMetrics, createVerifierFromSettings, openOrExit, runService } from '@supergraph/server-kit';
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
const service = await createProductsService({
  database,
  logger,
  metrics,
  isProduction: settings.isProduction,
  routerSecret: settings.routerSecret,
  verifyAccessToken: createVerifierFromSettings(settings.accessTokens),
});
await runService(service, { ...settings.http, logger });
