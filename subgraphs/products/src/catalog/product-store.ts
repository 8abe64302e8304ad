import { and, asc, count, eq, getTableColumns, gt, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { readKeysetPage, type SortKey } from '@supergraph/server-kit/db';
import type { PageWindow } from '@supergraph/server-kit/graphql';
import type { ProductsDb } from '../db/client.js';
import type { ProductRow, ProductsTables } from '../db/tables/index.js';

/** Catalog filter; every present condition must hold. */
export interface ProductFilter {
  categoryId?: string | null;
  /** Case-insensitive substring of name, SKU or description. */
  search?: string | null;
  inStock?: boolean | null;
}

/** A place in the catalog's sort order, (name, id): where a page starts or ends. */
export type ProductCursor = readonly [name: string, id: string];

export type NewProductRow = ProductsTables['products']['$inferInsert'];

/**
 * Adds a product; null when its SKU is already in the catalog. The unique index decides, so two
 * admins adding the same SKU at once get one product and one refusal, on either dialect.
 */
export async function insertProduct({ db, tables: { products } }: ProductsDb, row: NewProductRow): Promise<ProductRow | null> {
  const [inserted] = await db.insert(products).values(row).onConflictDoNothing({ target: products.sku }).returning();
  return inserted ?? null;
}

export async function findProductsByIds({ db, tables: { products } }: ProductsDb, ids: readonly string[]): Promise<ProductRow[]> {
  return db
    .select()
    .from(products)
    .where(inArray(products.id, [...ids]));
}

/** One page of the catalog, as toConnectionPage takes it (size + 1 rows, reversed for a backward page). */
export async function findProductsPage(
  { db, tables: { products } }: ProductsDb,
  { filter, window }: { filter: ProductFilter; window: PageWindow<ProductCursor> },
): Promise<ProductRow[]> {
  const page = readKeysetPage(catalogOrder(products), window);
  return db
    .select()
    .from(products)
    .where(and(buildFilterCondition(products, filter), page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit);
}

export async function countProducts({ db, tables: { products } }: ProductsDb, filter: ProductFilter): Promise<number> {
  const [row] = await db.select({ total: count() }).from(products).where(buildFilterCondition(products, filter));
  return row?.total ?? 0;
}

/**
 * A page of products for each of several categories, in one statement: a window function numbers
 * each category's products in the order the page is read and keeps the first size + 1.
 */
export async function findProductPagesByCategoryIds(
  { db, tables: { products } }: ProductsDb,
  { categoryIds, window }: { categoryIds: readonly string[]; window: PageWindow<ProductCursor> },
): Promise<Map<string, ProductRow[]>> {
  const page = readKeysetPage(catalogOrder(products), window);
  const ranked = db
    .select({
      ...getTableColumns(products),
      position:
        sql<number>`row_number() over (partition by ${products.categoryId} order by ${sql.join(page.orderBy, sql`, `)})`.as(
          'position',
        ),
    })
    .from(products)
    .where(and(inArray(products.categoryId, [...categoryIds]), page.where))
    .as('ranked');
  const rows = await db
    .select()
    .from(ranked)
    .where(lte(ranked.position, page.limit))
    .orderBy(asc(ranked.categoryId), asc(ranked.position));
  const pages = new Map<string, ProductRow[]>(categoryIds.map((id) => [id, []]));
  for (const { position: _position, ...row } of rows) pages.get(row.categoryId)?.push(row);
  return pages;
}

export async function countProductsByCategoryIds(
  { db, tables: { products } }: ProductsDb,
  categoryIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await db
    .select({ categoryId: products.categoryId, total: count() })
    .from(products)
    .where(inArray(products.categoryId, [...categoryIds]))
    .groupBy(products.categoryId);
  return new Map(rows.map((row) => [row.categoryId, row.total]));
}

type ProductsTable = ProductsTables['products'];

/** The catalog's order: by name, then id. */
function catalogOrder(products: ProductsTable): SortKey<ProductCursor> {
  return { columns: [products.name, products.id], valuesOf: (cursor) => cursor };
}

function buildFilterCondition(products: ProductsTable, filter: ProductFilter): SQL | undefined {
  const search = filter.search?.trim().toLowerCase();
  const pattern = search ? `%${escapeLikePattern(search)}%` : undefined;
  return and(
    filter.categoryId ? eq(products.categoryId, filter.categoryId) : undefined,
    filter.inStock === true ? gt(products.stock, 0) : undefined,
    filter.inStock === false ? eq(products.stock, 0) : undefined,
    pattern
      ? or(
          sql`lower(${products.name}) like ${pattern} escape '\\'`,
          sql`lower(${products.sku}) like ${pattern} escape '\\'`,
          sql`lower(${products.description}) like ${pattern} escape '\\'`,
        )
      : undefined,
  );
}

/** The user's text is matched literally: %, _ and \ lose their LIKE meaning. */
function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
