import DataLoader from 'dataloader';
import { alignByKey, tracedBatch } from '@supergraph/server-kit/graphql';
import type { UsersDb } from './db/client.js';
import type { UserRow } from './db/tables/index.js';
import { findUsersByIds } from './accounts/user-store.js';

/** New DataLoaders for each request, so one request's cache never serves another. */
export function createLoaders(db: UsersDb) {
  return {
    userById: new DataLoader<string, UserRow | null>(
      tracedBatch('userById', async (ids) => alignByKey(ids, await findUsersByIds(db, ids), (row) => row.id)),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
