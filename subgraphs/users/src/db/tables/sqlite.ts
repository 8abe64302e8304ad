import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { USER_ROLES } from './user-role.js';

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Lower-cased before it is written, so the unique index also rules out addresses differing only in case. */
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    role: text('role', { enum: USER_ROLES }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** scrypt hash in PHC-like form; null means the account cannot sign in with a password. */
    passwordHash: text('password_hash'),
  },
  (table) => [
    // The users list's sort order (oldest account first, then id): keyset pagination walks it.
    index('users_created_at_id_idx').on(table.createdAt, table.id),
    check('users_role_known', sql`${table.role} in ('CUSTOMER', 'ADMIN')`),
    // SQLite's lower() folds ASCII only; writers lower-case fully (normalizeEmail), this catches a forgotten call.
    check('users_email_lower_case', sql`${table.email} = lower(${table.email})`),
  ],
);

/** A signed-in session: one device's chain of refresh tokens, revocable as a whole. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** The session ends here however often its tokens are refreshed. */
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (table) => [index('sessions_user_id_idx').on(table.userId)],
);

/** Every refresh token a session was given, by SHA-256 hash (the token itself is never stored). */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** When it was traded for the next token; a second use means it was stolen. */
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (table) => [index('refresh_tokens_session_id_idx').on(table.sessionId)],
);
