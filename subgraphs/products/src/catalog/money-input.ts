import { BadUserInputError, getMinorUnitDigits, type StoredMoney } from '@supergraph/server-kit/graphql';

/** Digits, optionally a point and more digits: no sign, exponent, spaces, grouping or leading zeros. */
const DECIMAL_AMOUNT = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;
/** Longer than any amount worth parsing; checked first so a huge string costs nothing. */
const MAX_AMOUNT_LENGTH = 32;

/** The ISO 4217 codes of currencies in use (no test or precious-metal codes), as ICU knows them. */
const CURRENCY_CODES = new Set(Intl.supportedValuesOf('currency'));

/** A currency code as ISO 4217 writes it ("USD"); `field` names it in the error. */
export function readCurrencyCode(code: string, field: string): string {
  if (!CURRENCY_CODES.has(code)) {
    throw new BadUserInputError(`${field} must be an ISO 4217 currency code such as USD.`, field);
  }
  return code;
}

/**
 * A `MoneyInput` as stored: the decimal string becomes an exact integer count of the currency's
 * minor unit ("19.99" USD -> 1999), with string and integer arithmetic only, never a float. An amount
 * with more decimals than the currency has ("1.5" JPY, "1.999" USD) is refused, not rounded.
 * `field` is the input's path ("input.price"); errors name `<field>.currency` or `<field>.amount`.
 */
export function readMoneyInput(input: { amount: string; currency: string }, field: string): StoredMoney {
  const currency = readCurrencyCode(input.currency, `${field}.currency`);
  const amountField = `${field}.amount`;
  const match = input.amount.length <= MAX_AMOUNT_LENGTH ? DECIMAL_AMOUNT.exec(input.amount) : null;
  if (!match) {
    throw new BadUserInputError(`${amountField} must be a decimal string such as "19.99".`, amountField);
  }
  const [, whole = '0', fraction = ''] = match;
  const digits = getMinorUnitDigits(currency);
  if (fraction.length > digits) {
    const allowed = digits === 0 ? 'no decimals' : `at most ${digits} decimal${digits === 1 ? '' : 's'}`;
    throw new BadUserInputError(`${amountField} may have ${allowed} in ${currency}.`, amountField);
  }
  const amountMinor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (amountMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new BadUserInputError(`${amountField} is too large.`, amountField);
  }
  return { amountMinor: Number(amountMinor), currency };
}
