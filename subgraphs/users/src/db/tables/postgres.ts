import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { USER_ROLES } from './user-role.js';

// The Postgres twin of sqlite.ts: same tables, columns and constraints; index.ts checks the row types match.

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    role: text('role', { enum: USER_ROLES }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
  },
  (table) => [
    index('users_created_at_id_idx').on(table.createdAt, table.id),
    check('users_role_known', sql`${table.role} in ('CUSTOMER', 'ADMIN')`),
    check('users_email_lower_case', sql`${table.email} = lower(${table.email})`),
  ],
);
