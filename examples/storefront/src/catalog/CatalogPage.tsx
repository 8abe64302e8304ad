import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { CatalogPageDocument, type ProductFilter } from '../../../../operations/__generated__/graphql';
import { AddToCartButton } from '../cart/AddToCartButton';
import { ErrorAlert } from '../errors/ErrorAlert';
import { formatMoney } from '../money';
import { hrefOf } from '../routing/route';
import { CatalogFilters, type CatalogFilter } from './CatalogFilters';

const PAGE_SIZE = 12;

// Only the conditions the customer set: an absent field does not filter, and the cache keys the
// list by this object (relayStylePagination(['filter']) in apollo/cache.ts).
function toProductFilter({ search, categoryId }: CatalogFilter): ProductFilter {
  return { ...(search ? { search } : {}), ...(categoryId ? { categoryId } : {}) };
}

/** The catalog: filters, one page of products, and "Load more" for the next page of the same list. */
export function CatalogPage() {
  const [filter, setFilter] = useState<CatalogFilter>({ search: '', categoryId: '' });
  const { data, error, fetchMore, networkStatus } = useQuery(CatalogPageDocument, {
    variables: { first: PAGE_SIZE, filter: toProductFilter(filter) },
  });
  const [loadMoreError, setLoadMoreError] = useState<unknown>();
  const products = data?.products;
  const isLoadingMore = networkStatus === NetworkStatus.fetchMore;

  function loadMore(after: string | null) {
    setLoadMoreError(undefined);
    fetchMore({ variables: { after } }).catch(setLoadMoreError);
  }

  return (
    <section aria-labelledby="catalog-heading">
      <h1 id="catalog-heading">Catalog</h1>
      <CatalogFilters filter={filter} onChange={setFilter} />
      {error && <ErrorAlert error={error} testId="catalog-error" />}
      {!products && !error && <p role="status">Loading products…</p>}
      {products && (
        <>
          <p data-testid="catalog-count">
            Showing {products.edges.length} of {products.totalCount} products
          </p>
          <ul aria-label="Products" className="products">
            {products.edges.map(({ node: product }) => (
              <li key={product.id} data-testid="product-card" data-product-id={product.id}>
                <a href={hrefOf({ page: 'product', productId: product.id })}>{product.name}</a>
                <span>{formatMoney(product.price)}</span>
                <span>{product.inStock ? `${product.stock} in stock` : 'Sold out'}</span>
                <AddToCartButton product={product} />
              </li>
            ))}
          </ul>
          {products.pageInfo.hasNextPage && (
            <button
              type="button"
              disabled={isLoadingMore}
              aria-busy={isLoadingMore}
              onClick={() => loadMore(products.pageInfo.endCursor)}
            >
              Load more
            </button>
          )}
          {loadMoreError !== undefined && <ErrorAlert error={loadMoreError} testId="load-more-error" />}
        </>
      )}
    </section>
  );
}
