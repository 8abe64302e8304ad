import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEED_OPTIONS,
  DEMO_EPOCH,
  createDemoCategories,
  createDemoProducts,
  generateDemoProducts,
} from '../src/index.js';

describe('createDemoCategories', () => {
  it('returns a fixed list of categories with unique ids, names and slugs', () => {
    const categories = createDemoCategories();
    expect(categories).toEqual(createDemoCategories());
    expect(categories.length).toBeGreaterThanOrEqual(10);
    expect(categories.map((category) => category.name)).toEqual(expect.arrayContaining(['Books', 'Electronics', 'Kitchen']));
    for (const key of ['id', 'name', 'slug'] as const) {
      expect(new Set(categories.map((category) => category[key])).size).toBe(categories.length);
    }
    for (const category of categories) expect(category.slug).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});

describe('createDemoProducts', () => {
  it('returns the same products for the same options', () => {
    expect(createDemoProducts(DEFAULT_SEED_OPTIONS)).toEqual(createDemoProducts({ ...DEFAULT_SEED_OPTIONS }));
  });

  it('returns other products for another seed', () => {
    const products = createDemoProducts(DEFAULT_SEED_OPTIONS);
    const others = createDemoProducts({ ...DEFAULT_SEED_OPTIONS, seed: 43 });
    expect(others.map((product) => product.id)).not.toEqual(products.map((product) => product.id));
    expect(others.map((product) => product.priceCents)).not.toEqual(products.map((product) => product.priceCents));
    expect(others.map((product) => product.name)).not.toEqual(products.map((product) => product.name));
  });

  it('returns as many products as asked for, none for an empty catalog', () => {
    expect(createDemoProducts(DEFAULT_SEED_OPTIONS)).toHaveLength(400);
    expect(createDemoProducts({ ...DEFAULT_SEED_OPTIONS, products: 3 })).toHaveLength(3);
    expect(createDemoProducts({ ...DEFAULT_SEED_OPTIONS, products: 0, orders: 0 })).toEqual([]);
  });

  it('gives products unique ids and SKUs and spreads them over every category', () => {
    const products = createDemoProducts(DEFAULT_SEED_OPTIONS);
    const categories = createDemoCategories();
    expect(new Set(products.map((product) => product.id)).size).toBe(products.length);
    expect(new Set(products.map((product) => product.sku)).size).toBe(products.length);
    expect(new Set(products.map((product) => product.categoryId))).toEqual(new Set(categories.map((category) => category.id)));
  });

  it('fills in plausible names, SKUs, prices, stock and dates', () => {
    const products = createDemoProducts(DEFAULT_SEED_OPTIONS);
    for (const product of products) {
      expect(product.sku).toMatch(/^[A-Z]{4}-\d{6}$/);
      expect(product.name.length).toBeGreaterThan(3);
      expect(product.description.length).toBeGreaterThan(product.name.length);
      expect(Number.isInteger(product.priceCents)).toBe(true);
      expect(product.priceCents).toBeGreaterThanOrEqual(199);
      expect(product.priceCents).toBeLessThanOrEqual(99_999);
      expect(product.currency).toBe('USD');
      expect(Number.isInteger(product.stock)).toBe(true);
      expect(product.stock).toBeGreaterThanOrEqual(0);
      expect(product.stock).toBeLessThanOrEqual(200);
      expect(product.createdAt.getTime()).toBeLessThan(DEMO_EPOCH.getTime());
    }
    const soldOut = products.filter((product) => product.stock === 0).length;
    expect(soldOut).toBeGreaterThan(0);
    expect(soldOut / products.length).toBeLessThan(0.1);
  });

  it('keeps a product the same whatever the size of the catalog', () => {
    const small = createDemoProducts({ ...DEFAULT_SEED_OPTIONS, products: 25 });
    expect(createDemoProducts(DEFAULT_SEED_OPTIONS).slice(0, 25)).toEqual(small);
  });
});

describe('generateDemoProducts', () => {
  it('yields the products of createDemoProducts one at a time, without building the catalog first', () => {
    expect([...generateDemoProducts(DEFAULT_SEED_OPTIONS)]).toEqual(createDemoProducts(DEFAULT_SEED_OPTIONS));
    // A million-product catalog gives its first products without generating the rest.
    const first = [];
    for (const product of generateDemoProducts({ ...DEFAULT_SEED_OPTIONS, products: 1_000_000 })) {
      first.push(product);
      if (first.length === 25) break;
    }
    expect(first).toEqual(createDemoProducts({ ...DEFAULT_SEED_OPTIONS, products: 25 }));
  });
});
