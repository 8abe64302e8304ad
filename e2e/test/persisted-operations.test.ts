import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listedOperation, PERSISTED_QUERY_LIST_PATH } from './support/persisted-query-list.js';
import { requestIdOf, type ServiceProcess } from './support/processes.js';
import { startStack, type Stack } from './support/stack.js';

// The stack's router runs with the default settings (automatic persisted queries, no safelist); a
// second router on the same subgraphs runs with PERSISTED_OPERATIONS=safelist and the persisted
// query list `npm run codegen` generates from operations/. The operations used here only need the
// products subgraph.
const { id: categoriesHash, body: categoriesText } = listedOperation('Categories');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persistedQuery = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

let stack: Stack;
let router: ServiceProcess;
let safelistRouter: ServiceProcess;
let products: ServiceProcess;

beforeAll(async () => {
  stack = await startStack({ dialect: 'sqlite', seedArgs: ['--customers', '3', '--products', '40', '--orders', '5'] });
  router = stack.router;
  products = stack.subgraphs.products;
  safelistRouter = await stack.startRouter({
    PERSISTED_OPERATIONS: 'safelist',
    PERSISTED_OPERATIONS_MANIFEST: PERSISTED_QUERY_LIST_PATH,
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function post(service: ServiceProcess, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

async function get(service: ServiceProcess, params: Record<string, unknown>) {
  const search = new URLSearchParams(
    Object.entries(params).map(([name, value]): [string, string] => [
      name,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
  const response = await fetch(`${service.url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
  return {
    status: response.status,
    body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] },
  };
}

/** Access-log lines the products subgraph has written for one request id. */
const productsLinesFor = (requestId: string) => products.logs.filter((line) => requestIdOf(line) === requestId);

describe('automatic persisted queries through the router', () => {
  it('asks for the text of an unknown hash, registers it with the text, then runs it by hash alone', async () => {
    const query = `query ApqRoundTrip { categories { slug } } # ${Date.now()}`;
    const hash = sha256(query);

    const unknown = await post(router, { extensions: persistedQuery(hash) });
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({
        message: 'PersistedQueryNotFound',
        extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }),
      }),
    ]);

    const registered = await post(router, { query, extensions: persistedQuery(hash) });
    expect(registered.status).toBe(200);
    expect(registered.body.errors).toBeUndefined();
    expect(registered.body.data.categories.length).toBeGreaterThan(0);

    const byHash = await post(router, { extensions: persistedQuery(hash) });
    expect(byHash).toEqual(registered);
  });

  it('refuses a hash that does not match the text sent with it, so a known hash cannot carry another operation', async () => {
    const { status, body } = await post(router, { query: '{ categories { slug } }', extensions: persistedQuery(categoriesHash) });

    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
  });

  it('runs any operation when the safelist is off', async () => {
    const { status, body } = await post(router, { query: '{ categories { name } }' });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });
});

describe('PERSISTED_OPERATIONS=safelist', () => {
  it('refuses an operation that is not in the manifest with 400 and PERSISTED_QUERY_NOT_IN_SAFELIST, before calling a subgraph', async () => {
    const requestId = `unlisted-${Date.now()}`;
    const before = await stack.subgraphOperations();

    const { status, body } = await post(safelistRouter, { query: '{ categories { name } }' }, { 'x-request-id': requestId });

    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [
        {
          message: expect.stringContaining('persisted-operations manifest'),
          extensions: { code: 'PERSISTED_QUERY_NOT_IN_SAFELIST' },
        },
      ],
    });
    // Had products been called, it would have counted the operation before answering the router.
    expect(await stack.subgraphOperations()).toBe(before);
    expect(productsLinesFor(requestId)).toEqual([]);
  });

  it('refuses an unlisted hash, an unlisted query registered through automatic persisted queries, and an unlisted GET', async () => {
    const query = '{ categories { id } }';

    const byHash = await post(safelistRouter, { extensions: persistedQuery(sha256(query)) });
    const registering = await post(safelistRouter, { query, extensions: persistedQuery(sha256(query)) });
    const overGet = await get(safelistRouter, { query });

    for (const refused of [byHash, registering, overGet]) {
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_SAFELIST');
    }
  });

  it('runs a listed operation sent by hash alone, over POST and GET', async () => {
    const requestId = `listed-${Date.now()}`;

    const overPost = await post(
      safelistRouter,
      { variables: { productsPerCategory: 2 }, extensions: persistedQuery(categoriesHash) },
      { 'x-request-id': requestId },
    );
    const overGet = await get(safelistRouter, {
      variables: { productsPerCategory: 2 },
      extensions: persistedQuery(categoriesHash),
    });

    expect(overPost.status).toBe(200);
    expect(overPost.body.errors).toBeUndefined();
    expect(overPost.body.data.categories.length).toBeGreaterThan(0);
    expect(overPost.body.data.categories[0].products.nodes.length).toBeLessThanOrEqual(2);
    expect(overGet.body).toEqual(overPost.body);
    // The access log line is written once the response has finished, which may be after the router has its answer.
    await products.waitForLog(`the access log line of ${requestId}`, (line) => requestIdOf(line) === requestId);
    expect(productsLinesFor(requestId)).toHaveLength(1);
  });

  it('runs a listed operation sent as its full text, also reformatted, with or without its hash', async () => {
    expect(categoriesText).toContain('__typename');
    const reformatted = `# the catalog menu\n${categoriesText.replace(/\s+/g, ' ')}`;

    const responses = [
      await post(safelistRouter, { query: categoriesText }),
      await post(safelistRouter, { query: categoriesText, extensions: persistedQuery(categoriesHash) }),
      await post(safelistRouter, { query: reformatted }),
    ];

    for (const { status, body } of responses) {
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.categories.length).toBeGreaterThan(0);
    }
  });

  it('still serves Apollo Sandbox, which runs no operation', async () => {
    const response = await fetch(safelistRouter.url, { headers: { accept: 'text/html' } });

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('embeddable-sandbox');
  });
});
