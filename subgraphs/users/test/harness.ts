import { DEFAULT_SEED_OPTIONS, type SeedOptions } from '@supergraph/demo-data';
import { createSubgraphHarness } from '@supergraph/server-kit/testing';
import { createContextFactory } from '../src/context.js';
import { openUsersDatabase } from '../src/db/client.js';
import { seedUsers } from '../src/db/seed.js';
import { createUsersService } from '../src/server.js';

export { dataOf } from '@supergraph/server-kit/testing';

/** A users subgraph on a fresh SQLite file seeded with the demo accounts. */
export function createUsersHarness(seed: Partial<SeedOptions> = {}) {
  return createSubgraphHarness({
    service: 'users',
    openDatabase: openUsersDatabase,
    seed: (db) => seedUsers(db, { ...DEFAULT_SEED_OPTIONS, ...seed }),
    createService: createUsersService,
    createContext: createContextFactory,
  });
}

export type UsersHarness = Awaited<ReturnType<typeof createUsersHarness>>;
