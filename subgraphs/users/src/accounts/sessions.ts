import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { UsersDb } from '../db/client.js';
import {
  claimUnusedRefreshToken,
  findOpenSession,
  findRefreshToken,
  insertRefreshToken,
  insertSession,
  revokeSession,
} from './session-store.js';

// A session is one device's chain of refresh tokens, revocable as a whole. The token itself is
// handed to the client once and never stored: the tables hold its SHA-256 hash.

/** A new refresh token: opaque, 256 random bits. */
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
export async function openSession(
  handle: UsersDb,
  { userId, now, ttlMs }: { userId: string; now: Date; ttlMs: number },
): Promise<IssuedRefreshToken> {
  const sessionId = randomUUID();
  const expiresAt = new Date(now.getTime() + ttlMs);
  const refreshToken = generateRefreshToken();
  await insertSession(handle, { id: sessionId, userId, now, expiresAt });
  await insertRefreshToken(handle, { tokenHash: hashRefreshToken(refreshToken), sessionId, now });
  return { refreshToken, expiresAt };
}

export type RotationResult =
  ({ ok: true; userId: string } & IssuedRefreshToken) | { ok: false; reason: 'unknown' | 'expired' | 'reused' | 'superseded' };

/**
 * Trades a refresh token for the next one in its session. Of two concurrent trades of one token
 * exactly one wins (claimUnusedRefreshToken). A token used again within `reuseGraceMs` of its first
 * use is a race or a retry (two tabs, a lost response): refused, the session untouched. Used again
 * later, it was copied by someone: the whole session is revoked.
 */
export async function rotateRefreshToken(
  handle: UsersDb,
  { token, now, reuseGraceMs }: { token: string; now: Date; reuseGraceMs: number },
): Promise<RotationResult> {
  const tokenHash = hashRefreshToken(token);
  const claimed = await claimUnusedRefreshToken(handle, { tokenHash, now });
  if (!claimed) {
    const known = await findRefreshToken(handle, tokenHash);
    if (!known) return { ok: false, reason: 'unknown' };
    if (known.usedAt && now.getTime() - known.usedAt.getTime() < reuseGraceMs) return { ok: false, reason: 'superseded' };
    await revokeSession(handle, { sessionId: known.sessionId, now });
    return { ok: false, reason: 'reused' };
  }
  const session = await findOpenSession(handle, { sessionId: claimed.sessionId, now });
  if (!session) return { ok: false, reason: 'expired' };
  const refreshToken = generateRefreshToken();
  await insertRefreshToken(handle, { tokenHash: hashRefreshToken(refreshToken), sessionId: claimed.sessionId, now });
  return { ok: true, userId: session.userId, refreshToken, expiresAt: session.expiresAt };
}

/** Ends the session a refresh token belongs to; false when it was unknown or already ended. */
export async function endSessionOfToken(handle: UsersDb, { token, now }: { token: string; now: Date }): Promise<boolean> {
  const known = await findRefreshToken(handle, hashRefreshToken(token));
  if (!known) return false;
  return revokeSession(handle, { sessionId: known.sessionId, now });
}
