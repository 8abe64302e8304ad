import type * as postgres from './postgres.js';
import * as sqlite from './sqlite.js';

export { USER_ROLES, type UserRole } from './user-role.js';

/**
 * The table objects query code is written against (see QueryDb in server-kit): SQLite's, whose
 * twins in postgres.ts have the same names and row types. The assertions below fail to compile
 * when the two definitions drift apart.
 */
export type UsersTables = typeof sqlite;
export const sqliteTables: UsersTables = sqlite;

export type UserRow = typeof sqlite.users.$inferSelect;
export type SessionRow = typeof sqlite.sessions.$inferSelect;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rowTypesMatch: [
  Same<UserRow, typeof postgres.users.$inferSelect>,
  Same<typeof sqlite.users.$inferInsert, typeof postgres.users.$inferInsert>,
  Same<SessionRow, typeof postgres.sessions.$inferSelect>,
  Same<typeof sqlite.refreshTokens.$inferSelect, typeof postgres.refreshTokens.$inferSelect>,
] = [true, true, true, true];
void rowTypesMatch;
