import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt, inArray, or, type SQL } from 'drizzle-orm';
import type { UsersDb } from '../db/client.js';
import type { UserRow, UsersTables } from '../db/tables/index.js';

// Every statement on the users table, one named function each. Rows come back in drizzle's own
// typed shape, so nothing needs parsing here.

/** Where a page starts: just after this (createdAt in epoch ms, id) in the list's sort order. */
export type UserCursor = readonly [createdAtMs: number, id: string];

/** The form an address is stored and compared in: trimmed and lower-case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUsersByIds({ db, tables: { users } }: UsersDb, ids: readonly string[]): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(inArray(users.id, [...ids]));
}

/** The account a user holds, or null when it is gone. */
export async function findUserById(handle: UsersDb, id: string): Promise<UserRow | null> {
  const [row] = await findUsersByIds(handle, [id]);
  return row ?? null;
}

/** One page of users, oldest account first (pageSize + 1 rows, the extra one only says a next page exists). */
export async function findUsersPage(
  { db, tables: { users } }: UsersDb,
  { pageSize, after }: { pageSize: number; after: UserCursor | null },
): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(after ? isAfter(users, after) : undefined)
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(pageSize + 1);
}

export async function countUsers({ db, tables: { users } }: UsersDb): Promise<number> {
  const [row] = await db.select({ total: count() }).from(users);
  return row?.total ?? 0;
}

function isAfter(users: UsersTables['users'], [createdAtMs, id]: UserCursor): SQL | undefined {
  // Compare as a Date: each dialect's column maps it to its own storage (epoch ms, timestamptz).
  const createdAt = new Date(createdAtMs);
  return or(gt(users.createdAt, createdAt), and(eq(users.createdAt, createdAt), gt(users.id, id)));
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
