import { createLogger, createMetrics, createVerifierFromSettings, openOrExit, runService } from '@supergraph/server-kit';
import { openOrdersDatabase } from './db/client.js';
import { loadSettings } from './env.js';
import { createOrdersService } from './server.js';

const settings = loadSettings();
const logger = createLogger({ service: 'orders', level: settings.logLevel });
const metrics = createMetrics('orders');
const database = await openOrExit(
  () => openOrdersDatabase(settings.database, { onStatement: () => metrics.dbStatements.inc(), logger }),
  logger,
);
const service = await createOrdersService({
  database,
  logger,
  metrics,
  isProduction: settings.isProduction,
  routerSecret: settings.routerSecret,
  verifyAccessToken: createVerifierFromSettings(settings.accessTokens),
});
await runService(service, { ...settings.http, logger });
