/** Money as stored: an integer count of the currency's minor unit (cents), never a float. */
export interface StoredMoney {
  amountMinor: number;
  currency: string;
}

/** Money as the GraphQL `Money` type shows it: a decimal string in the major unit. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

const minorDigitsCache = new Map<string, number>();

/** Digits after the decimal point for an ISO 4217 currency (2 for USD, 0 for JPY, 3 for KWD). */
export function getMinorUnitDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

/** 1999 USD -> { amount: "19.99", currency: "USD" }, exactly, with integer arithmetic only. */
export function formatMoney(amountMinor: number, currency: string): MoneyValue {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`amount ${amountMinor} is not a whole number of minor units`);
  const digits = getMinorUnitDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor).toString();
  if (digits === 0) return { amount: `${sign}${abs}`, currency };
  const padded = abs.padStart(digits + 1, '0');
  return { amount: `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`, currency };
}
