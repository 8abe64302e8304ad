import { createContext, use, useReducer, type Dispatch, type ReactNode } from 'react';
import { updateCart, type CartAction, type CartLine } from './cart';

interface CartState {
  lines: CartLine[];
  dispatch: Dispatch<CartAction>;
}

const CartContext = createContext<CartState | null>(null);

/** Holds the cart for the pages below it (in memory: a reload empties it). */
export function CartProvider({ children }: { children: ReactNode }) {
  const [lines, dispatch] = useReducer(updateCart, []);
  return <CartContext value={{ lines, dispatch }}>{children}</CartContext>;
}

export function useCart(): CartState {
  const cart = use(CartContext);
  if (!cart) throw new Error('useCart is used outside <CartProvider>');
  return cart;
}
