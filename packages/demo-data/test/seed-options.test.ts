import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED_OPTIONS, createDemoOrders, parseSeedOptions } from '../src/index.js';

describe('parseSeedOptions', () => {
  it('returns the defaults when no flag is given', () => {
    expect(parseSeedOptions([])).toEqual({ customers: 60, products: 400, orders: 600, seed: 42 });
    expect(DEFAULT_SEED_OPTIONS).toEqual({ customers: 60, products: 400, orders: 600, seed: 42 });
  });

  it('reads every flag, separated or joined with =, and keeps defaults for the rest', () => {
    expect(parseSeedOptions(['--customers', '5', '--products=30', '--seed', '7'])).toEqual({
      customers: 5,
      products: 30,
      orders: 600,
      seed: 7,
    });
    expect(parseSeedOptions(['--orders', '0', '--products', '0', '--customers', '0'])).toEqual({
      customers: 0,
      products: 0,
      orders: 0,
      seed: 42,
    });
  });

  it('accepts values at their caps', () => {
    expect(parseSeedOptions(['--customers', '100000', '--products', '1000000', '--orders', '1000000'])).toMatchObject({
      customers: 100_000,
      products: 1_000_000,
      orders: 1_000_000,
    });
  });

  it.each([
    [['--customers', '-1'], /--customers.*"-1"/],
    [['--products', '1.5'], /--products.*"1\.5"/],
    [['--orders', 'many'], /--orders.*"many"/],
    [['--seed', '1e3'], /--seed.*"1e3"/],
    [['--seed='], /--seed.*""/],
    [['--customers', '--seed', '3'], /--customers.*"--seed"/],
  ])('rejects %j as not a non-negative integer, naming the flag and the value', (argv, message) => {
    expect(() => parseSeedOptions(argv)).toThrow(message);
  });

  it.each([
    [['--customers', '100001'], /--customers.*100000.*100001/],
    [['--products', '1000001'], /--products.*1000000.*1000001/],
    [['--orders', '1000001'], /--orders.*1000000.*1000001/],
    [['--seed', '9007199254740992'], /--seed.*9007199254740992/],
  ])('rejects %j as above its cap, naming the flag and the value', (argv, message) => {
    expect(() => parseSeedOptions(argv)).toThrow(message);
  });

  it('rejects orders from an empty catalog, naming --products', () => {
    expect(() => parseSeedOptions(['--products', '0'])).toThrow(/--products must be at least 1 when --orders.*got 0/);
  });

  it('rejects an unknown flag, naming it', () => {
    expect(() => parseSeedOptions(['--users', '5'])).toThrow(/Unknown flag --users/);
    expect(() => parseSeedOptions(['-c', '5'])).toThrow(/Unknown flag -c/);
  });

  it('rejects a flag without a value and a stray argument', () => {
    expect(() => parseSeedOptions(['--orders'])).toThrow(/--orders needs a value/);
    expect(() => parseSeedOptions(['500'])).toThrow(/Unexpected argument "500"/);
  });
});

describe('options passed in code', () => {
  it('are validated too, with a message naming the option', () => {
    expect(() => createDemoOrders({ ...DEFAULT_SEED_OPTIONS, products: 0 })).toThrow(/options\.products/);
    expect(() => createDemoOrders({ ...DEFAULT_SEED_OPTIONS, orders: -3 })).toThrow(/options\.orders.*-3/);
    expect(() => createDemoOrders({ ...DEFAULT_SEED_OPTIONS, customers: Number.NaN })).toThrow(/options\.customers/);
  });
});
