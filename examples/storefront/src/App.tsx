import { AccountPanel } from './auth/AccountPanel';
import { useCart } from './cart/cart-context';
import { CartPage } from './cart/CartPage';
import { CatalogPage } from './catalog/CatalogPage';
import { OrderHistoryPage } from './orders/OrderHistoryPage';
import { ProductPage } from './product/ProductPage';
import { hrefOf, useRoute, type Route } from './routing/route';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'catalog':
      return <CatalogPage />;
    case 'product':
      // Keyed by product, so that moving from one product to another starts the page afresh.
      return <ProductPage key={route.productId} productId={route.productId} />;
    case 'cart':
      return <CartPage />;
    case 'orders':
      return <OrderHistoryPage />;
  }
}

/** The header (navigation, cart size, account) over the page the URL names. */
export function App() {
  const route = useRoute();
  const { lines } = useCart();
  const itemCount = lines.reduce((count, line) => count + line.quantity, 0);

  return (
    <>
      <header>
        <nav aria-label="Main">
          <a href={hrefOf({ page: 'catalog' })} aria-current={route.page === 'catalog' ? 'page' : undefined}>
            Catalog
          </a>
          <a href={hrefOf({ page: 'cart' })} aria-current={route.page === 'cart' ? 'page' : undefined}>
            Cart (<span data-testid="cart-count">{itemCount}</span>)
          </a>
          <a href={hrefOf({ page: 'orders' })} aria-current={route.page === 'orders' ? 'page' : undefined}>
            Orders
          </a>
        </nav>
        <AccountPanel />
      </header>
      <main>
        <Page route={route} />
      </main>
    </>
  );
}
