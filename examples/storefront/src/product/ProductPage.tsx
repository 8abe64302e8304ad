import { useQuery } from '@apollo/client/react';
import { ProductDetailsDocument } from '../../../../operations/__generated__/graphql';
import { AddToCartButton } from '../cart/AddToCartButton';
import { ErrorAlert } from '../errors/ErrorAlert';
import { formatMoney } from '../money';
import { hrefOf } from '../routing/route';

/**
 * One product with its stock. The stock is read from the network every time the page opens
 * (cache-and-network): it changes with every checkout, the cached copy is shown meanwhile.
 */
export function ProductPage({ productId }: { productId: string }) {
  const { data, error } = useQuery(ProductDetailsDocument, {
    variables: { id: productId },
    fetchPolicy: 'cache-and-network',
  });
  const product = data?.product;

  return (
    <section aria-labelledby="product-heading">
      <a href={hrefOf({ page: 'catalog' })}>Back to the catalog</a>
      {error && <ErrorAlert error={error} testId="product-error" />}
      {!data && !error && <p role="status">Loading the product…</p>}
      {data && !product && <h1 id="product-heading">No such product</h1>}
      {product && (
        <article data-testid="product-details" data-product-id={product.id}>
          <h1 id="product-heading">{product.name}</h1>
          <p>{product.description}</p>
          <dl>
            <dt>Price</dt>
            <dd data-testid="product-price">{formatMoney(product.price)}</dd>
            <dt>Stock</dt>
            <dd data-testid="product-stock">{product.inStock ? `${product.stock} in stock` : 'Sold out'}</dd>
            <dt>Category</dt>
            <dd>{product.category.name}</dd>
            <dt>SKU</dt>
            <dd>{product.sku}</dd>
          </dl>
          <AddToCartButton product={product} />
        </article>
      )}
    </section>
  );
}
