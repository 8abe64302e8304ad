import { and, asc, count, eq, gt, inArray, or, type SQL } from 'drizzle-orm';
import type { UsersDb } from './client.js';
import { users, type UserRow } from './tables.js';

/** Where a page starts: just after this (createdAt in epoch ms, id) in the list's sort order. */
export type UserCursor = readonly [createdAtMs: number, id: string];

/** The form an address is stored and compared in: trimmed and lower-case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUsersByIds(db: UsersDb, ids: readonly string[]): Promise<UserRow[]> {
  return db.select().from(users).where(inArray(users.id, [...ids]));
}

/** One page of users, oldest account first (pageSize + 1 rows, the extra one only says a next page exists). */
export async function findUsersPage(
  db: UsersDb,
  { pageSize, after }: { pageSize: number; after: UserCursor | null },
): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(after ? isAfter(after) : undefined)
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(pageSize + 1);
}

export async function countUsers(db: UsersDb): Promise<number> {
  const [row] = await db.select({ total: count() }).from(users);
  return row?.total ?? 0;
}

function isAfter([createdAtMs, id]: UserCursor): SQL | undefined {
  // The column is timestamp_ms: drizzle maps a Date to its epoch milliseconds, a bare number it would not.
  const createdAt = new Date(createdAtMs);
  return or(gt(users.createdAt, createdAt), and(eq(users.createdAt, createdAt), gt(users.id, id)));
}
