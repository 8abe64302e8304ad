import { useSyncExternalStore } from 'react';

// Hash routes (#/products/<id>), so that every page works from `vite preview` or any static host
// without a server-side fallback, and a test can open a page by its URL.

export type Route = { page: 'catalog' } | { page: 'product'; productId: string } | { page: 'cart' } | { page: 'orders' };

/** The href of a route, for <a href>. */
export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'catalog':
      return '#/';
    case 'product':
      return `#/products/${encodeURIComponent(route.productId)}`;
    case 'cart':
      return '#/cart';
    case 'orders':
      return '#/orders';
  }
}

/** The route `hash` names; anything unknown is the catalog. */
export function parseRoute(hash: string): Route {
  const [, first, second] = hash.replace(/^#/, '').split('/');
  if (first === 'products' && second) return { page: 'product', productId: decodeURIComponent(second) };
  if (first === 'cart') return { page: 'cart' };
  if (first === 'orders') return { page: 'orders' };
  return { page: 'catalog' };
}

function subscribeToHash(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The current route; the component renders again when the hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribeToHash, () => window.location.hash);
  return parseRoute(hash);
}
