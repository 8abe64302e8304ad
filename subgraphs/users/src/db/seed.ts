import { countDemoUsers, generateDemoUsers, readInBatches, type SeedOptions, type SeedProgress } from '@supergraph/demo-data';
import { hashPassword } from '../accounts/passwords.js';
import type { UsersDatabase, UsersDb } from './client.js';
import { countUsers, normalizeEmail } from '../accounts/user-store.js';

const INSERT_BATCH = 1000;

export async function isUsersEmpty(db: UsersDb): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

export async function deleteUsers(database: UsersDatabase): Promise<void> {
  await database.transaction(async ({ db, tables: { users } }) => {
    await db.delete(users);
  });
}

/**
 * Writes the demo accounts in one transaction, streamed in multi-row inserts of 1,000. They all
 * sign in with `password`; it is hashed once and the hash shared, since hashing is deliberately slow
 * and the accounts share the password anyway. `onProgress` hears about each batch written.
 */
export async function seedUsers(
  database: UsersDatabase,
  options: SeedOptions,
  password: string,
  onProgress?: SeedProgress,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  const total = countDemoUsers(options);
  await database.transaction(async ({ db, tables: { users } }) => {
    let written = 0;
    for (const batch of readInBatches(generateDemoUsers(options), INSERT_BATCH)) {
      await db.insert(users).values(batch.map((user) => ({ ...user, email: normalizeEmail(user.email), passwordHash })));
      written += batch.length;
      onProgress?.('users', written, total);
    }
  });
}
