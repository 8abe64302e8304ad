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
  },
  (table) => [
    // The users list's sort order (oldest account first, then id): keyset pagination walks it.
    index('users_created_at_id_idx').on(table.createdAt, table.id),
    check('users_role_known', sql`${table.role} in ('CUSTOMER', 'ADMIN')`),
    // SQLite's lower() folds ASCII only; writers lower-case fully (normalizeEmail), this catches a forgotten call.
    check('users_email_lower_case', sql`${table.email} = lower(${table.email})`),
  ],
);
