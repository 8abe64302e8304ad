import { randomUUID } from 'node:crypto';
import { asc, count, eq } from 'drizzle-orm';
import type { ProductsDatabase, ProductsDb } from '../src/db/client.js';
import { insertProduct } from '../src/catalog/product-store.js';

/** Numbers the products of this test file's database (each file has its own). */
let productNumber = 0;

/** A new product with exactly `stock` units, in the first category of the seeded catalog. */
export async function addStockedProduct(
  database: ProductsDatabase,
  { stock, priceMinor = 1999, currency = 'USD' }: { stock: number; priceMinor?: number; currency?: string },
) {
  const [category] = await database.db.select().from(database.tables.categories).limit(1);
  productNumber += 1;
  const number = productNumber;
  const product = await database.transaction((tx) =>
    insertProduct(tx, {
      id: randomUUID(),
      sku: `RSRV-${String(number).padStart(6, '0')}`,
      name: `Reservable thing ${number}`,
      description: 'Made for the reservation tests.',
      priceMinor,
      currency,
      categoryId: category!.id,
      stock,
      createdAt: new Date(),
    }),
  );
  if (!product) throw new Error('the test product was not inserted');
  return product;
}

export async function readStock({ db, tables: { products } }: ProductsDb, productId: string): Promise<number> {
  const [row] = await db.select({ stock: products.stock }).from(products).where(eq(products.id, productId));
  if (!row) throw new Error(`no product ${productId}`);
  return row.stock;
}

/** An order's reservation rows as stored, by product id. */
export async function readReservationRows({ db, tables: { stockReservations } }: ProductsDb, orderId: string) {
  return db
    .select()
    .from(stockReservations)
    .where(eq(stockReservations.orderId, orderId))
    .orderBy(asc(stockReservations.productId));
}

/** Reservation rows of a product, grouped by status. */
export async function countReservationsByStatus({ db, tables: { stockReservations } }: ProductsDb, productId: string) {
  const rows = await db
    .select({ status: stockReservations.status, lines: count() })
    .from(stockReservations)
    .where(eq(stockReservations.productId, productId))
    .groupBy(stockReservations.status);
  return Object.fromEntries(rows.map((row) => [row.status, row.lines]));
}

export async function countAllReservationRows({ db, tables: { stockReservations } }: ProductsDb): Promise<number> {
  const [row] = await db.select({ total: count() }).from(stockReservations);
  return row?.total ?? 0;
}

/** A fresh order id, as the orders service would make one. */
export function newOrderId(): string {
  return randomUUID();
}
