import {
  encodeCursor,
  readPageWindow,
  type ArgumentSource,
  type ConnectionArguments,
  type PageWindow,
} from '@supergraph/server-kit/graphql';
import type { ProductCursor } from '../catalog/product-store.js';
import type { ProductRow } from '../db/tables/index.js';

/** The catalog's cursor is the (name, id) sort key of a product. */
export function toProductCursor(product: ProductRow): string {
  return encodeCursor([product.name, product.id]);
}

/** Reads the page arguments of a product connection: 20 forward unless `first` or `last` says otherwise. */
export function readProductPageWindow(args: ConnectionArguments, info: ArgumentSource): PageWindow<ProductCursor> {
  return readPageWindow(args, info, { cursor: ['string', 'string'] });
}
