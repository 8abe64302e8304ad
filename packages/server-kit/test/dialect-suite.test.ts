import { afterAll, expect, it } from 'vitest';
import { createDialectDescribe, testDialects } from '../src/testing/index.js';

const made: string[] = [];
const closed: string[] = [];

/** A harness that only remembers its dialect and counts calls of one method. */
async function createCountingHarness(dialect: string, options: { label: string }) {
  made.push(dialect);
  return {
    dialect,
    options,
    calls: 0,
    count() {
      this.calls += 1;
      return this.calls;
    },
    close: async () => {
      closed.push(dialect);
    },
  };
}

const describeCounting = createDialectDescribe(createCountingHarness);

describeCounting('a suite', { label: 'counting' }, (harness, dialect) => {
  let readWhileCollecting: unknown;
  try {
    void harness.dialect;
  } catch (error) {
    readWhileCollecting = error;
  }

  it('is titled with its dialect and reads the harness made for that dialect with the options given, once', () => {
    expect(expect.getState().currentTestName).toContain(`a suite on ${dialect}`);
    expect(harness.dialect).toBe(dialect);
    expect(harness.options).toEqual({ label: 'counting' });
    expect(made.filter((name) => name === dialect)).toEqual([dialect]);
  });

  it('calls the harness’s methods on the harness, even taken off the stand-in', () => {
    // Taking the method off its object is the point here.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const { count } = harness;
    expect([count(), harness.count()]).toEqual([1, 2]);
    expect(harness.calls).toBe(2);
    expect('count' in harness).toBe(true);
  });

  it('refuses to be read while the tests are collected, before the harness exists', () => {
    expect(readWhileCollecting).toEqual(new Error(`the harness of "a suite on ${dialect}" is read before its beforeAll made it`));
  });
});

// Runs after every pass of the suite above has run its own afterAll.
afterAll(() => {
  expect(closed).toEqual(testDialects());
});
