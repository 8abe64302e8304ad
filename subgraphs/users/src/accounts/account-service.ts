import type { Viewer } from '@supergraph/server-kit/auth';
import type { UsersDatabase, UsersDb } from '../db/client.js';
import type { UserRow } from '../db/tables/index.js';
import {
  AccountGoneError,
  EmailTakenError,
  InvalidCredentialsError,
  InvalidRefreshTokenError,
  UnchangedPasswordError,
  WrongCurrentPasswordError,
} from '../errors.js';
import { readEmail, readName } from './account-input.js';
import { hashPassword, validateNewPassword, verifyPassword } from './passwords.js';
import { revokeSessionsOfUser } from './session-store.js';
import { endSessionOfToken, openSession, rotateRefreshToken, type IssuedRefreshToken } from './sessions.js';
import { findUserByEmail, findUserById, insertCustomer, updatePasswordHash, updateUserName } from './user-store.js';

/** What `AuthPayload` resolves from. */
export interface SignedInSession {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: UserRow;
}

export interface AccountServiceOptions {
  database: UsersDatabase;
  /** Signs an access token for a user (the users service holds the private key). */
  issueAccessToken: (viewer: Viewer) => Promise<{ token: string; expiresAt: Date }>;
  /** How long a session lasts, however often it is refreshed. */
  sessionTtlMs: number;
  /**
   * How long after its first use a refresh token presented again counts as a race or a retry rather
   * than theft (the session is kept). Default 10 s.
   */
  refreshReuseGraceMs?: number;
}

/** Registration, sign-in, token refresh, sign-out and the signed-in user's own changes. */
export function createAccountService({
  database,
  issueAccessToken,
  sessionTtlMs,
  refreshReuseGraceMs = 10_000,
}: AccountServiceOptions) {
  /** The payload of every sign-in and refresh: a fresh access token beside the session's refresh token. */
  async function toSignedInSession(user: UserRow, refresh: IssuedRefreshToken): Promise<SignedInSession> {
    const access = await issueAccessToken({ id: user.id, role: user.role });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.refreshToken,
      refreshTokenExpiresAt: refresh.expiresAt,
      user,
    };
  }

  async function signIn(handle: UsersDb, user: UserRow, now: Date): Promise<SignedInSession> {
    return toSignedInSession(user, await openSession(handle, { userId: user.id, now, ttlMs: sessionTtlMs }));
  }

  async function requireUser(viewer: Viewer): Promise<UserRow> {
    const user = await findUserById(database, viewer.id);
    if (!user) throw new AccountGoneError();
    return user;
  }

  return {
    async register(input: { email: string; password: string; name: string }): Promise<SignedInSession> {
      const email = readEmail(input.email, 'input.email');
      const name = readName(input.name, 'input.name');
      validateNewPassword(input.password, { field: 'input.password', email });
      const passwordHash = await hashPassword(input.password);
      const now = new Date();
      return database.transaction(async (tx) => {
        const user = await insertCustomer(tx, { email, name, passwordHash, now });
        if (!user) throw new EmailTakenError();
        return signIn(tx, user, now);
      });
    },

    /** The same answer, after the same work, for an unknown address and a wrong password. */
    async login(input: { email: string; password: string }): Promise<SignedInSession> {
      const user = await findUserByEmail(database, input.email);
      const isValid = await verifyPassword(input.password, user?.passwordHash ?? null);
      if (!user || !isValid) throw new InvalidCredentialsError();
      return database.transaction((tx) => signIn(tx, user, new Date()));
    },

    async refresh(refreshToken: string): Promise<SignedInSession> {
      const now = new Date();
      const rotation = await database.transaction((tx) =>
        rotateRefreshToken(tx, { token: refreshToken, now, reuseGraceMs: refreshReuseGraceMs }),
      );
      if (!rotation.ok) throw new InvalidRefreshTokenError();
      const user = await findUserById(database, rotation.userId);
      if (!user) throw new InvalidRefreshTokenError();
      return toSignedInSession(user, rotation);
    },

    logout(refreshToken: string): Promise<boolean> {
      return database.transaction((tx) => endSessionOfToken(tx, { token: refreshToken, now: new Date() }));
    },

    async updateProfile(viewer: Viewer, input: { name: string }): Promise<UserRow> {
      const name = readName(input.name, 'input.name');
      const user = await database.transaction((tx) => updateUserName(tx, { id: viewer.id, name }));
      if (!user) throw new AccountGoneError();
      return user;
    },

    /** Sets a new password, ends every session (other devices must sign in again) and opens a new one. */
    async changePassword(viewer: Viewer, input: { currentPassword: string; newPassword: string }): Promise<SignedInSession> {
      const user = await requireUser(viewer);
      if (!(await verifyPassword(input.currentPassword, user.passwordHash))) throw new WrongCurrentPasswordError();
      validateNewPassword(input.newPassword, { field: 'input.newPassword', email: user.email });
      if (input.newPassword === input.currentPassword) throw new UnchangedPasswordError();
      const passwordHash = await hashPassword(input.newPassword);
      const now = new Date();
      return database.transaction(async (tx) => {
        await updatePasswordHash(tx, { id: user.id, passwordHash });
        await revokeSessionsOfUser(tx, { userId: user.id, now });
        return signIn(tx, { ...user, passwordHash }, now);
      });
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
