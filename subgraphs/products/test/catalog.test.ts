import { createDemoProducts, DEFAULT_SEED_OPTIONS } from '@supergraph/demo-data';
import { readAllPages, resolveReferences, selectConnectionPage, testPageArgumentRefusals } from '@supergraph/server-kit/testing';
import { describe, expect, it } from 'vitest';
import { dataOf, describeProducts } from './harness.js';

const seed = { ...DEFAULT_SEED_OPTIONS, products: 120 };
const demoProducts = createDemoProducts(seed);
/** Every product id in the catalog's order: by name, then id. */
const catalogOrder = [...demoProducts]
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1))
  .map((product) => product.id);

describeProducts('the products subgraph', seed, (harness) => {
  const PRODUCTS_PAGE = `#graphql
    query ProductsPage($first: Int, $after: String, $last: Int, $before: String, $filter: ProductFilter) {
      products(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
        ${selectConnectionPage('id name sku stock inStock price { amount currency } category { id name slug }')}
      }
    }`;

  describe('product(id)', () => {
    it('returns the product with its price as a decimal string and its category', async () => {
      const expected = demoProducts[7]!;
      const data = dataOf(
        await harness.execute(
          `#graphql
        query ($id: ID!) { product(id: $id) { id sku name description stock inStock price { amount currency } category { id } createdAt } }`,
          { id: expected.id },
        ),
      );
      expect(data.product).toEqual({
        id: expected.id,
        sku: expected.sku,
        name: expected.name,
        description: expected.description,
        stock: expected.stock,
        inStock: expected.stock > 0,
        price: { amount: (expected.priceCents / 100).toFixed(2), currency: 'USD' },
        category: { id: expected.categoryId },
        createdAt: expected.createdAt.toISOString(),
      });
    });

    it('returns null for an id that does not exist', async () => {
      const data = dataOf(
        await harness.execute(`#graphql
      { product(id: "no-such-product") { id } }`),
      );
      expect(data.product).toBeNull();
    });
  });

  describe('products(first, after, last, before, filter)', () => {
    const readCatalog = (size: { first: number } | { last: number }) =>
      readAllPages(async (page) => dataOf(await harness.execute(PRODUCTS_PAGE, page)).products, {
        ...size,
        totalCount: demoProducts.length,
      });

    it('pages through the whole catalog in name order without gaps or repeats', async () => {
      const { ids, pages } = await readCatalog({ first: 25 });
      expect(pages).toBe(Math.ceil(demoProducts.length / 25));
      expect(ids).toEqual(catalogOrder);
    });

    it('pages backward through the whole catalog with `last`, each page in name order, the same products as forward', async () => {
      const { ids, pages } = await readCatalog({ last: 25 });
      expect(pages).toBe(Math.ceil(demoProducts.length / 25));
      expect(ids).toEqual(catalogOrder);
    });

    it('serves the products between an `after` and a `before` cursor, from either end', async () => {
      const { edges } = dataOf(await harness.execute(PRODUCTS_PAGE, { first: 30 })).products;
      const [after, before] = [edges[4].cursor, edges[15].cursor];
      const between = catalogOrder.slice(5, 15);
      const forward = dataOf(await harness.execute(PRODUCTS_PAGE, { first: 4, after, before })).products;
      expect(forward.nodes.map((node: { id: string }) => node.id)).toEqual(between.slice(0, 4));
      expect(forward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
      const backward = dataOf(await harness.execute(PRODUCTS_PAGE, { last: 4, after, before })).products;
      expect(backward.nodes.map((node: { id: string }) => node.id)).toEqual(between.slice(-4));
      const all = dataOf(await harness.execute(PRODUCTS_PAGE, { last: 20, after, before })).products;
      expect(all.nodes.map((node: { id: string }) => node.id)).toEqual(between);
      expect(all.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    });

    it('filters by category, stock and case-insensitive search, and counts only the matches', async () => {
      const categoryId = demoProducts[0]!.categoryId;
      const inCategory = demoProducts.filter((product) => product.categoryId === categoryId);
      const byCategory = dataOf(await harness.execute(PRODUCTS_PAGE, { first: 100, filter: { categoryId } })).products;
      expect(byCategory.totalCount).toBe(inCategory.length);
      expect(byCategory.nodes.every((node: { category: { id: string } }) => node.category.id === categoryId)).toBe(true);

      const soldOut = dataOf(await harness.execute(PRODUCTS_PAGE, { first: 100, filter: { inStock: false } })).products;
      expect(soldOut.totalCount).toBe(demoProducts.filter((product) => product.stock === 0).length);
      expect(soldOut.nodes.every((node: { stock: number; inStock: boolean }) => node.stock === 0 && !node.inStock)).toBe(true);

      const target = demoProducts[3]!;
      const word = target.name.split(' ').at(-1)!.toUpperCase();
      const found = dataOf(await harness.execute(PRODUCTS_PAGE, { first: 100, filter: { search: word } })).products;
      expect(found.nodes.map((node: { id: string }) => node.id)).toContain(target.id);
      expect(found.totalCount).toBe(found.nodes.length);
    });

    it('matches LIKE wildcards in the search text literally', async () => {
      const { products } = dataOf(await harness.execute(PRODUCTS_PAGE, { filter: { search: '%_%' } }));
      expect(products.totalCount).toBe(0);
      expect(products.nodes).toEqual([]);
      expect(products.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
    });

    testPageArgumentRefusals((variables) => harness.execute(PRODUCTS_PAGE, variables));
  });

  describe('categories', () => {
    it('lists every category with a first page of its products, in a fixed number of SQL statements', async () => {
      const query = `#graphql
      { categories { id name slug products(first: 3) { totalCount nodes { id category { id } } } } }`;
      let data: Record<string, any> = {};
      const statements = await harness.countStatements(async () => {
        data = dataOf(await harness.execute(query));
      });
      expect(data.categories.length).toBeGreaterThan(5);
      for (const category of data.categories) {
        const expected = demoProducts.filter((product) => product.categoryId === category.id);
        expect(category.products.totalCount).toBe(expected.length);
        expect(category.products.nodes).toHaveLength(Math.min(3, expected.length));
      }
      // categories, the product pages of all categories, their counts, and Product.category lookups.
      expect(statements).toBe(4);
    });

    it('lists every category with the last page of its products, in list order, in as many SQL statements', async () => {
      const query = `#graphql
      { categories { id products(last: 3) { totalCount pageInfo { hasPreviousPage hasNextPage } nodes { id category { id } } } } }`;
      let data: Record<string, any> = {};
      const statements = await harness.countStatements(async () => {
        data = dataOf(await harness.execute(query));
      });
      for (const category of data.categories) {
        const expected = catalogOrder.filter(
          (id) => demoProducts.find((product) => product.id === id)!.categoryId === category.id,
        );
        expect(category.products.totalCount).toBe(expected.length);
        expect(category.products.nodes.map((node: { id: string }) => node.id)).toEqual(expected.slice(-3));
        expect(category.products.pageInfo).toEqual({ hasPreviousPage: expected.length > 3, hasNextPage: false });
      }
      expect(statements).toBe(4);
    });
  });

  describe('federation', () => {
    it('resolves Product and Category references through _entities, null for unknown ids', async () => {
      const [first, second] = demoProducts;
      const data = dataOf(
        await harness.execute(
          `#graphql
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            __typename
            ... on Product { id name price { amount } }
            ... on Category { id slug }
          }
        }`,
          {
            representations: [
              { __typename: 'Product', id: second!.id },
              { __typename: 'Product', id: 'missing' },
              { __typename: 'Category', id: first!.categoryId },
              { __typename: 'Product', id: first!.id },
            ],
          },
        ),
      );
      expect(data._entities).toEqual([
        { __typename: 'Product', id: second!.id, name: second!.name, price: { amount: (second!.priceCents / 100).toFixed(2) } },
        null,
        { __typename: 'Category', id: first!.categoryId, slug: expect.any(String) },
        { __typename: 'Product', id: first!.id, name: first!.name, price: { amount: (first!.priceCents / 100).toFixed(2) } },
      ]);
    });

    it('loads 50 product references with one SQL statement', async () => {
      const ids = demoProducts.slice(0, 50).map((product) => product.id);
      const { entities, statements } = await resolveReferences(harness, 'Product', ids);
      expect(entities).toHaveLength(50);
      expect(statements).toBe(1);
    });

    it('publishes its SDL with @key entities through _service', async () => {
      const data = dataOf(
        await harness.execute(`#graphql
      { _service { sdl } }`),
      );
      expect(data._service.sdl).toMatch(/type Product\s+@key\(fields: "id"\)/);
      expect(data._service.sdl).toMatch(/type Category\s+@key\(fields: "id"\)/);
    });
  });
});
