import { BadUserInputError, getMinorUnitDigits } from '@supergraph/server-kit/graphql';
import type { AddProductInput } from '../__generated__/resolvers-types.js';
import { UnknownCategoryError } from '../errors.js';
import { readMoneyInput } from './money-input.js';
import type { ProductFilter } from './product-store.js';

/** The catalog's SKU format: four capital letters, a hyphen and six digits (BOOK-000123). */
const SKU_PATTERN = /^[A-Z]{4}-[0-9]{6}$/;
const MAX_NAME_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 2_000;
/** Prices are below this many major units of their currency. */
const PRICE_LIMIT = 1_000_000;
const MAX_STOCK = 1_000_000;
/** Longest catalog search text, in characters. */
const MAX_SEARCH_LENGTH = 100;

/** What a valid AddProductInput becomes: the columns of a new product, before the database checks. */
export interface NewProductFields {
  sku: string;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  categoryId: string;
  stock: number;
}

/**
 * Checks every field of `addProduct`'s input and returns the columns to store. The first bad field
 * throws BAD_USER_INPUT naming it (`input.sku`, `input.price.amount`, ...). That the SKU is free and
 * the category exists is for the database to say.
 */
export function readAddProductInput(input: AddProductInput): NewProductFields {
  if (!SKU_PATTERN.test(input.sku)) {
    throw new BadUserInputError(
      'input.sku must be four capital letters, a hyphen and six digits, as in BOOK-000123.',
      'input.sku',
    );
  }
  const name = readText(input.name, 'input.name', { min: 1, max: MAX_NAME_LENGTH });
  const description = readText(input.description, 'input.description', { min: 0, max: MAX_DESCRIPTION_LENGTH });
  const price = readMoneyInput(input.price, 'input.price');
  if (price.amountMinor <= 0) {
    throw new BadUserInputError('input.price.amount must be more than 0.', 'input.price.amount');
  }
  if (price.amountMinor >= PRICE_LIMIT * 10 ** getMinorUnitDigits(price.currency)) {
    throw new BadUserInputError(
      `input.price.amount must be less than ${PRICE_LIMIT.toLocaleString('en')}.`,
      'input.price.amount',
    );
  }
  if (input.categoryId.length === 0) throw new UnknownCategoryError();
  if (input.stock < 0 || input.stock > MAX_STOCK) {
    throw new BadUserInputError(`input.stock must be between 0 and ${MAX_STOCK.toLocaleString('en')}.`, 'input.stock');
  }
  return {
    sku: input.sku,
    name,
    description,
    priceMinor: price.amountMinor,
    currency: price.currency,
    categoryId: input.categoryId,
    stock: input.stock,
  };
}

/** Trimmed text of `min` to `max` characters (code points, so an emoji counts once). */
function readText(value: string, field: string, { min, max }: { min: number; max: number }): string {
  const trimmed = value.trim();
  const length = [...trimmed].length;
  if (length < min || length > max) {
    const range = min === 0 ? `at most ${max.toLocaleString('en')}` : `${min} to ${max.toLocaleString('en')}`;
    throw new BadUserInputError(`${field} must be ${range} characters long.`, field);
  }
  return trimmed;
}

/** The catalog filter of `Query.products`; BAD_USER_INPUT naming `filter.search` when it is too long. */
export function readProductFilter(filter: ProductFilter | null | undefined): ProductFilter {
  if ((filter?.search?.length ?? 0) > MAX_SEARCH_LENGTH) {
    throw new BadUserInputError(`filter.search must be at most ${MAX_SEARCH_LENGTH} characters.`, 'filter.search');
  }
  return { ...filter };
}
