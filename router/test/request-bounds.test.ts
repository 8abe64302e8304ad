import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { countExecutions, expectRefused, startRouter, stopRouter } from './limits-router.js';

// Each bound on one request, refused before anything executes (limits-router.ts wires the limits).
afterEach(stopRouter);

const nest = (levels: number) =>
  `{ categories { ${'products { nodes { category { '.repeat(levels)}id${' } } }'.repeat(levels)} } }`;

describe('request bounds', () => {
  it('runs an operation within every limit and answers with the RateLimit headers', async () => {
    const router = await startRouter();

    const { status, headers, body } = await router.post({ query: '{ categories { id name } }' });

    expect(status).toBe(200);
    expect(body).toEqual({ data: { categories: [{ id: '1', name: 'Books' }] } });
    expect(headers.get('ratelimit')).toBe('limit=300, remaining=299, reset=1');
    expect(headers.get('ratelimit-policy')).toBe('300;w=60');
  });

  it('refuses a query nested deeper than QUERY_MAX_DEPTH with 400 QUERY_TOO_DEEP', async () => {
    const router = await startRouter();
    // categories(1) + 3 × products/nodes/category + id = depth 11; two levels are depth 8.
    expect((await router.post({ query: nest(2) })).status).toBe(200);

    const { body } = await expectRefused(router, { query: nest(3) }, 400, 'QUERY_TOO_DEEP');
    expect(body.errors).toEqual([
      { message: 'Query depth limit of 10 exceeded, found 11.', extensions: { code: 'QUERY_TOO_DEEP', limit: 10 } },
    ]);
  });

  it('counts depth through fragments', async () => {
    const router = await startRouter({ QUERY_MAX_DEPTH: '4' });
    const query = `{ categories { ...C } } fragment C on Category { products { nodes { ... on Product { category { id } } } } }`;

    await expectRefused(router, { query }, 400, 'QUERY_TOO_DEEP');
  });

  it('refuses more aliases than QUERY_MAX_ALIASES with 400 TOO_MANY_ALIASES', async () => {
    const router = await startRouter();
    const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: categories { id }`).join(' ')} }`;
    expect((await router.post({ query: aliases(15) })).status).toBe(200);

    const { body } = await expectRefused(router, { query: aliases(16) }, 400, 'TOO_MANY_ALIASES');
    expect(body.errors[0].message).toBe('Aliases limit of 15 exceeded, found 16.');
  });

  it('refuses more directives than QUERY_MAX_DIRECTIVES with 400 TOO_MANY_DIRECTIVES', async () => {
    const router = await startRouter();
    const query = `{ categories { ${Array.from({ length: 21 }, () => 'id @include(if: true)').join(' ')} } }`;

    await expectRefused(router, { query }, 400, 'TOO_MANY_DIRECTIVES');
  });

  it('refuses more tokens than QUERY_MAX_TOKENS with 400 TOO_MANY_TOKENS, by POST and by GET', async () => {
    const router = await startRouter({ QUERY_MAX_TOKENS: '100' });
    // `{ categories {` and `} }` are 5 tokens: with 96 `id`s, 101.
    const query = `{ categories { ${'id '.repeat(96)}} }`;

    const { body } = await expectRefused(router, { query }, 400, 'TOO_MANY_TOKENS');
    expect(body.errors).toEqual([
      { message: 'The operation has more than 100 tokens, the limit.', extensions: { code: 'TOO_MANY_TOKENS', limit: 100 } },
    ]);
    const before = countExecutions();
    expect(await router.get(query)).toMatchObject({
      status: 400,
      body: { errors: [{ extensions: { code: 'TOO_MANY_TOKENS' } }] },
    });
    expect(countExecutions()).toBe(before);
    const fits = `# comments are not tokens\n{ categories { ${'id '.repeat(95)}} }`;
    expect((await router.post({ query: fits })).status).toBe(200);
    // A text that passed is remembered, one that did not is not: each answer stays the same when sent again.
    expect((await router.post({ query: fits })).status).toBe(200);
    await expectRefused(router, { query }, 400, 'TOO_MANY_TOKENS');
  });

  it.each(['first', 'last'])(
    'refuses `%s` above 100, as a literal or a variable, with 400 PAGE_SIZE_TOO_LARGE',
    async (argument) => {
      const router = await startRouter();

      const literal = await expectRefused(
        router,
        { query: `{ products(${argument}: 101) { totalCount } }` },
        400,
        'PAGE_SIZE_TOO_LARGE',
      );
      expect(literal.body.errors[0]).toEqual({
        message: `\`${argument}\` is 101 on products; a page holds at most 100.`,
        extensions: { code: 'PAGE_SIZE_TOO_LARGE', limit: 100 },
      });
      const query = `query Page($n: Int = 20) { categories { products(${argument}: $n) { totalCount } } }`;
      await expectRefused(router, { query, variables: { n: 1000 } }, 400, 'PAGE_SIZE_TOO_LARGE');
      expect((await router.post({ query, variables: { n: 100 } })).status).toBe(200);
      expect((await router.post({ query })).status).toBe(200);
    },
  );

  it('refuses a `last` above 100 beside a `first` that fits', async () => {
    const router = await startRouter();

    await expectRefused(router, { query: '{ products(first: 5, last: 101) { totalCount } }' }, 400, 'PAGE_SIZE_TOO_LARGE');
  });

  it('refuses a backward page whose estimated cost is above QUERY_MAX_COST, as it would a forward one', async () => {
    const router = await startRouter();
    const query = `{ users(last: 100) { nodes { orders(last: 100) { nodes { items { product { category {
      products(last: 100) { nodes { name } } } } } } } } } }`;

    const { body } = await expectRefused(router, { query }, 400, 'QUERY_TOO_COSTLY');
    expect(body.errors[0].message).toBe(
      "The operation's estimated cost is 10410201, above the limit of 10000: ask for smaller pages or fewer nested lists.",
    );
  });

  it('checks page sizes and cost with each request’s variables, also for an automatic persisted query sent by hash', async () => {
    const router = await startRouter();
    const query = 'query ByHash($n: Int) { products(first: $n) { totalCount } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    expect((await router.post({ query, variables: { n: 5 }, extensions })).status).toBe(200);

    expect((await router.post({ variables: { n: 5 }, extensions })).status).toBe(200);
    await expectRefused(router, { variables: { n: 101 }, extensions }, 400, 'PAGE_SIZE_TOO_LARGE');
    // Measures are remembered per document and variables: each set keeps its own verdict.
    expect((await router.post({ variables: { n: 5 }, extensions })).status).toBe(200);
    await expectRefused(router, { query, variables: { n: 101 } }, 400, 'PAGE_SIZE_TOO_LARGE');
  });

  it('refuses an operation whose estimated cost is above QUERY_MAX_COST with 400 QUERY_TOO_COSTLY', async () => {
    const router = await startRouter();
    const query = `{ users(first: 100) { nodes { orders(first: 100) { nodes { items { product { category {
      products(first: 100) { nodes { name } } } } } } } } } }`;

    const { body } = await expectRefused(router, { query }, 400, 'QUERY_TOO_COSTLY');
    expect(body.errors[0].message).toBe(
      "The operation's estimated cost is 10410201, above the limit of 10000: ask for smaller pages or fewer nested lists.",
    );
  });

  it('answers a body above REQUEST_BODY_LIMIT with 413 PAYLOAD_TOO_LARGE', async () => {
    const router = await startRouter({ REQUEST_BODY_LIMIT: '2kb' });

    await expectRefused(router, { query: `# ${'x'.repeat(2100)}\n{ categories { id } }` }, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('hides field suggestions in production', async () => {
    const router = await startRouter({}, { isProduction: true });

    const { status, body } = await router.post({ query: '{ categories { nam } }' });

    expect(status).toBe(400);
    expect(body.errors[0].message).not.toMatch(/Did you mean/);
  });
});
