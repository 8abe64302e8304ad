import { runSubgraph } from '@supergraph/server-kit/http';
import { createSagaDependencies, startCheckout } from './checkout/index.js';
import { createCheckoutMetrics } from './checkout/metrics.js';
import { openOrdersDatabase } from './db/client.js';
import { loadSettings } from './env.js';
import { createOrdersService } from './server.js';

const settings = loadSettings();
await runSubgraph({
  name: 'orders',
  settings,
  openDatabase: openOrdersDatabase,
  createService: (options) => {
    const deps = createSagaDependencies(options.database, options.logger, settings.checkout, {
      metrics: createCheckoutMetrics(options.metrics.registry, {
        database: options.database,
        deadlineMs: settings.checkout.saga.deadlineMs,
        logger: options.logger,
      }),
    });
    // The recovery loop finishes or compensates checkouts a crash, timeout or outage left half-way.
    const { service, recovery } = startCheckout(deps, settings.checkout);
    return createOrdersService({ ...options, checkout: service, onShutdown: () => recovery.stop() });
  },
});
