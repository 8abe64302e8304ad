import { createDemoProducts, DEFAULT_SEED_OPTIONS, getDemoAdminId } from '@supergraph/demo-data';
import type { Viewer } from '@supergraph/server-kit/auth';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { countProductRows } from './catalog-fixtures.js';
import { dataOf, describeProducts } from './harness.js';

const seed = { ...DEFAULT_SEED_OPTIONS, products: 20 };
const demoProducts = createDemoProducts(seed);
const admin: Viewer = { id: getDemoAdminId(seed), role: 'ADMIN' };
const categoryId = demoProducts[0]!.categoryId;

const ADD_PRODUCT = `#graphql
  mutation AddProduct($input: AddProductInput!) {
    addProduct(input: $input) {
      product { id sku name description stock inStock createdAt price { amount currency } category { id } }
    }
  }`;

const validInput = {
  sku: 'LAMP-000001',
  name: 'Brass Desk Lamp',
  description: 'A warm light for late reading.',
  price: { amount: '19.99', currency: 'USD' },
  categoryId,
  stock: 12,
};

describeProducts('addProduct', seed, (harness) => {
  const countProducts = () => countProductRows(harness.database);
  const findRow = async (sku: string) => {
    const { db, tables } = harness.database;
    const [row] = await db.select().from(tables.products).where(eq(tables.products.sku, sku));
    return row;
  };
  const addProduct = (input: object) => harness.execute(ADD_PRODUCT, { input }, { viewer: admin });

  it('stores the product with its price in minor units and serves it back, also by reference', async () => {
    const before = await countProducts();
    const { product } = dataOf(await addProduct({ ...validInput, name: '  Brass Desk Lamp  ' })).addProduct;
    expect(product).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sku: 'LAMP-000001',
      name: 'Brass Desk Lamp',
      description: 'A warm light for late reading.',
      stock: 12,
      inStock: true,
      createdAt: expect.any(String),
      price: { amount: '19.99', currency: 'USD' },
      category: { id: categoryId },
    });
    expect(await countProducts()).toBe(before + 1);
    expect(await findRow('LAMP-000001')).toMatchObject({
      id: product.id,
      name: 'Brass Desk Lamp',
      priceMinor: 1999,
      currency: 'USD',
      categoryId,
      stock: 12,
    });

    const { _entities } = dataOf(
      await harness.execute(
        `#graphql
        query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { sku price { amount } } } }`,
        { representations: [{ __typename: 'Product', id: product.id }] },
      ),
    );
    expect(_entities).toEqual([{ sku: 'LAMP-000001', price: { amount: '19.99' } }]);
  });

  it.each([
    ['1500', 'JPY', 1500, '1500'],
    ['7.125', 'KWD', 7125, '7.125'],
    ['0.5', 'EUR', 50, '0.50'],
    ['999999.99', 'USD', 99_999_999, '999999.99'],
  ])('stores %s %s as %i minor units', async (amount, currency, minor, shown) => {
    const sku = `CURR-${String(minor % 1_000_000).padStart(6, '0')}`;
    const { product } = dataOf(await addProduct({ ...validInput, sku, price: { amount, currency } })).addProduct;
    expect(product.price).toEqual({ amount: shown, currency });
    expect(await findRow(sku)).toMatchObject({ priceMinor: minor, currency });
  });

  it('refuses a SKU that is already in the catalog, naming input.sku, and writes nothing', async () => {
    const before = await countProducts();
    const result = await addProduct({ ...validInput, sku: demoProducts[3]!.sku });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: `input.sku ${demoProducts[3]!.sku} is already in the catalog.`,
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.sku' },
      }),
    ]);
    expect(await countProducts()).toBe(before);
  });

  it('adds one of two products sent at once with the same SKU', async () => {
    const before = await countProducts();
    const input = { ...validInput, sku: 'RACE-000001' };
    const results = await Promise.all([addProduct(input), addProduct(input)]);
    expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
    expect(results.flatMap((result) => result.errors ?? []).map((error) => error.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', argumentName: 'input.sku' },
    ]);
    expect(await countProducts()).toBe(before + 1);
  });

  it.each([
    ['a lower-case SKU', { sku: 'lamp-000002' }, 'input.sku'],
    ['a SKU without digits', { sku: 'LAMP' }, 'input.sku'],
    ['a SKU with spaces', { sku: ' LAMP-000002' }, 'input.sku'],
    ['an empty name', { name: '   ' }, 'input.name'],
    ['a name of 201 characters', { name: 'x'.repeat(201) }, 'input.name'],
    ['a description of 2,001 characters', { description: 'x'.repeat(2001) }, 'input.description'],
    ['an unknown currency', { price: { amount: '1.00', currency: 'ABC' } }, 'input.price.currency'],
    ['a lower-case currency', { price: { amount: '1.00', currency: 'usd' } }, 'input.price.currency'],
    ['a float-looking amount', { price: { amount: '1e3', currency: 'USD' } }, 'input.price.amount'],
    ['a negative amount', { price: { amount: '-5.00', currency: 'USD' } }, 'input.price.amount'],
    ['an amount with a comma', { price: { amount: '1,000.00', currency: 'USD' } }, 'input.price.amount'],
    ['an amount with leading zeros', { price: { amount: '007.50', currency: 'USD' } }, 'input.price.amount'],
    ['an empty amount', { price: { amount: '', currency: 'USD' } }, 'input.price.amount'],
    ['a zero amount', { price: { amount: '0.00', currency: 'USD' } }, 'input.price.amount'],
    ['three decimals in USD', { price: { amount: '1.999', currency: 'USD' } }, 'input.price.amount'],
    ['decimals in JPY', { price: { amount: '100.5', currency: 'JPY' } }, 'input.price.amount'],
    ['an amount of 1,000,000', { price: { amount: '1000000', currency: 'USD' } }, 'input.price.amount'],
    ['an enormous amount', { price: { amount: '9'.repeat(40), currency: 'USD' } }, 'input.price.amount'],
    ['a category that does not exist', { categoryId: 'no-such-category' }, 'input.categoryId'],
    ['an empty category id', { categoryId: '' }, 'input.categoryId'],
    ['negative stock', { stock: -1 }, 'input.stock'],
    ['stock above 1,000,000', { stock: 1_000_001 }, 'input.stock'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and writes nothing', async (_case, change, field) => {
    const before = await countProducts();
    const result = await addProduct({ ...validInput, sku: 'BADX-000001', ...change });
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: field });
    expect(result.errors?.[0]?.message).toContain(field);
    expect(await countProducts()).toBe(before);
  });
});
