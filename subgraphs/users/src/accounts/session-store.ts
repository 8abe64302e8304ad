import { and, eq, gt, isNull } from 'drizzle-orm';
import type { UsersDb } from '../db/client.js';

// Every statement on the sessions and refresh_tokens tables, one named function each. Refresh tokens
// are addressed by their hash only (sessions.ts hashes them). Rows come back in drizzle's own typed
// shape, so nothing needs parsing here.

export async function insertSession(
  { db, tables: { sessions } }: UsersDb,
  { id, userId, now, expiresAt }: { id: string; userId: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db.insert(sessions).values({ id, userId, createdAt: now, expiresAt, revokedAt: null });
}

export async function insertRefreshToken(
  { db, tables: { refreshTokens } }: UsersDb,
  { tokenHash, sessionId, now }: { tokenHash: string; sessionId: string; now: Date },
): Promise<void> {
  await db.insert(refreshTokens).values({ tokenHash, sessionId, createdAt: now, usedAt: null });
}

/**
 * Marks an unused refresh token used, by a conditional update: of two concurrent claims of one
 * token exactly one gets its session id, the other null.
 */
export async function claimUnusedRefreshToken(
  { db, tables: { refreshTokens } }: UsersDb,
  { tokenHash, now }: { tokenHash: string; now: Date },
): Promise<{ sessionId: string } | null> {
  const [claimed] = await db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt)))
    .returning({ sessionId: refreshTokens.sessionId });
  return claimed ?? null;
}

export async function findRefreshToken(
  { db, tables: { refreshTokens } }: UsersDb,
  tokenHash: string,
): Promise<{ sessionId: string; usedAt: Date | null } | null> {
  const [known] = await db
    .select({ sessionId: refreshTokens.sessionId, usedAt: refreshTokens.usedAt })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash));
  return known ?? null;
}

/** The session, while it is neither revoked nor expired at `now`. */
export async function findOpenSession(
  { db, tables: { sessions } }: UsersDb,
  { sessionId, now }: { sessionId: string; now: Date },
): Promise<{ userId: string; expiresAt: Date } | null> {
  const [session] = await db
    .select({ userId: sessions.userId, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  return session ?? null;
}

/** Ends a session; false when it had already ended. */
export async function revokeSession(
  { db, tables: { sessions } }: UsersDb,
  { sessionId, now }: { sessionId: string; now: Date },
): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

/** Ends every open session of a user. */
export async function revokeSessionsOfUser(
  { db, tables: { sessions } }: UsersDb,
  { userId, now }: { userId: string; now: Date },
): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
