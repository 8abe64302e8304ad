import { BadUserInputError } from '@supergraph/server-kit/graphql';

/**
 * The codes the products service's GraphQL API answers beyond the generic ones (GENERIC_ERROR_CODES
 * in server-kit): none. addProduct's refusals that need the database are generic BAD_USER_INPUT with
 * a class each, so that their message and `argumentName` are written once. The internal reservation
 * API's codes are not GraphQL codes: they are the contract's (RESERVATION_ERROR_STATUS in
 * @supergraph/contracts/reservations). Codes, messages and extension field names are a public
 * contract: never rename them.
 */
export const PRODUCTS_ERROR_CODES = [] as const;

export type ProductsErrorCode = (typeof PRODUCTS_ERROR_CODES)[number];

/** addProduct: no category has this id (BAD_USER_INPUT on `input.categoryId`). */
export class UnknownCategoryError extends BadUserInputError {
  constructor() {
    super('input.categoryId must be the id of an existing category.', 'input.categoryId');
  }
}

/** addProduct: another product already has this SKU (BAD_USER_INPUT on `input.sku`). */
export class SkuTakenError extends BadUserInputError {
  constructor(sku: string) {
    super(`input.sku ${sku} is already in the catalog.`, 'input.sku');
  }
}
