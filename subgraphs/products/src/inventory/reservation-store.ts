import { and, asc, countDistinct, eq, gte, inArray, lte, min, sql } from 'drizzle-orm';
import type { ProductsDb } from '../db/client.js';
import type { ProductsTables, ReservationStatus, StockReservationRow } from '../db/tables/index.js';
import { byProductId } from './reservation-input.js';

// The statements behind stock reservations, written once for both dialects. Stock changes are
// conditional updates: on Postgres the updated row stays locked until the transaction ends, so a
// concurrent reservation of the same product waits and then re-checks `stock >= quantity` against
// the committed value; on SQLite transactions run one at a time. Either way stock is never oversold,
// and the CHECK (stock >= 0) on products is the backstop.

/** A reservation line as callers see it: the row and the product's name. */
export type ReservationLineRow = Omit<StockReservationRow, 'orderId'> & { name: string };

/** Every line of an order's reservation, by product id; empty when there is none. */
export async function findReservationLines(
  { db, tables: { stockReservations, products } }: ProductsDb,
  orderId: string,
): Promise<ReservationLineRow[]> {
  return db
    .select({
      productId: stockReservations.productId,
      name: products.name,
      quantity: stockReservations.quantity,
      unitPriceMinor: stockReservations.unitPriceMinor,
      currency: stockReservations.currency,
      status: stockReservations.status,
      expiresAt: stockReservations.expiresAt,
      createdAt: stockReservations.createdAt,
      updatedAt: stockReservations.updatedAt,
    })
    .from(stockReservations)
    .innerJoin(products, eq(products.id, stockReservations.productId))
    .where(eq(stockReservations.orderId, orderId))
    .orderBy(asc(stockReservations.productId));
}

/** Which of these product ids are in the catalog. */
export async function findExistingProductIds(
  { db, tables: { products } }: ProductsDb,
  ids: readonly string[],
): Promise<Set<string>> {
  const rows = await db
    .select({ id: products.id })
    .from(products)
    .where(inArray(products.id, [...ids]));
  return new Set(rows.map((row) => row.id));
}

/**
 * Takes `quantity` units of a product if that many are left (`stock = stock - q WHERE stock >= q`),
 * returning its name and current price; null when there are not enough (or no such product).
 */
export async function takeStock(
  { db, tables: { products } }: ProductsDb,
  productId: string,
  quantity: number,
): Promise<{ name: string; priceMinor: number; currency: string } | null> {
  const [row] = await db
    .update(products)
    .set({ stock: sql`${products.stock} - ${quantity}` })
    .where(and(eq(products.id, productId), gte(products.stock, quantity)))
    .returning({ name: products.name, priceMinor: products.priceMinor, currency: products.currency });
  return row ?? null;
}

/** Puts `quantity` units of a product back. */
export async function returnStock({ db, tables: { products } }: ProductsDb, productId: string, quantity: number): Promise<void> {
  await db
    .update(products)
    .set({ stock: sql`${products.stock} + ${quantity}` })
    .where(eq(products.id, productId));
}

/** A product's units left; null when there is no such product. */
export async function findStock({ db, tables: { products } }: ProductsDb, productId: string): Promise<number | null> {
  const [row] = await db.select({ stock: products.stock }).from(products).where(eq(products.id, productId));
  return row?.stock ?? null;
}

/**
 * Inserts an order's reservation lines unless the order already has them, and says how many went
 * in: fewer than given means a concurrent call reserved for the same order first (on Postgres the
 * insert waits for that transaction and then skips the conflicting rows).
 */
export async function insertReservationLines(
  { db, tables: { stockReservations } }: ProductsDb,
  rows: ProductsTables['stockReservations']['$inferInsert'][],
): Promise<number> {
  const inserted = await db
    .insert(stockReservations)
    .values(rows)
    .onConflictDoNothing()
    .returning({ productId: stockReservations.productId });
  return inserted.length;
}

/**
 * Moves an order's lines that are in one of `from` to `to` and returns the lines it moved. The
 * condition on the status is what makes each transition happen once when calls race: the loser's
 * update finds no line left in `from`. With `expiredBy`, only lines that expired by then move.
 */
export async function updateReservationStatus(
  { db, tables: { stockReservations } }: ProductsDb,
  {
    orderId,
    from,
    to,
    now,
    expiredBy,
  }: { orderId: string; from: ReservationStatus[]; to: ReservationStatus; now: Date; expiredBy?: Date },
): Promise<{ productId: string; quantity: number }[]> {
  const moved = await db
    .update(stockReservations)
    .set({ status: to, updatedAt: now })
    .where(
      and(
        eq(stockReservations.orderId, orderId),
        inArray(stockReservations.status, from),
        expiredBy ? lte(stockReservations.expiresAt, expiredBy) : undefined,
      ),
    )
    .returning({ productId: stockReservations.productId, quantity: stockReservations.quantity });
  return moved.sort(byProductId);
}

/** Orders with RESERVED lines that expired by `now`, earliest first (the status/expiry index answers it). */
export async function findExpiredReservationOrderIds(
  { db, tables: { stockReservations } }: ProductsDb,
  { now, limit }: { now: Date; limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ orderId: stockReservations.orderId })
    .from(stockReservations)
    .where(and(eq(stockReservations.status, 'RESERVED'), lte(stockReservations.expiresAt, now)))
    .groupBy(stockReservations.orderId)
    .orderBy(min(stockReservations.expiresAt), asc(stockReservations.orderId))
    .limit(limit);
  return rows.map((row) => row.orderId);
}

/** How many orders' reservations are still RESERVED though expired by `now`: what the next sweep has to release. */
export async function countExpiredReservations(
  { db, tables: { stockReservations } }: ProductsDb,
  { now }: { now: Date },
): Promise<number> {
  const [row] = await db
    .select({ orders: countDistinct(stockReservations.orderId) })
    .from(stockReservations)
    .where(and(eq(stockReservations.status, 'RESERVED'), lte(stockReservations.expiresAt, now)));
  return row?.orders ?? 0;
}
