import { decodeCursor, encodeCursor, resolvePageSize } from '@supergraph/server-kit/graphql';
import type { UserRow } from '../db/tables/index.js';
import type { UserCursor } from '../accounts/user-store.js';

/** The users list's cursor is the (createdAt in epoch ms, id) sort key of the last user seen. */
export function toUserCursor(user: UserRow): string {
  return encodeCursor([user.createdAt.getTime(), user.id]);
}

/** Validates `first` and `after` of a user connection. */
export function readUserPageArgs(args: { first?: number | null; after?: string | null }): {
  pageSize: number;
  after: UserCursor | null;
} {
  return {
    pageSize: resolvePageSize(args.first),
    after: args.after ? decodeCursor(args.after, ['number', 'string'] as const) : null,
  };
}
