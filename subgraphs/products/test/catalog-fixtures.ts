import { count } from 'drizzle-orm';
import type { ProductsDatabase } from '../src/db/client.js';

/** How many products the catalog holds, read from the table (so a test sees what was really written). */
export async function countProductRows({ db, tables }: ProductsDatabase): Promise<number> {
  const [row] = await db.select({ total: count() }).from(tables.products);
  return row?.total ?? 0;
}
