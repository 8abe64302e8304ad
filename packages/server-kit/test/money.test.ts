import { describe, expect, it } from 'vitest';
import { formatMoney } from '../src/graphql/money.js';

describe('formatMoney', () => {
  it('formats minor units as an exact decimal string in the currency major unit', () => {
    expect(formatMoney(1999, 'USD')).toEqual({ amount: '19.99', currency: 'USD' });
    expect(formatMoney(5, 'USD')).toEqual({ amount: '0.05', currency: 'USD' });
    expect(formatMoney(0, 'EUR')).toEqual({ amount: '0.00', currency: 'EUR' });
    expect(formatMoney(-250, 'USD')).toEqual({ amount: '-2.50', currency: 'USD' });
    expect(formatMoney(9_007_199_254_740_991, 'USD').amount).toBe('90071992547409.91');
  });

  it('uses the currency minor unit: none for JPY, three digits for KWD', () => {
    expect(formatMoney(1500, 'JPY')).toEqual({ amount: '1500', currency: 'JPY' });
    expect(formatMoney(1500, 'KWD')).toEqual({ amount: '1.500', currency: 'KWD' });
  });

  it('refuses a fractional amount rather than rounding it', () => {
    expect(() => formatMoney(19.99, 'USD')).toThrow(RangeError);
  });
});
