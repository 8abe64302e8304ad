// The values resolvers receive as parents: database rows and entity references (see codegen.ts).
import type { Connection } from '@supergraph/server-kit/graphql';
import type { OrderRow } from './db/tables/index.js';

export type { OrderItemRow, OrderRow, OrderStatusChangeRow } from './db/tables/index.js';
/** A User as this subgraph knows it: its key. The users subgraph owns everything else. */
export type UserReference = { id: string };
/** A Product as this subgraph knows it: its key. The products subgraph resolves the rest. */
export type ProductReference = { id: string };
export type OrderConnectionParent = Connection<OrderRow>;
