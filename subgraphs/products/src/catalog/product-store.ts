import type { Database as SqliteConnection } from 'better-sqlite3';
import { and, asc, count, eq, getTableColumns, gt, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { preparedByKeys, readKeysetPage, type Dialect, type SortKey } from '@supergraph/server-kit/db';
import type { PageWindow } from '@supergraph/server-kit/graphql';
import type { ProductsDb } from '../db/client.js';
import type { ProductRow, ProductsTables } from '../db/tables/index.js';

/** Catalog filter; every present condition must hold. */
export interface ProductFilter {
  categoryId?: string | null;
  /**
   * Substring of name, SKU or description, matched literally and without regard to case (Unicode
   * lower case on both dialects), through a search index for three characters or more.
   */
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

/** The loader's read by a batch of ids, built and prepared once per number of ids (preparedByKeys). */
const selectProductsByIds = preparedByKeys<ProductsTables, ProductRow>('products_by_ids', ({ db, tables: { products } }, ids) =>
  db.select().from(products).where(inArray(products.id, ids)),
);

export async function findProductsByIds(handle: ProductsDb, ids: readonly string[]): Promise<ProductRow[]> {
  return selectProductsByIds(handle, ids);
}

/** One page of the catalog, as toConnectionPage takes it (size + 1 rows, reversed for a backward page). */
export async function findProductsPage(
  handle: ProductsDb,
  query: { filter: ProductFilter; window: PageWindow<ProductCursor> },
): Promise<ProductRow[]> {
  return selectProductsPage(handle, query);
}

/** The statement findProductsPage runs, unawaited (its plan is what the search index tests look at). */
export function selectProductsPage(
  { dialect, db, tables: { products } }: ProductsDb,
  { filter, window }: { filter: ProductFilter; window: PageWindow<ProductCursor> },
) {
  const page = readKeysetPage(catalogOrder(products), window);
  return db
    .select()
    .from(products)
    .where(and(buildFilterCondition(dialect, db, products, filter), page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit);
}

export async function countProducts(handle: ProductsDb, filter: ProductFilter): Promise<number> {
  const [row] = await selectProductsCount(handle, filter);
  return row?.total ?? 0;
}

/** The statement countProducts runs, unawaited (its plan is what the search index tests look at). */
export function selectProductsCount({ dialect, db, tables: { products } }: ProductsDb, filter: ProductFilter) {
  const search = filter.search?.trim().toLowerCase();
  if (dialect === 'sqlite' && search && isIndexedSearch(search) && !filter.categoryId && typeof filter.inStock !== 'boolean') {
    // Counting the FTS5 table's matches alone skips a lookup in products per match (about 8x faster
    // for a text that matches 1% of a million products).
    return db
      .select({ total: count() })
      .from(sql`products_search`)
      .where(sql`products_search match ${quoteSearchPhrase(search)}`);
  }
  return db
    .select({ total: count() })
    .from(products)
    .where(buildFilterCondition(dialect, db, products, filter));
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

function buildFilterCondition(
  dialect: Dialect,
  db: ProductsDb['db'],
  products: ProductsTable,
  filter: ProductFilter,
): SQL | undefined {
  const search = filter.search?.trim().toLowerCase();
  return and(
    filter.categoryId ? eq(products.categoryId, filter.categoryId) : undefined,
    filter.inStock === true ? gt(products.stock, 0) : undefined,
    filter.inStock === false ? eq(products.stock, 0) : undefined,
    search ? buildSearchCondition(dialect, db, products, search) : undefined,
  );
}

/**
 * Products whose name, SKU or description holds `search` (already lower case), ignoring case. Postgres
 * answers lower(col) LIKE from the trigram GIN indexes on lower(col) (migration 0002). SQLite asks the
 * products_search FTS5 table (trigram tokenizer, Unicode case folding) for the text as one quoted
 * phrase, which is a literal substring; FTS5 needs three characters for a trigram, so a shorter text
 * falls back to scanning products with LIKE over a Unicode lower(), the same rule as Postgres's.
 */
function buildSearchCondition(dialect: Dialect, db: ProductsDb['db'], products: ProductsTable, search: string): SQL | undefined {
  if (dialect === 'sqlite' && isIndexedSearch(search)) {
    return sql`${products}.rowid in (select rowid from products_search where products_search match ${quoteSearchPhrase(search)})`;
  }
  const pattern = `%${escapeLikePattern(search)}%`;
  const lower = dialect === 'sqlite' ? useUnicodeLower(db) : 'lower';
  return or(
    sql`${sql.raw(lower)}(${products.name}) like ${pattern} escape '\\'`,
    sql`${sql.raw(lower)}(${products.sku}) like ${pattern} escape '\\'`,
    sql`${sql.raw(lower)}(${products.description}) like ${pattern} escape '\\'`,
  );
}

/** The trigram tokenizer indexes three characters at a time: a shorter text cannot be looked up. */
const MIN_INDEXED_SEARCH_CHARACTERS = 3;

function isIndexedSearch(search: string): boolean {
  return [...search].length >= MIN_INDEXED_SEARCH_CHARACTERS;
}

/** The text as one FTS5 phrase: quoted, its double quotes doubled, so nothing in it is query syntax. */
function quoteSearchPhrase(search: string): string {
  return `"${search.replaceAll('"', '""')}"`;
}

const UNICODE_LOWER = 'unicode_lower';
const connectionsWithUnicodeLower = new WeakSet<object>();

/**
 * Registers unicode_lower() on this SQLite connection (once) and returns its name: SQLite's own
 * lower() folds ASCII letters only, Postgres's and FTS5's fold every cased letter.
 */
function useUnicodeLower(db: ProductsDb['db']): string {
  // drizzle() puts the better-sqlite3 connection on the handle it returns, but QueryDb's type leaves it out.
  const client = (db as ProductsDb['db'] & { $client?: SqliteConnection }).$client;
  // A transaction's handle has none; searches run on the read connection, so this is only a safe default.
  if (!client) return 'lower';
  if (!connectionsWithUnicodeLower.has(client)) {
    client.function(UNICODE_LOWER, { deterministic: true }, (text: unknown) =>
      typeof text === 'string' ? text.toLowerCase() : text,
    );
    connectionsWithUnicodeLower.add(client);
  }
  return UNICODE_LOWER;
}

/** The user's text is matched literally: %, _ and \ lose their LIKE meaning. */
function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
