import { count, getTableName, is, Table } from 'drizzle-orm';
import type { ServiceDatabase } from '@supergraph/server-kit/db';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { openOrdersDatabase } from '../../../subgraphs/orders/src/db/client.js';
import { openProductsDatabase } from '../../../subgraphs/products/src/db/client.js';
import { openUsersDatabase } from '../../../subgraphs/users/src/db/client.js';
import type { Stack, SubgraphName } from './stack.js';

/** Rows per table of every subgraph's database, keyed `users.users`, `orders.checkout_sagas`, ... */
export type RowCounts = Record<string, number>;

/** The three databases of a running stack, opened by the test to count what is in them. */
export interface StackRowCounter {
  /** Every table's row count, in every subgraph's database. */
  read(): Promise<RowCounts>;
  close(): Promise<void>;
}

export async function openRowCounter(stack: Stack): Promise<StackRowCounter> {
  const databases: Record<SubgraphName, ServiceDatabase<Record<string, unknown>>> = {
    users: await openUsersDatabase(stack.databases.users),
    products: await openProductsDatabase(stack.databases.products),
    orders: await openOrdersDatabase(stack.databases.orders),
  };
  return {
    async read() {
      const counts: RowCounts = {};
      for (const [service, { db, tables }] of Object.entries(databases)) {
        for (const table of Object.values(tables).filter((value): value is SQLiteTable => is(value, Table))) {
          const [row] = await db.select({ rows: count() }).from(table);
          counts[`${service}.${getTableName(table)}`] = Number(row?.rows);
        }
      }
      return counts;
    },
    async close() {
      await Promise.all(Object.values(databases).map((database) => database.close()));
    },
  };
}
