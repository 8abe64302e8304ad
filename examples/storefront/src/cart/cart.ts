import type { Money } from '../money';

/** A product in the cart with the price it was shown at; checkout charges the catalog's price of the moment. */
export interface CartLine {
  productId: string;
  name: string;
  unitPrice: Money;
  quantity: number;
}

export type CartAction =
  | { type: 'add'; product: { id: string; name: string; price: Money } }
  | { type: 'setQuantity'; productId: string; quantity: number }
  | { type: 'remove'; productId: string }
  | { type: 'clear' };

/** The API takes 1 to 100 of a product per line. */
export const MAX_QUANTITY = 100;

/** The cart after `action`: adding a product twice raises its quantity, each product stays on one line. */
export function updateCart(lines: readonly CartLine[], action: CartAction): CartLine[] {
  switch (action.type) {
    case 'add': {
      const { product } = action;
      const existing = lines.find((line) => line.productId === product.id);
      if (!existing) return [...lines, { productId: product.id, name: product.name, unitPrice: product.price, quantity: 1 }];
      return updateCart(lines, { type: 'setQuantity', productId: product.id, quantity: existing.quantity + 1 });
    }
    case 'setQuantity': {
      const quantity = Math.min(Math.max(Math.trunc(action.quantity), 1), MAX_QUANTITY);
      return lines.map((line) => (line.productId === action.productId ? { ...line, quantity } : line));
    }
    case 'remove':
      return lines.filter((line) => line.productId !== action.productId);
    case 'clear':
      return [];
  }
}
