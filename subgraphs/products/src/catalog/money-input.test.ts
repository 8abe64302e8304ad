import { describe, expect, it } from 'vitest';
import { readMoneyInput } from './money-input.js';

describe('readMoneyInput', () => {
  it.each([
    ['19.99', 'USD', 1999],
    ['19.9', 'USD', 1990],
    ['19', 'USD', 1900],
    ['0.01', 'USD', 1],
    ['1500', 'JPY', 1500],
    ['1.234', 'KWD', 1234],
    ['9007199254740.99', 'USD', 900_719_925_474_099],
  ])('reads %s %s as %i minor units, exactly', (amount, currency, amountMinor) => {
    expect(readMoneyInput({ amount, currency }, 'price')).toEqual({ amountMinor, currency });
  });

  it.each([
    ['19.999', 'USD', 'price.amount', 'price.amount may have at most 2 decimals in USD.'],
    ['1.5', 'JPY', 'price.amount', 'price.amount may have no decimals in JPY.'],
    ['.5', 'USD', 'price.amount', 'price.amount must be a decimal string such as "19.99".'],
    ['5.', 'USD', 'price.amount', 'price.amount must be a decimal string such as "19.99".'],
    ['+5', 'USD', 'price.amount', 'price.amount must be a decimal string such as "19.99".'],
    ['90071992547410', 'USD', 'price.amount', 'price.amount is too large.'],
    ['1.00', 'US', 'price.currency', 'price.currency must be an ISO 4217 currency code such as USD.'],
    ['1.00', 'XTS', 'price.currency', 'price.currency must be an ISO 4217 currency code such as USD.'],
  ])('refuses %s %s naming %s', (amount, currency, field, message) => {
    expect(() => readMoneyInput({ amount, currency }, 'price')).toThrow(
      expect.objectContaining({ message, extensions: { code: 'BAD_USER_INPUT', argumentName: field } }),
    );
  });
});
