import type { Faker } from '@faker-js/faker';
import { CATEGORY_SPECS, getDemoCategoryId, type CategorySpec } from './categories.js';
import { DAY_SECONDS, DEMO_EPOCH, createEntityFaker, deriveEntityId, drawDurationMs, seedFakerForEntity } from './entity-seed.js';
import { validateSeedOptions, type SeedOptions } from './seed-options.js';

export interface DemoProduct {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: 'USD';
  categoryId: string;
  stock: number;
  createdAt: Date;
}

const MIN_PRICE_CENTS = 199;
const MAX_PRICE_CENTS = 99_999;
const MAX_STOCK = 200;
const SOLD_OUT_SHARE = 0.05;
// Prices end the way shop prices do: mostly .99, sometimes .49, .95 or a round number.
const PRICE_ENDINGS = [
  { weight: 6, value: 99 },
  { weight: 2, value: 49 },
  { weight: 1, value: 95 },
  { weight: 1, value: 0 },
];
const CLOSING_SENTENCES = [
  'Ships within two business days.',
  'Free returns within 30 days.',
  'A customer favourite.',
  'Ships in plastic-free, recyclable packaging.',
  'Backed by our satisfaction guarantee.',
  'Back by popular demand.',
];

/**
 * Creates the product catalog: `options.products` products, dealt round-robin over the categories
 * so every category has some as soon as there are as many products as categories.
 */
export function createDemoProducts(options: SeedOptions): DemoProduct[] {
  return Array.from(generateDemoProducts(options));
}

/**
 * Yields the products of `createDemoProducts(options)` one at a time, in the same order, so a seed
 * of a million products holds one batch in memory, not the catalog.
 */
export function* generateDemoProducts(options: SeedOptions): Generator<DemoProduct, void, undefined> {
  validateSeedOptions(options);
  const faker = createEntityFaker();
  for (let index = 0; index < options.products; index += 1) yield generateProduct(faker, options.seed, index);
}

/** Derives the id of the product at `index` in the catalog of this seed. */
export function getDemoProductId(options: Pick<SeedOptions, 'seed'>, index: number): string {
  return deriveEntityId(options.seed, 'product', index);
}

/**
 * Draws the price of the product at `index` from a stream of its own, so the orders seed can price
 * its lines without generating the rest of the product (and without depending on the order in which
 * the product generator draws its other fields).
 */
export function drawProductPriceCents(faker: Faker, seed: number, index: number): number {
  const { priceCents } = selectCategorySpec(index);
  seedFakerForEntity(faker, seed, 'product-price', index);
  // Log-uniform: a catalog has many more $12 items than $900 ones.
  const logPrice = faker.number.float({ min: Math.log(priceCents.min), max: Math.log(priceCents.max) });
  const dollars = Math.floor(Math.exp(logPrice) / 100);
  const cents = dollars * 100 + faker.helpers.weightedArrayElement(PRICE_ENDINGS);
  return Math.min(MAX_PRICE_CENTS, Math.max(MIN_PRICE_CENTS, cents));
}

function generateProduct(faker: Faker, seed: number, index: number): DemoProduct {
  const spec = selectCategorySpec(index);
  const priceCents = drawProductPriceCents(faker, seed, index);
  seedFakerForEntity(faker, seed, 'product', index);
  const { name, description } = spec.slug === 'books' ? describeBook(faker, spec) : describeGoods(faker, spec);
  const isSoldOut = faker.number.float() < SOLD_OUT_SHARE;
  const stock = isSoldOut ? 0 : faker.number.int({ min: 1, max: MAX_STOCK });
  // Two to three years back: the catalog predates every customer account, hence every order.
  const age = drawDurationMs(faker, 730 * DAY_SECONDS, 1095 * DAY_SECONDS);
  return {
    id: getDemoProductId({ seed }, index),
    sku: `${spec.skuPrefix}-${String(index + 1).padStart(6, '0')}`,
    name,
    description,
    priceCents,
    currency: 'USD',
    categoryId: getDemoCategoryId(spec.slug),
    stock,
    createdAt: new Date(DEMO_EPOCH.getTime() - age),
  };
}

function selectCategorySpec(index: number): CategorySpec {
  const spec = CATEGORY_SPECS[index % CATEGORY_SPECS.length];
  if (!spec) throw new Error('The category list is empty');
  return spec;
}

function describeBook(faker: Faker, spec: CategorySpec): { name: string; description: string } {
  const title = faker.book.title();
  const format = faker.helpers.arrayElement(spec.modifiers);
  const pages = faker.number.int({ min: 12, max: 90 }) * 10;
  const genre = faker.book.genre().toLowerCase();
  return {
    name: `${title} (${format})`,
    description: `${title} by ${faker.book.author()}, a much-loved ${genre} title. ${format}, ${pages} pages, published by ${faker.book.publisher()}.`,
  };
}

function describeGoods(faker: Faker, spec: CategorySpec): { name: string; description: string } {
  const name = `${faker.helpers.arrayElement(spec.brands)} ${faker.helpers.arrayElement(spec.modifiers)} ${faker.helpers.arrayElement(spec.nouns)}`;
  const [firstFeature, secondFeature] = faker.helpers.arrayElements(spec.features, 2);
  const closing = faker.helpers.arrayElement(CLOSING_SENTENCES);
  return { name, description: `${name}, with ${firstFeature} and ${secondFeature}. ${closing}` };
}
