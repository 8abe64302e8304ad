import { createLogger, createMetrics, openOrExit, runService } from '@supergraph/server-kit';
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
const service = await createUsersService({ database, logger, metrics, isProduction: settings.isProduction });
await runService(service, { ...settings.http, logger });
