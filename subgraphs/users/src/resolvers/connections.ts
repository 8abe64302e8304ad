import {
  encodeCursor,
  readPageWindow,
  type ArgumentSource,
  type ConnectionArguments,
  type PageWindow,
} from '@supergraph/server-kit/graphql';
import type { UserRow } from '../db/tables/index.js';
import type { UserCursor } from '../accounts/user-store.js';

/** The users list's cursor is the (createdAt in epoch ms, id) sort key of a user. */
export function toUserCursor(user: UserRow): string {
  return encodeCursor([user.createdAt.getTime(), user.id]);
}

/** Reads the page arguments of a user connection: 20 forward unless `first` or `last` says otherwise. */
export function readUserPageWindow(args: ConnectionArguments, info: ArgumentSource): PageWindow<UserCursor> {
  return readPageWindow(args, info, { cursor: ['number', 'string'] });
}
