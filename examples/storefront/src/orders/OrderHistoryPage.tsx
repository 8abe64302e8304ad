import { useQuery } from '@apollo/client/react';
import { OrderHistoryDocument } from '../../../../operations/__generated__/graphql';
import { useSession } from '../auth/use-session';
import { ErrorAlert } from '../errors/ErrorAlert';
import { formatMoney } from '../money';
import { CancelOrderButton } from './CancelOrderButton';

const ORDERS_SHOWN = 20;

/** The signed-in customer's orders, newest first, with their lines; a confirmed one can be cancelled. */
function OrderHistory() {
  // cache-and-network: the cached list shows at once, and the network adds orders placed since.
  const { data, error } = useQuery(OrderHistoryDocument, {
    variables: { first: ORDERS_SHOWN },
    fetchPolicy: 'cache-and-network',
  });
  const orders = data?.me?.orders;

  if (error) return <ErrorAlert error={error} testId="orders-error" />;
  if (!orders) return <p role="status">Loading your orders…</p>;
  return (
    <>
      <p data-testid="orders-count">
        {orders.totalCount} orders{orders.totalCount > orders.nodes.length ? `, the latest ${orders.nodes.length} shown` : ''}
      </p>
      <ul aria-label="Orders" className="orders">
        {orders.nodes.map((order) => (
          <li key={order.id} data-testid="order" data-order-id={order.id}>
            <h2>Order {order.id}</h2>
            <p>
              <span data-testid="order-status">{order.status}</span>, placed {new Date(order.createdAt).toLocaleString('en-US')},{' '}
              {formatMoney(order.total)}
            </p>
            <ul aria-label={`Lines of order ${order.id}`}>
              {order.items.map((item, index) => (
                // A product that left the catalog (or an outage of products) is null: the line still shows.
                <li key={item.product?.id ?? index}>
                  {item.quantity} × {item.product?.name ?? 'a product no longer available'}
                </li>
              ))}
            </ul>
            {order.status === 'CONFIRMED' && <CancelOrderButton orderId={order.id} />}
          </li>
        ))}
      </ul>
    </>
  );
}

export function OrderHistoryPage() {
  const session = useSession();
  return (
    <section aria-labelledby="orders-heading">
      <h1 id="orders-heading">Your orders</h1>
      {session ? <OrderHistory /> : <p data-testid="sign-in-to-see-orders">Sign in to see your orders.</p>}
    </section>
  );
}
