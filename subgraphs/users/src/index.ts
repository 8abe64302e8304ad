import { createLogger, createMetrics, createVerifierFromSettings, openOrExit, runService } from '@supergraph/server-kit';
import { openUsersDatabase } from './db/client.js';
import { loadSettings } from './env.js';
import { createUsersService } from './server.js';

const settings = loadSettings();
const logger = createLogger({ service: 'users', level: settings.logLevel });
const metrics = createMetrics('users');
const database = await openOrExit(
  () => openUsersDatabase(settings.database, { onStatement: () => metrics.dbStatements.inc(), logger }),
  logger,
);
const service = await createUsersService({
  database,
  logger,
  metrics,
  isProduction: settings.isProduction,
  routerSecret: settings.routerSecret,
  verifyAccessToken: createVerifierFromSettings(settings.accessTokens),
});
await runService(service, { ...settings.http, logger });
