import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { UsersDb } from './client.js';

/** A new refresh token: opaque, 256 random bits. Only its hash is stored. */
function generateRefreshToken(): string {
  return `rt_${randomBytes(32).toString('base64url')}`;
}

function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface IssuedRefreshToken {
  refreshToken: string;
  expiresAt: Date;
}

/** Opens a session for the user and gives it its first refresh token. */
export async function createSession(
  { db, tables: { sessions, refreshTokens } }: UsersDb,
  { userId, now, ttlMs }: { userId: string; now: Date; ttlMs: number },
): Promise<IssuedRefreshToken> {
  const sessionId = randomUUID();
  const expiresAt = new Date(now.getTime() + ttlMs);
  const refreshToken = generateRefreshToken();
  await db.insert(sessions).values({ id: sessionId, userId, createdAt: now, expiresAt, revokedAt: null });
  await db.insert(refreshTokens).values({ tokenHash: hashRefreshToken(refreshToken), sessionId, createdAt: now, usedAt: null });
  return { refreshToken, expiresAt };
}

export type RotationResult =
  { ok: true; userId: string; refreshToken: string; expiresAt: Date } | { ok: false; reason: 'unknown' | 'expired' | 'reused' | 'superseded' };

/**
 * Trades a refresh token for the next one in its session. The token is marked used by a
 * conditional update, so of two concurrent trades of one token exactly one wins. A token used again
 * within `reuseGraceMs` of its first use is a race or a retry (two tabs, a lost response): refused,
 * the session untouched. Used again later, it was copied by someone: the whole session is revoked.
 */
export async function rotateRefreshToken(
  handle: UsersDb,
  { token, now, reuseGraceMs }: { token: string; now: Date; reuseGraceMs: number },
): Promise<RotationResult> {
  const { db, tables } = handle;
  const { sessions, refreshTokens } = tables;
  const tokenHash = hashRefreshToken(token);
  const [claimed] = await db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt)))
    .returning({ sessionId: refreshTokens.sessionId });
  if (!claimed) {
    const [known] = await db
      .select({ sessionId: refreshTokens.sessionId, usedAt: refreshTokens.usedAt })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash));
    if (!known) return { ok: false, reason: 'unknown' };
    if (known.usedAt && now.getTime() - known.usedAt.getTime() < reuseGraceMs) return { ok: false, reason: 'superseded' };
    await db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.id, known.sessionId), isNull(sessions.revokedAt)));
    return { ok: false, reason: 'reused' };
  }
  const [session] = await db
    .select({ userId: sessions.userId, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(and(eq(sessions.id, claimed.sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  if (!session) return { ok: false, reason: 'expired' };
  const refreshToken = generateRefreshToken();
  await db
    .insert(refreshTokens)
    .values({ tokenHash: hashRefreshToken(refreshToken), sessionId: claimed.sessionId, createdAt: now, usedAt: null });
  return { ok: true, userId: session.userId, refreshToken, expiresAt: session.expiresAt };
}

/** Ends the session a refresh token belongs to; false when it was unknown or already ended. */
export async function revokeSessionOfToken(
  { db, tables: { sessions, refreshTokens } }: UsersDb,
  { token, now }: { token: string; now: Date },
): Promise<boolean> {
  const [known] = await db
    .select({ sessionId: refreshTokens.sessionId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashRefreshToken(token)));
  if (!known) return false;
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, known.sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

/** Ends every open session of a user (after a password change). */
export async function revokeAllSessions(
  { db, tables: { sessions } }: UsersDb,
  { userId, now }: { userId: string; now: Date },
): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
