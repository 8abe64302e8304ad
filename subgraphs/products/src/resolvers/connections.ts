import { decodeCursor, encodeCursor, resolvePageSize } from '@supergraph/server-kit/graphql';
import type { ProductCursor } from '../catalog/product-store.js';
import type { ProductRow } from '../db/tables/index.js';

/** The catalog's cursor is the (name, id) sort key of the last product seen. */
export function toProductCursor(product: ProductRow): string {
  return encodeCursor([product.name, product.id]);
}

/** Validates `first` and `after` of a product connection. */
export function readProductPageArgs(args: { first?: number | null; after?: string | null }): {
  pageSize: number;
  after: ProductCursor | null;
} {
  return {
    pageSize: resolvePageSize(args.first),
    after: args.after ? decodeCursor(args.after, ['string', 'string'] as const) : null,
  };
}
