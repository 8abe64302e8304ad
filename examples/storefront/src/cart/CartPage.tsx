import { CheckoutForm } from '../checkout/CheckoutForm';
import { useSession } from '../auth/use-session';
import { formatMoney } from '../money';
import { MAX_QUANTITY } from './cart';
import { useCart } from './cart-context';

/** The cart's lines with their quantities, then checkout for a signed-in customer. */
export function CartPage() {
  const { lines, dispatch } = useCart();
  const session = useSession();

  return (
    <section aria-labelledby="cart-heading">
      <h1 id="cart-heading">Cart</h1>
      {lines.length === 0 ? (
        <p data-testid="cart-empty">Your cart is empty.</p>
      ) : (
        <ul aria-label="Cart lines" className="cart-lines">
          {lines.map((line) => (
            <li key={line.productId} data-testid="cart-line" data-product-id={line.productId}>
              <span>{line.name}</span>
              <span>{formatMoney(line.unitPrice)} each</span>
              <input
                type="number"
                min={1}
                max={MAX_QUANTITY}
                value={line.quantity}
                aria-label={`Quantity of ${line.name}`}
                onChange={(event) =>
                  dispatch({ type: 'setQuantity', productId: line.productId, quantity: event.target.valueAsNumber || 1 })
                }
              />
              <button
                type="button"
                aria-label={`Remove ${line.name}`}
                onClick={() => dispatch({ type: 'remove', productId: line.productId })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {session ? <CheckoutForm /> : lines.length > 0 && <p data-testid="sign-in-to-check-out">Sign in to check out.</p>}
    </section>
  );
}
