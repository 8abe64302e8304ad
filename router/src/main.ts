import { createVerifierFromSettings } from '@supergraph/server-kit/auth';
import { runService } from '@supergraph/server-kit/http';
import { createLogger, createMetrics } from '@supergraph/server-kit/telemetry';
import { loadSettings, resolveSubgraphSecret } from './env.js';
import { loadPersistedQueriesOrExit } from './persisted-operations-manifest.js';
import { createRouter } from './server.js';

const settings = loadSettings();
const logger = createLogger({ service: 'router', level: settings.logLevel });
const persistedQueries = await loadPersistedQueriesOrExit(settings.persistedOperations, logger);
const router = await createRouter({
  supergraphPath: settings.supergraphPath,
  subgraphUrls: settings.subgraphUrls,
  subgraphTimeoutMs: settings.subgraphTimeoutMs,
  logger,
  metrics: createMetrics('router'),
  isProduction: settings.isProduction,
  verifyAccessToken: createVerifierFromSettings(settings.accessTokens),
  secretFor: (subgraph) => resolveSubgraphSecret(settings, subgraph),
  persistedQueries,
  safelist: settings.persistedOperations.mode === 'safelist',
  limits: settings.limits,
  corsOrigins: settings.corsOrigins,
});
await runService(router, { ...settings.http, logger });
