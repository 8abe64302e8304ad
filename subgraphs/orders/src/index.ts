import { runSubgraph } from '@supergraph/server-kit';
import { openOrdersDatabase } from './db/client.js';
import { loadSettings } from './env.js';
import { createOrdersService } from './server.js';

await runSubgraph({
  name: 'orders',
  settings: loadSettings(),
  openDatabase: openOrdersDatabase,
  createService: createOrdersService,
});
