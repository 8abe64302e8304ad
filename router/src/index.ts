import { createLogger, createMetrics, runService } from '@supergraph/server-kit';
import { loadSettings } from './env.js';
import { createRouter } from './server.js';

const settings = loadSettings();
const logger = createLogger({ service: 'router', level: settings.logLevel });
const router = await createRouter({
  supergraphPath: settings.supergraphPath,
  subgraphUrls: settings.subgraphUrls,
  subgraphTimeoutMs: settings.subgraphTimeoutMs,
  logger,
  metrics: createMetrics('router'),
  isProduction: settings.isProduction,
});
await runService(router, { ...settings.http, logger });
