// The values resolvers receive as parents: database rows, not GraphQL shapes (see codegen.ts).
import type { Connection } from '@supergraph/server-kit/graphql';
import type { ProductRow } from './db/tables/index.js';

export type { CategoryRow, ProductRow } from './db/tables/index.js';
export type ProductConnectionParent = Connection<ProductRow>;
