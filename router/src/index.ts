import { createVerifierFromSettings } from '@supergraph/server-kit/auth';
import { runService } from '@supergraph/server-kit/http';
import { createLogger, createMetrics } from '@supergraph/server-kit/telemetry';
import { loadSettings, resolveSubgraphSecret } from './env.js';
import { loadSafelistOrExit } from './persisted-operations-manifest.js';
import { createRouter } from './server.js';

const settings = loadSettings();
const logger = createLogger({ service: 'router', level: settings.logLevel });
const safelist =
  settings.persistedOperations.mode === 'safelist'
    ? await loadSafelistOrExit(settings.persistedOperations.manifestPath, logger)
    : undefined;
const router = await createRouter({
  supergraphPath: settings.supergraphPath,
  subgraphUrls: settings.subgraphUrls,
  subgraphTimeoutMs: settings.subgraphTimeoutMs,
  logger,
  metrics: createMetrics('router'),
  isProduction: settings.isProduction,
  verifyAccessToken: createVerifierFromSettings(settings.accessTokens),
  secretFor: (subgraph) => resolveSubgraphSecret(settings, subgraph),
  safelist,
  limits: settings.limits,
  corsOrigins: settings.corsOrigins,
});
await runService(router, { ...settings.http, logger });
