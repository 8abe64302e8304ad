import { InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

/**
 * Every entity the operations select has an `id`, so the cache normalizes Product, Category, Order
 * and User by it: a product's stock read on its page, or an order cancelled from the history, is
 * updated everywhere it is shown without a refetch.
 */
export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          // One list per filter: "Load more" (fetchMore with `after`) appends its edges to the list
          // of the same filter, and another search or category starts a list of its own. `first`
          // and `after` are paging arguments, not part of the key.
          products: relayStylePagination(['filter']),
        },
      },
    },
  });
}
