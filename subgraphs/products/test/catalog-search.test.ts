import { randomUUID } from 'node:crypto';
import { createDemoProducts, DEFAULT_SEED_OPTIONS, type DemoProduct } from '@supergraph/demo-data';
import { executeStatement, queryRows } from '@supergraph/server-kit/db';
import { eq, sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { insertProduct, selectProductsCount, selectProductsPage } from '../src/catalog/product-store.js';
import type { ProductsDatabase } from '../src/db/client.js';
import { dataOf, describeProducts } from './harness.js';

const seed = { ...DEFAULT_SEED_OPTIONS, products: 120 };
const demoProducts = createDemoProducts(seed);

/** What the search promises: the text, lower-cased, is a plain substring of the lower-cased name, SKU or description. */
function expectedMatches(products: readonly Pick<DemoProduct, 'id' | 'name' | 'sku' | 'description'>[], text: string) {
  const needle = text.trim().toLowerCase();
  return products
    .filter((product) => [product.name, product.sku, product.description].some((field) => field.toLowerCase().includes(needle)))
    .map((product) => product.id)
    .sort();
}

const SEARCH = `#graphql
  query Search($search: String!) {
    products(first: 100, filter: { search: $search }) { totalCount nodes { id name } }
  }`;

describeProducts('catalog search', seed, (harness, dialect) => {
  const search = async (text: string) => {
    const { products } = dataOf(await harness.execute(SEARCH, { search: text }));
    return { totalCount: products.totalCount as number, ids: (products.nodes as { id: string }[]).map((node) => node.id).sort() };
  };

  describe('matching', () => {
    // A word of a name, a SKU's prefix and number, words of descriptions, fragments inside words, in any case;
    // texts of one and two characters take the scan, longer ones the index.
    const texts = [
      demoProducts[3]!.name.split(' ').at(-1)!.toUpperCase(),
      demoProducts[9]!.sku.slice(0, 7).toLowerCase(),
      'ELEC-0000',
      'with',
      ' two business ',
      demoProducts[20]!.description.slice(5, 12),
      'oo',
      'e',
      'q',
      'zzzzzz',
    ];

    it.each(texts)('finds exactly the products holding %j in their name, SKU or description, ignoring case', async (text) => {
      const expected = expectedMatches(demoProducts, text);
      const found = await search(text);
      expect(found.totalCount).toBe(expected.length);
      if (expected.length <= 100) expect(found.ids).toEqual(expected);
    });
  });

  describe('with products of its own', () => {
    const added: { id: string; name: string; sku: string; description: string }[] = [];
    const addProduct = async (database: ProductsDatabase, fields: { name: string; sku: string; description: string }) => {
      const [category] = await database.db.select().from(database.tables.categories).limit(1);
      const id = randomUUID();
      await database.transaction((tx) =>
        insertProduct(tx, {
          id,
          ...fields,
          priceMinor: 999,
          currency: 'USD',
          categoryId: category!.id,
          stock: 3,
          createdAt: new Date(),
        }),
      );
      added.push({ id, ...fields });
      return id;
    };

    it('folds the case of every letter, not only ASCII, the same way on both dialects', async () => {
      const id = await addProduct(harness.database, {
        name: 'Crème BRÛLÉE Torch',
        sku: 'KTCH-ÆØÅ001',
        description: 'Caramelises a crème brûlée in seconds. ÇA MARCHE.',
      });
      for (const text of ['brûlée', 'BRÛLÉE', 'rûl', 'ÛL', 'û', 'ça marche', 'æøå']) {
        expect((await search(text)).ids, text).toContain(id);
      }
      // Accents are letters of their own: no match without them.
      for (const text of ['brulee', 'creme b']) expect((await search(text)).ids, text).not.toContain(id);
    });

    it('matches %, _, \\ and double quotes in the text literally', async () => {
      const id = await addProduct(harness.database, {
        name: 'The "Quoted" 50% Kit_2',
        sku: 'MISC-Q\\001',
        description: 'A back\\slash and a 100% "guarantee".',
      });
      for (const text of ['"quoted"', '50% kit_2', 'q\\001', 'back\\slash', '% "g', '"', '\\', '_2']) {
        expect((await search(text)).ids, text).toContain(id);
      }
      for (const text of ['50%kit', 'kit-2', 'kit%2', 'q\\\\001', '""quoted""', 'quoted" 5_']) {
        expect((await search(text)).ids, text).not.toContain(id);
      }
      expect(await search('%_%')).toEqual({ totalCount: 0, ids: [] });
    });

    it('finds a renamed product by its new name only, and a product no longer there not at all', async () => {
      const id = await addProduct(harness.database, { name: 'Quokka lamp', sku: 'HOME-QK0001', description: 'A lamp.' });
      expect((await search('quokka')).ids).toEqual([id]);
      const { products } = harness.database.tables;
      await harness.database.transaction(({ db }) => db.update(products).set({ name: 'Wombat lamp' }).where(eq(products.id, id)));
      expect((await search('quokka')).ids).toEqual([]);
      expect((await search('wombat')).ids).toEqual([id]);
      // A stock change leaves the index as it was.
      await harness.database.transaction(({ db }) => db.update(products).set({ stock: 9 }).where(eq(products.id, id)));
      expect((await search('wombat')).ids).toEqual([id]);
      await harness.database.transaction(({ db }) => db.delete(products).where(eq(products.id, id)));
      expect(await search('wombat')).toEqual({ totalCount: 0, ids: [] });
    });

    it('still agrees with a plain substring scan over the whole catalog', async () => {
      const everything = [...demoProducts, ...added.filter((product) => product.name !== 'Quokka lamp')];
      for (const text of ['lamp', 'with', 'e', '"', 'û']) {
        expect((await search(text)).totalCount, text).toBe(expectedMatches(everything, text).length);
      }
    });
  });

  describe('the plan', () => {
    const filter = { search: 'ceramic' };
    const window = { direction: 'forward', size: 20, after: null, before: null } as const;

    /**
     * The plan's lines for `statement`. On Postgres, whose planner rightly reads a table of 120 rows
     * whole, with sequential scans off (and, for a page, plain index scans too, which would walk
     * products_name_id_idx in order), so the plan shows the indexes the search condition can use.
     */
    const explain = async (statement: SQL, { isPage = false } = {}): Promise<string[]> => {
      if (dialect === 'sqlite') {
        const rows = await queryRows<{ detail: string }>(harness.database, sql`explain query plan ${statement}`);
        return rows.map((row) => row.detail);
      }
      return harness.database.transaction(async (tx) => {
        await executeStatement(tx, sql`set local enable_seqscan = off`);
        if (isPage) await executeStatement(tx, sql`set local enable_indexscan = off`);
        const rows = await queryRows<{ 'QUERY PLAN': string }>(tx, sql`explain ${statement}`);
        return rows.map((row) => row['QUERY PLAN']);
      });
    };

    const expectIndexedSearch = (plan: string[]) => {
      const text = plan.join('\n');
      if (dialect === 'sqlite') {
        // The FTS5 table answers the text; products is then read by rowid, never scanned.
        expect(plan.filter((line) => /VIRTUAL TABLE INDEX/.test(line) && /products_search/.test(line))).toHaveLength(1);
        expect(plan.filter((line) => /^SCAN products\b/.test(line))).toHaveLength(0);
      } else {
        for (const index of ['products_name_trgm_idx', 'products_sku_trgm_idx', 'products_description_trgm_idx']) {
          expect(text).toContain(`Bitmap Index Scan on ${index}`);
        }
        expect(plan.filter((line) => /Seq Scan on products/.test(line))).toHaveLength(0);
      }
    };

    it('counts the matches (totalCount) through the search index', async () => {
      expectIndexedSearch(await explain(selectProductsCount(harness.database, filter).getSQL()));
    });

    it('reads a page of matches through the search index', async () => {
      expectIndexedSearch(await explain(selectProductsPage(harness.database, { filter, window }).getSQL(), { isPage: true }));
    });
  });
});
