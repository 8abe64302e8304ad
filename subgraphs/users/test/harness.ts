import { DEFAULT_SEED_OPTIONS, type SeedOptions } from '@supergraph/demo-data';
import type { Dialect } from '@supergraph/server-kit/db';
import { createDialectDescribe, createSubgraphHarness, createTestKeys } from '@supergraph/server-kit/testing';
import { AccountService } from '../src/accounts/account-service.js';
import { UNTHROTTLED, type ThrottlingSettings } from '../src/accounts/throttling.js';
import { createContextFactory } from '../src/context.js';
import { openUsersDatabase } from '../src/db/client.js';
import { seedUsers } from '../src/db/seed.js';
import { createUsersService } from '../src/server.js';

export { dataOf, testDialects } from '@supergraph/server-kit/testing';

/** The password of every seeded account in these tests. */
export const SEED_PASSWORD = 'test-seed-password-2026';
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * A users subgraph on a fresh database of the given dialect, seeded with the demo accounts.
 * `execute` runs unthrottled; `service` (over HTTP) throttles with `throttling` (default the defaults).
 */
export function createUsersHarness(
  dialect: Dialect,
  seed: Partial<SeedOptions> = {},
  { throttling, clock }: { throttling?: ThrottlingSettings; clock?: () => number } = {},
) {
  // One key pair signs the tokens this service issues and verifies the ones it is sent.
  const keys = createTestKeys();
  return createSubgraphHarness({
    service: 'users',
    dialect,
    openDatabase: openUsersDatabase,
    seed: (database) => seedUsers(database, { ...DEFAULT_SEED_OPTIONS, ...seed }, SEED_PASSWORD),
    createService: (options) =>
      createUsersService({
        ...options,
        verifyAccessToken: keys.verify,
        issueAccessToken: keys.issue,
        sessionTtlMs: SESSION_TTL_MS,
        throttling,
        clock,
      }),
    createContext: (database) =>
      createContextFactory(
        database,
        new AccountService({ database, issueAccessToken: keys.issue, sessionTtlMs: SESSION_TTL_MS }),
        UNTHROTTLED,
      ),
  }).then((harness) => ({ ...harness, keys }));
}

export type UsersHarness = Awaited<ReturnType<typeof createUsersHarness>>;

/**
 * `describeUsers(title, seed, define)`: define's tests once per dialect, each pass over a users subgraph
 * of its own seeded with `seed`.
 */
export const describeUsers = createDialectDescribe(createUsersHarness);
