import { createDemoUsers, type SeedOptions } from '@supergraph/demo-data';
import { hashPassword } from '../accounts/passwords.js';
import type { UsersDatabase, UsersDb } from './client.js';
import { countUsers, normalizeEmail } from '../accounts/user-store.js';

const INSERT_CHUNK = 500;

export async function isUsersEmpty(db: UsersDb): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

export async function deleteUsers(database: UsersDatabase): Promise<void> {
  await database.transaction(async ({ db, tables: { users } }) => {
    await db.delete(users);
  });
}

/**
 * Writes the demo accounts in one transaction. They all sign in with `password`; it is hashed once
 * and the hash shared, since hashing is deliberately slow and the accounts share the password anyway.
 */
export async function seedUsers(database: UsersDatabase, options: SeedOptions, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  const userRows = createDemoUsers(options).map((user) => ({ ...user, email: normalizeEmail(user.email), passwordHash }));
  await database.transaction(async ({ db, tables: { users } }) => {
    for (let i = 0; i < userRows.length; i += INSERT_CHUNK) {
      await db.insert(users).values(userRows.slice(i, i + INSERT_CHUNK));
    }
  });
}
