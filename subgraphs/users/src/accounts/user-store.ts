import { randomUUID } from 'node:crypto';
import { count, eq, inArray } from 'drizzle-orm';
import { preparedByKeys, readKeysetPage, type SortKey } from '@supergraph/server-kit/db';
import type { PageWindow } from '@supergraph/server-kit/graphql';
import type { UsersDb } from '../db/client.js';
import type { UserRow, UsersTables } from '../db/tables/index.js';

// Every statement on the users table, one named function each. Rows come back in drizzle's own
// typed shape, so nothing needs parsing here.

/** A place in the users list's sort order, (createdAt in epoch ms, id): where a page starts or ends. */
export type UserCursor = readonly [createdAtMs: number, id: string];

/** The form an address is stored and compared in: trimmed and lower-case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Built once per number of ids and prepared (preparedByKeys): the loaders' read of every request. */
const selectUsersByIds = preparedByKeys<UsersTables, UserRow>('users_by_ids', ({ db, tables: { users } }, ids) =>
  db.select().from(users).where(inArray(users.id, ids)),
);

export async function findUsersByIds(handle: UsersDb, ids: readonly string[]): Promise<UserRow[]> {
  return selectUsersByIds(handle, ids);
}

/** The account a user holds, or null when it is gone. */
export async function findUserById(handle: UsersDb, id: string): Promise<UserRow | null> {
  const [row] = await findUsersByIds(handle, [id]);
  return row ?? null;
}

/** One page of users, oldest account first, as toConnectionPage takes it (size + 1 rows, reversed for a backward page). */
export async function findUsersPage({ db, tables: { users } }: UsersDb, window: PageWindow<UserCursor>): Promise<UserRow[]> {
  const page = readKeysetPage(usersOrder(users), window);
  return db
    .select()
    .from(users)
    .where(page.where)
    .orderBy(...page.orderBy)
    .limit(page.limit);
}

export async function countUsers({ db, tables: { users } }: UsersDb): Promise<number> {
  const [row] = await db.select({ total: count() }).from(users);
  return row?.total ?? 0;
}

/** The users list's order: by createdAt, then id. */
function usersOrder(users: UsersTables['users']): SortKey<UserCursor> {
  // A Date, bound through the column: each dialect stores it its own way (epoch ms, timestamptz).
  return { columns: [users.createdAt, users.id], valuesOf: ([createdAtMs, id]) => [new Date(createdAtMs), id] };
}

export async function findUserByEmail({ db, tables: { users } }: UsersDb, email: string): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  return row ?? null;
}

/** Inserts a customer; null when the address is taken (the unique index decides, race-free). */
export async function insertCustomer(
  { db, tables: { users } }: UsersDb,
  { email, name, passwordHash, now }: { email: string; name: string; passwordHash: string; now: Date },
): Promise<UserRow | null> {
  const rows = await db
    .insert(users)
    .values({ id: randomUUID(), email: normalizeEmail(email), name, role: 'CUSTOMER', createdAt: now, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return rows[0] ?? null;
}

export async function updateUserName(
  { db, tables: { users } }: UsersDb,
  { id, name }: { id: string; name: string },
): Promise<UserRow | null> {
  const [row] = await db.update(users).set({ name }).where(eq(users.id, id)).returning();
  return row ?? null;
}

export async function updatePasswordHash(
  { db, tables: { users } }: UsersDb,
  { id, passwordHash }: { id: string; passwordHash: string },
): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, id));
}
