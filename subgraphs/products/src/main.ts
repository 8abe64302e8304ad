import { runSubgraph } from '@supergraph/server-kit/http';
import { openProductsDatabase } from './db/client.js';
import { loadSettings } from './env.js';
import { startReservationSweep } from './inventory/expiry-sweep.js';
import { createInventoryMetrics } from './inventory/metrics.js';
import { createProductsService } from './server.js';

const settings = loadSettings();
await runSubgraph({
  name: 'products',
  settings,
  openDatabase: openProductsDatabase,
  createService: (options) => {
    // Gives back the stock of reservations nobody committed or released in time.
    const sweep = startReservationSweep(options.database, {
      intervalMs: settings.inventory.sweepIntervalMs,
      logger: options.logger,
      metrics: createInventoryMetrics(options.metrics.registry, { database: options.database, logger: options.logger }),
    });
    return createProductsService({
      ...options,
      inventory: { secret: settings.inventory.secret, defaultTtlSeconds: settings.inventory.reservationTtlSeconds },
      onShutdown: () => sweep.stop(),
    });
  },
});
