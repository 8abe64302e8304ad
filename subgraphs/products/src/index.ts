import { createLogger, createMetrics, createVerifierFromSettings, openOrExit, runService } from '@supergraph/server-kit';
import { openProductsDatabase } from './db/client.js';
import { loadSettings } from './env.js';
import { startReservationSweep } from './inventory/expiry-sweep.js';
import { createProductsService } from './server.js';

const settings = loadSettings();
const logger = createLogger({ service: 'products', level: settings.logLevel });
const metrics = createMetrics('products');
const database = await openOrExit(
  () => openProductsDatabase(settings.database, { onStatement: () => metrics.dbStatements.inc(), logger }),
  logger,
);
// Gives back the stock of reservations nobody committed or released in time.
const sweep = startReservationSweep(database, { intervalMs: settings.inventory.sweepIntervalMs, logger });
const service = await createProductsService({
  database,
  logger,
  metrics,
  isProduction: settings.isProduction,
  routerSecret: settings.routerSecret,
  verifyAccessToken: createVerifierFromSettings(settings.accessTokens),
  inventory: { secret: settings.inventory.secret, defaultTtlSeconds: settings.inventory.reservationTtlSeconds },
  onShutdown: () => sweep.stop(),
});
await runService(service, { ...settings.http, logger });
