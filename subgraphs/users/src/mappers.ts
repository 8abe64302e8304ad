// The values resolvers receive as parents: database rows, not GraphQL shapes (see codegen.ts).
import type { Connection } from '@supergraph/server-kit/graphql';
import type { UserRow } from './db/tables/index.js';

export type { UserRow } from './db/tables/index.js';
export type UserConnectionParent = Connection<UserRow>;
