import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERIC_ERROR_CODES } from '@supergraph/server-kit/graphql';
import { describe, expect, it } from 'vitest';
import { ROUTER_ERROR_CODES } from '../../router/src/errors.js';
import { ORDERS_ERROR_CODES } from '../../subgraphs/orders/src/errors.js';
import { PRODUCTS_ERROR_CODES } from '../../subgraphs/products/src/errors.js';
import { USERS_ERROR_CODES } from '../../subgraphs/users/src/errors.js';
import { REPO_ROOT } from './support/processes.js';

// docs/errors.md is the clients' list of every code; each service's closed list in its src/errors.ts
// is what the code can answer. A code added to one and not the other fails here.

const DECLARED: Record<string, readonly string[]> = {
  any: GENERIC_ERROR_CODES,
  router: ROUTER_ERROR_CODES,
  users: USERS_ERROR_CODES,
  products: PRODUCTS_ERROR_CODES,
  orders: ORDERS_ERROR_CODES,
};

/** The rows of the table in docs/errors.md: each code and the service the "answered by" column names. */
function readDocumentedCodes(): { code: string; answeredBy: string }[] {
  const text = readFileSync(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
  return [...text.matchAll(/^\| `([A-Z_]+)` +\| ([a-z]+) +\|/gm)].map(([, code, answeredBy]) => ({
    code: code!,
    answeredBy: answeredBy!,
  }));
}

describe('docs/errors.md', () => {
  const documented = readDocumentedCodes();

  it('lists every code each service declares, once, under that service', () => {
    const declared = Object.entries(DECLARED).flatMap(([answeredBy, codes]) => codes.map((code) => ({ code, answeredBy })));
    const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);

    expect(documented.length).toBeGreaterThan(0);
    expect([...documented].sort(byCode)).toEqual(declared.sort(byCode));
  });

  it('declares each code in one list only', () => {
    const all = Object.values(DECLARED).flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
