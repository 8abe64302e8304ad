import { randomUUID } from 'node:crypto';
import { DEMO_CUSTOMER_EMAIL } from '@supergraph/demo-data';
import { describe, expect, it } from 'vitest';
import {
  CatalogPageDocument,
  CategoriesDocument,
  LoginDocument,
  OrderHistoryDocument,
  UserOrdersDocument,
} from '../../operations/__generated__/graphql.js';
import { createExampleCall, createExampleCalls, DEMO_PASSWORD, listExampleOperationNames } from './support/example-operations.js';
import { LIMITS_CUSTOMER, LIMITS_SEED, postRaw, useLimitsStack } from './support/limits-stack.js';

// The router's bounds on an operation's shape and size, through real processes, with the default
// limits (its rate limits are in rate-limits.test.ts).
const limits = useLimitsStack();
const { expectRefused } = limits;
const seed = LIMITS_SEED;
const customer = LIMITS_CUSTOMER;

describe('request bounds at the router', () => {
  it('refuses a depth bomb with 400 QUERY_TOO_DEEP', async () => {
    const level = 'products { nodes { category { ';
    const query = `{ categories { ${level.repeat(5)}id${' } } }'.repeat(5)} } }`;

    const { body } = await expectRefused(() => limits.stack.query(query), 400, 'QUERY_TOO_DEEP');
    expect(body.errors[0].message).toBe('Query depth limit of 10 exceeded, found 17.');
  });

  it('refuses an alias bomb with 400 TOO_MANY_ALIASES', async () => {
    const query = `{ ${Array.from({ length: 50 }, (_, i) => `p${i}: product(id: "${i}") { name }`).join(' ')} }`;

    await expectRefused(() => limits.stack.query(query), 400, 'TOO_MANY_ALIASES');
  });

  it('refuses a directive bomb with 400 TOO_MANY_DIRECTIVES', async () => {
    const query = `{ categories { ${Array.from({ length: 30 }, () => 'name @skip(if: false)').join(' ')} } }`;

    await expectRefused(() => limits.stack.query(query), 400, 'TOO_MANY_DIRECTIVES');
  });

  it('refuses a cost bomb of nested connections with 400 QUERY_TOO_COSTLY', async () => {
    const query = `{ users(first: 100) { nodes { orders(first: 100) { nodes { items { product { category {
      products(first: 100) { nodes { name } } } } } } } } } }`;

    const { body } = await expectRefused(() => limits.stack.query(query), 400, 'QUERY_TOO_COSTLY');
    expect(body.errors[0].message).toMatch(/estimated cost is 10410201, above the limit of 10000/);
  });

  it('refuses `first: 101` with 400 PAGE_SIZE_TOO_LARGE, as a literal and as a variable', async () => {
    await expectRefused(() => limits.stack.query('{ products(first: 101) { totalCount } }'), 400, 'PAGE_SIZE_TOO_LARGE');
    const { body } = await expectRefused(
      () => limits.stack.query(CatalogPageDocument, { first: 101 }),
      400,
      'PAGE_SIZE_TOO_LARGE',
    );
    expect(body.errors?.[0]?.message).toBe('`first` is 101 on products; a page holds at most 100.');
  });

  it('refuses a token bomb with 400 TOO_MANY_TOKENS', async () => {
    const query = `{ categories { ${'__typename '.repeat(2000)}} }`;

    await expectRefused(() => limits.stack.query(query), 400, 'TOO_MANY_TOKENS');
  });

  it('refuses a body above 100kb with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ query: `# ${'x'.repeat(101 * 1024)}\n{ categories { id } }` });

    await expectRefused(() => postRaw(limits.stack.router.url, body), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('runs every operation in operations/, with its usual variables and with full pages, within the limits', async () => {
    const signedIn = await limits.stack.query(LoginDocument, { email: DEMO_CUSTOMER_EMAIL, password: DEMO_PASSWORD });
    const usual = createExampleCalls({
      seed,
      customerId: customer.id,
      refreshToken: signedIn.body.data!.login.refreshToken,
      idempotencyKey: randomUUID(),
    });
    expect(usual.map((call) => call.operationName).sort()).toEqual(listExampleOperationNames());
    const calls = [
      ...usual,
      // The paginated ones with their default page sizes, then with full pages.
      createExampleCall(CatalogPageDocument, {}),
      createExampleCall(OrderHistoryDocument, {}),
      createExampleCall(UserOrdersDocument, { userId: customer.id, first: 100 }),
      createExampleCall(CatalogPageDocument, { first: 100 }),
      createExampleCall(CategoriesDocument, { productsPerCategory: 100 }),
      createExampleCall(OrderHistoryDocument, { first: 100 }),
    ];
    const authorization = `Bearer ${(await limits.stack.keys.issue(customer)).token}`;
    const before = await limits.stack.subgraphOperations();

    for (const call of calls) {
      const { status, headers, body } = await call.send(limits.stack.query, { authorization });
      const { operationName, variables } = call;
      expect({ operationName, variables, status, errors: body.errors }).toEqual({
        operationName,
        variables,
        status: 200,
        errors: undefined,
      });
      expect(headers.get('ratelimit')).toMatch(/^limit=300, remaining=\d+, reset=\d+$/);
      expect(headers.get('ratelimit-policy')).toBe('300;w=60');
    }
    // The counters the refusals above leave unchanged do count operations that pass.
    expect(await limits.stack.subgraphOperations()).toBeGreaterThan(before);
  });
});
