/** Money as the API sends it: `amount` a decimal string ("19.99"), never a float. */
export interface Money {
  amount: string;
  currency: string;
}

/**
 * "$19.99". Intl formats the decimal string as it is, so no float ever holds the amount. The locale
 * is fixed so that every visitor (and every test) reads the same text.
 */
export function formatMoney({ amount, currency }: Money): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount as `${number}`);
}
