import type { Money } from '../money';
import { useCart } from './cart-context';

interface AddToCartButtonProps {
  product: { id: string; name: string; price: Money; inStock: boolean };
}

/** "Add to cart", named after the product so that a screen reader (or a test) can tell the buttons apart. */
export function AddToCartButton({ product }: AddToCartButtonProps) {
  const { dispatch } = useCart();
  return (
    <button
      type="button"
      aria-label={`Add ${product.name} to cart`}
      disabled={!product.inStock}
      onClick={() => dispatch({ type: 'add', product })}
    >
      Add to cart
    </button>
  );
}
