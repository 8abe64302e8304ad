import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { CheckoutDocument } from '../../../../operations/__generated__/graphql';
import { useCart } from '../cart/cart-context';
import { formatMoney } from '../money';
import { hrefOf } from '../routing/route';
import { describeCheckoutFailure } from './checkout-errors';
import { useCheckoutAttempt } from './use-checkout-attempt';

// The payment sandbox's test tokens: one card that pays, one that is declined.
const PAYMENT_TOKENS = [
  { token: 'tok_visa', label: 'Test card that pays (tok_visa)' },
  { token: 'tok_chargeDeclined', label: 'Test card that is declined (tok_chargeDeclined)' },
] as const;

/** Places the cart as an order (Checkout) and shows how it ended: the order, or why not. */
export function CheckoutForm() {
  const { lines, dispatch } = useCart();
  const [paymentToken, setPaymentToken] = useState<string>(PAYMENT_TOKENS[0].token);
  const [checkout, { loading, data, error }] = useMutation(CheckoutDocument);
  const attempt = useCheckoutAttempt();
  const failure = error ? describeCheckoutFailure(error, lines) : undefined;

  async function placeOrder(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const items = lines.map(({ productId, quantity }) => ({ productId, quantity }));
    const idempotencyKey = attempt.keyFor({ items, paymentToken });
    try {
      await checkout({ variables: { items, idempotencyKey, paymentToken } });
      attempt.finish();
      dispatch({ type: 'clear' });
    } catch (checkoutError) {
      // The hook's `error` shows the failure; only a retryable one keeps the attempt (and its key).
      if (!describeCheckoutFailure(checkoutError, lines).isRetryable) attempt.finish();
    }
  }

  const order = data?.createOrder;
  return (
    <section aria-labelledby="checkout-heading">
      <h2 id="checkout-heading">Checkout</h2>
      {order && (
        <p role="status" data-testid="checkout-result" data-order-id={order.id} data-order-status={order.status}>
          Order {order.id} is {order.status}: {formatMoney(order.total)}. <a href={hrefOf({ page: 'orders' })}>See your orders</a>
        </p>
      )}
      {failure && (
        <p role="alert" className="error" data-testid="checkout-error" data-error-code={failure.code}>
          {failure.message}
        </p>
      )}
      {lines.length > 0 && (
        <form aria-label="Checkout" onSubmit={(event) => void placeOrder(event)}>
          <fieldset>
            <legend>Card</legend>
            {PAYMENT_TOKENS.map(({ token, label }) => (
              <label key={token}>
                <input
                  type="radio"
                  name="paymentToken"
                  value={token}
                  checked={paymentToken === token}
                  onChange={() => setPaymentToken(token)}
                />
                {label}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={loading} aria-busy={loading}>
            Place order
          </button>
        </form>
      )}
    </section>
  );
}
