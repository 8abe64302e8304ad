import {
  createAccessTokenIssuer,
  createLogger,
  createMetrics,
  createVerifierFromSettings,
  openOrExit,
  runService,
} from '@supergraph/server-kit';
import { openUsersDatabase } from './db/client.js';
import { loadSettings, loadSigningKey } from './env.js';
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
  issueAccessToken: createAccessTokenIssuer({
    privateKey: loadSigningKey(settings),
    issuer: settings.accessTokens.issuer,
    audience: settings.accessTokens.audience,
    ttlSeconds: settings.accounts.accessTokenTtlSeconds,
  }),
  sessionTtlMs: settings.accounts.sessionTtlMs,
});
await runService(service, { ...settings.http, logger });
