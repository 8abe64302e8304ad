import { createDemoProducts, DEFAULT_SEED_OPTIONS, getDemoAdminId, getDemoCustomerId } from '@supergraph/demo-data';
import type { Viewer } from '@supergraph/server-kit/auth';
import { describeRuleTree, selectConnectionPage } from '@supergraph/server-kit/testing';
import { describe, expect, it } from 'vitest';
import { permissionRules } from '../src/permissions.js';
import { buildSchema } from '../src/schema.js';
import { countProductRows } from './catalog-fixtures.js';
import { dataOf, describeProducts } from './harness.js';

const seed = { ...DEFAULT_SEED_OPTIONS, products: 30 };
const demoProducts = createDemoProducts(seed);
const admin: Viewer = { id: getDemoAdminId(seed), role: 'ADMIN' };
const customer: Viewer = { id: getDemoCustomerId(seed), role: 'CUSTOMER' };
const callers = [
  ['an anonymous caller', null],
  ['a customer', customer],
  ['an admin', admin],
] as const;

describeRuleTree({
  subgraph: 'products',
  buildSchema,
  rules: permissionRules,
  signedIn: customer,
  sampleField: ['Product', 'stock'],
});

describeProducts('authorization in the products subgraph', seed, (harness) => {
  const countProducts = () => countProductRows(harness.database);

  const ADD_PRODUCT = `#graphql
    mutation AddProduct($input: AddProductInput!) { addProduct(input: $input) { product { id sku price { amount currency } } } }`;
  const newProduct = (sku: string) => ({
    sku,
    name: 'Permission Test Lamp',
    description: 'A lamp.',
    price: { amount: '12.50', currency: 'USD' },
    categoryId: demoProducts[0]!.categoryId,
    stock: 3,
  });

  describe.each(callers)('for %s', (_who, viewer) => {
    it('serves product, products and categories', async () => {
      const product = demoProducts[4]!;
      const data = dataOf(
        await harness.execute(
          `#graphql
          query ($id: ID!) {
            product(id: $id) { id sku name description stock inStock createdAt price { amount currency } category { id name slug } }
            products(first: 2) { ${selectConnectionPage('id')} }
            categories { id products(first: 1) { totalCount nodes { id } } }
          }`,
          { id: product.id },
          { viewer },
        ),
      );
      expect(data.product).toMatchObject({ id: product.id, sku: product.sku, category: { id: product.categoryId } });
      expect(data.products.nodes).toHaveLength(2);
      expect(data.categories.length).toBeGreaterThan(0);
    });

    it('resolves Product and Category references through _entities, and publishes _service', async () => {
      const product = demoProducts[2]!;
      const data = dataOf(
        await harness.execute(
          `#graphql
          query ($representations: [_Any!]!) {
            _entities(representations: $representations) { ... on Product { id name stock } ... on Category { id slug } }
            _service { sdl }
          }`,
          {
            representations: [
              { __typename: 'Product', id: product.id },
              { __typename: 'Category', id: product.categoryId },
            ],
          },
          { viewer },
        ),
      );
      expect(data._entities).toEqual([
        { id: product.id, name: product.name, stock: product.stock },
        { id: product.categoryId, slug: expect.any(String) },
      ]);
      expect(data._service.sdl).toContain('addProduct');
    });
  });

  it('lets an admin add a product', async () => {
    const before = await countProducts();
    const data = dataOf(await harness.execute(ADD_PRODUCT, { input: newProduct('PERM-000001') }, { viewer: admin }));
    expect(data.addProduct.product).toMatchObject({ sku: 'PERM-000001', price: { amount: '12.50', currency: 'USD' } });
    expect(await countProducts()).toBe(before + 1);
  });

  it.each([
    ['an anonymous caller', 'UNAUTHENTICATED', null],
    ['a customer', 'FORBIDDEN', customer],
  ] as const)('refuses addProduct to %s with %s, and writes nothing', async (_who, code, viewer) => {
    const before = await countProducts();
    const result = await harness.execute(ADD_PRODUCT, { input: newProduct('PERM-000002') }, { viewer });
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({ path: ['addProduct'], extensions: { code } })]);
    expect(await countProducts()).toBe(before);
  });
});
