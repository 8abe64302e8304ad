import { afterAll, beforeAll, describe } from 'vitest';
import type { Dialect } from '../db/database.js';
import { testDialects } from './subgraph-harness.js';

/** What a dialect suite asks of a harness: that it can be closed. */
export interface ClosableHarness {
  close(): Promise<void>;
}

/** Declares a suite's tests over `harness`, for the pass on `dialect`. */
export type DefineDialectSuite<THarness> = (harness: THarness, dialect: Dialect) => void;

/**
 * A `describe` for one subgraph's operation suites, from the function that makes its harness:
 * `describeX(title, options, define)` declares define's tests once per dialect this run covers,
 * titled `<title> on sqlite`, `<title> on postgres`, each pass over a harness of its own, made by
 * `create(dialect, options)` before the pass's first test and closed after its last.
 *
 * `define` runs while vitest collects the tests, before any harness exists, so it is handed a
 * stand-in it can keep: once the tests run, whatever is read from it is read from the pass's
 * harness (methods bound to it). Reading it before then throws.
 */
export function createDialectDescribe<TOptions, THarness extends ClosableHarness>(
  create: (dialect: Dialect, options: TOptions) => Promise<THarness>,
) {
  return (title: string, options: TOptions, define: DefineDialectSuite<THarness>): void => {
    describe.each(testDialects())(`${title} on %s`, (dialect) => {
      let current: THarness | undefined;
      beforeAll(async () => {
        current = await create(dialect, options);
      });
      afterAll(() => current?.close());
      define(
        standInFor(() => {
          if (!current) throw new Error(`the harness of "${title} on ${dialect}" is read before its beforeAll made it`);
          return current;
        }),
        dialect,
      );
    });
  };
}

/** An object that reads every property from what `read` returns at the moment of reading. */
function standInFor<T extends object>(read: () => T): T {
  return new Proxy({} as T, {
    get: (_target, key) => {
      const target = read();
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (_target, key) => Reflect.has(read(), key),
  });
}
