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
export class AccountService {
  private readonly database: UsersDatabase;
  private readonly issueAccessToken: AccountServiceOptions['issueAccessToken'];
  private readonly sessionTtlMs: number;
  private readonly refreshReuseGraceMs: number;

  constructor({ database, issueAccessToken, sessionTtlMs, refreshReuseGraceMs = 10_000 }: AccountServiceOptions) {
    this.database = database;
    this.issueAccessToken = issueAccessToken;
    this.sessionTtlMs = sessionTtlMs;
    this.refreshReuseGraceMs = refreshReuseGraceMs;
  }

  async register(input: { email: string; password: string; name: string }): Promise<SignedInSession> {
    const email = readEmail(input.email, 'input.email');
    const name = readName(input.name, 'input.name');
    validateNewPassword(input.password, { field: 'input.password', email });
    const passwordHash = await hashPassword(input.password);
    const now = new Date();
    return this.database.transaction(async (tx) => {
      const user = await insertCustomer(tx, { email, name, passwordHash, now });
      if (!user) throw new EmailTakenError();
      return this.signIn(tx, user, now);
    });
  }

  /** The same answer, after the same work, for an unknown address and a wrong password. */
  async login(input: { email: string; password: string }): Promise<SignedInSession> {
    const user = await findUserByEmail(this.database, input.email);
    const isValid = await verifyPassword(input.password, user?.passwordHash ?? null);
    if (!user || !isValid) throw new InvalidCredentialsError();
    return this.database.transaction((tx) => this.signIn(tx, user, new Date()));
  }

  async refresh(refreshToken: string): Promise<SignedInSession> {
    const now = new Date();
    const rotation = await this.database.transaction((tx) =>
      rotateRefreshToken(tx, { token: refreshToken, now, reuseGraceMs: this.refreshReuseGraceMs }),
    );
    if (!rotation.ok) throw new InvalidRefreshTokenError();
    const user = await findUserById(this.database, rotation.userId);
    if (!user) throw new InvalidRefreshTokenError();
    return this.toSignedInSession(user, rotation);
  }

  logout(refreshToken: string): Promise<boolean> {
    return this.database.transaction((tx) => endSessionOfToken(tx, { token: refreshToken, now: new Date() }));
  }

  async updateProfile(viewer: Viewer, input: { name: string }): Promise<UserRow> {
    const name = readName(input.name, 'input.name');
    const user = await this.database.transaction((tx) => updateUserName(tx, { id: viewer.id, name }));
    if (!user) throw new AccountGoneError();
    return user;
  }

  /** Sets a new password, ends every session (other devices must sign in again) and opens a new one. */
  async changePassword(viewer: Viewer, input: { currentPassword: string; newPassword: string }): Promise<SignedInSession> {
    const user = await this.requireUser(viewer);
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) throw new WrongCurrentPasswordError();
    validateNewPassword(input.newPassword, { field: 'input.newPassword', email: user.email });
    if (input.newPassword === input.currentPassword) throw new UnchangedPasswordError();
    const passwordHash = await hashPassword(input.newPassword);
    const now = new Date();
    return this.database.transaction(async (tx) => {
      await updatePasswordHash(tx, { id: user.id, passwordHash });
      await revokeSessionsOfUser(tx, { userId: user.id, now });
      return this.signIn(tx, { ...user, passwordHash }, now);
    });
  }

  /** Opens a session for the user inside the caller's transaction and answers with its tokens. */
  private async signIn(handle: UsersDb, user: UserRow, now: Date): Promise<SignedInSession> {
    return this.toSignedInSession(user, await openSession(handle, { userId: user.id, now, ttlMs: this.sessionTtlMs }));
  }

  /** The payload of every sign-in and refresh: a fresh access token beside the session's refresh token. */
  private async toSignedInSession(user: UserRow, refresh: IssuedRefreshToken): Promise<SignedInSession> {
    const access = await this.issueAccessToken({ id: user.id, role: user.role });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.refreshToken,
      refreshTokenExpiresAt: refresh.expiresAt,
      user,
    };
  }

  private async requireUser(viewer: Viewer): Promise<UserRow> {
    const user = await findUserById(this.database, viewer.id);
    if (!user) throw new AccountGoneError();
    return user;
  }
}
