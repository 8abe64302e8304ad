import { createDemoUsers, type SeedOptions } from '@supergraph/demo-data';
import type { UsersDb } from './client.js';
import { users } from './tables.js';
import { countUsers, normalizeEmail } from './users.js';

const INSERT_CHUNK = 500;

export async function isUsersEmpty(db: UsersDb): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

export async function deleteUsers(db: UsersDb): Promise<void> {
  db.transaction((tx) => {
    tx.delete(users).run();
  });
}

/** Writes the demo accounts in one transaction. */
export async function seedUsers(db: UsersDb, options: SeedOptions): Promise<void> {
  const userRows = createDemoUsers(options).map((user) => ({ ...user, email: normalizeEmail(user.email) }));
  db.transaction((tx) => {
    for (let i = 0; i < userRows.length; i += INSERT_CHUNK) {
      tx.insert(users).values(userRows.slice(i, i + INSERT_CHUNK)).run();
    }
  });
}
