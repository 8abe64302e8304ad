import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@supergraph/server-kit/settings';
import { afterEach, describe, expect, it } from 'vitest';
import { REFUSAL_CODES } from '../src/metrics.js';
import { findSamples, parseSamples, valueOf } from './metrics-text.js';
import { post, scrapeMetrics, startRouter } from './router-harness.js';

// The router's own series as Prometheus scrapes them from /metrics (decision 025 names them):
// subgraph calls by outcome, refusals by code, the served supergraph, and bounded operation labels.

const CATEGORIES = { query: '{ categories { id } }' };

/** How the stand-in products subgraph answers: with data, with GraphQL errors, with HTTP 500, by hanging up, or never. */
type ProductsAnswer = 'data' | 'errors' | 'http-500' | 'hang-up' | 'never';

let products: http.Server | undefined;
let supergraphDir: string | undefined;
afterEach(() => {
  products?.closeAllConnections();
  products?.close();
  products = undefined;
  if (supergraphDir) rmSync(supergraphDir, { recursive: true, force: true });
  supergraphDir = undefined;
});

/** A products subgraph that answers `{ categories { id } }` as `answer()` says, each time it is called. */
async function startProducts(answer: () => ProductsAnswer): Promise<string> {
  products = http.createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      const how = answer();
      if (how === 'never') return;
      if (how === 'hang-up') {
        req.socket.destroy();
        return;
      }
      res.statusCode = how === 'http-500' ? 500 : 200;
      res.setHeader('content-type', 'application/json');
      const body = {
        data: { data: { categories: [{ id: '1' }] } },
        errors: {
          data: null,
          errors: [{ message: 'The catalog is being rebuilt.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        },
        'http-500': { message: 'internal error' },
      }[how];
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => products!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(products.address() as AddressInfo).port}/graphql`;
}

/** How many products calls /metrics counts with `outcome`. */
async function productsFetches(url: string, outcome: string): Promise<number | undefined> {
  return valueOf(await scrapeMetrics(url), 'router_subgraph_fetch_duration_seconds_count', { subgraph: 'products', outcome });
}

/** The codes of a response's errors. */
async function codesOf(response: Response): Promise<string[]> {
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return (body.errors ?? []).map((error) => error.extensions?.code ?? '(none)');
}

describe('router_subgraph_fetch_duration_seconds', () => {
  it('times each subgraph call by subgraph and outcome: success, error, failed, unavailable', async () => {
    let answer: ProductsAnswer = 'data';
    const url = await startRouter({}, { products: await startProducts(() => answer) });
    const seen: Record<string, string[]> = {};
    for (const next of ['data', 'errors', 'http-500', 'hang-up'] as const) {
      answer = next;
      seen[next] = await codesOf(await post(url, CATEGORIES));
    }

    expect(seen).toEqual({
      data: [],
      errors: ['INTERNAL_SERVER_ERROR'],
      'http-500': ['SUBGRAPH_ERROR'],
      'hang-up': ['SUBGRAPH_UNAVAILABLE'],
    });
    for (const outcome of ['success', 'error', 'failed', 'unavailable']) expect(await productsFetches(url, outcome)).toBe(1);
    expect(await productsFetches(url, 'timeout')).toBeUndefined();
  });

  it('counts a call past SUBGRAPH_TIMEOUT_MS as a timeout', async () => {
    const url = await startRouter({ SUBGRAPH_TIMEOUT_MS: '500' }, { products: await startProducts(() => 'never') });

    expect(await codesOf(await post(url, CATEGORIES))).toEqual(['SUBGRAPH_TIMEOUT']);
    expect(await productsFetches(url, 'timeout')).toBe(1);
  });
});

describe('router_refusals_total', () => {
  /** The refusal counts by code, every code present. */
  async function refusalCounts(url: string): Promise<Record<string, number | undefined>> {
    const text = await scrapeMetrics(url);
    return Object.fromEntries(REFUSAL_CODES.map((code) => [code, valueOf(text, 'router_refusals_total', { code })]));
  }
  const none = Object.fromEntries(REFUSAL_CODES.map((code) => [code, 0]));
  const LOGIN = 'login(input: { email: "a@example.com", password: "whatever-it-is" }) { accessToken }';

  it('counts each refusal once by its code, every code at 0 from the start, and no other 4xx', async () => {
    const url = await startRouter({
      REQUEST_BODY_LIMIT: '1kb',
      QUERY_MAX_TOKENS: '50',
      QUERY_MAX_DEPTH: '4',
      QUERY_MAX_ALIASES: '2',
      QUERY_MAX_DIRECTIVES: '1',
      QUERY_MAX_COST: '50',
    });
    expect(await refusalCounts(url)).toEqual(none);
    const send = async (body: object | string, headers: Record<string, string> = {}) => {
      const response = await post(url, body, headers);
      return `${response.status} ${(await codesOf(response)).join(',')}`;
    };

    const answers = {
      tooDeep: await send({ query: '{ categories { products { nodes { category { id } } } } }' }),
      tooManyAliases: await send({ query: '{ a: categories { id } b: categories { id } c: categories { id } }' }),
      tooManyDirectives: await send({ query: '{ __typename @include(if: true) @skip(if: false) }' }),
      tooManyTokens: await send({ query: `{ ${'__typename '.repeat(60)}}` }),
      pageTooLarge: await send({ query: '{ products(first: 1000) { nodes { id } } }' }),
      tooCostly: await send({ query: '{ products(first: 100) { nodes { id } } }' }),
      accountMutations: await send({ query: `mutation { a: ${LOGIN} b: ${LOGIN} }` }),
      badToken: await send({ query: '{ __typename }' }, { authorization: 'Bearer not-a-token' }),
      notJson: await send('{"query":'),
      tooLarge: await send({ query: `{ __typename } # ${'x'.repeat(2048)}` }),
      // Answered 400 by Apollo Server, and no refusal of the router's own: counted as errors, not here.
      notGraphQL: await send({ query: '{ categories {' }),
      unknownField: await send({ query: '{ nope }' }),
    };

    expect(answers).toEqual({
      tooDeep: '400 QUERY_TOO_DEEP',
      tooManyAliases: '400 TOO_MANY_ALIASES',
      tooManyDirectives: '400 TOO_MANY_DIRECTIVES',
      tooManyTokens: '400 TOO_MANY_TOKENS',
      pageTooLarge: '400 PAGE_SIZE_TOO_LARGE',
      tooCostly: '400 QUERY_TOO_COSTLY',
      accountMutations: '400 TOO_MANY_ACCOUNT_MUTATIONS',
      badToken: '401 UNAUTHENTICATED',
      notJson: '400 BAD_REQUEST',
      tooLarge: '413 PAYLOAD_TOO_LARGE',
      notGraphQL: '400 GRAPHQL_PARSE_FAILED',
      unknownField: '400 GRAPHQL_VALIDATION_FAILED',
    });
    expect(await refusalCounts(url)).toEqual({
      ...none,
      QUERY_TOO_DEEP: 1,
      TOO_MANY_ALIASES: 1,
      TOO_MANY_DIRECTIVES: 1,
      TOO_MANY_TOKENS: 1,
      PAGE_SIZE_TOO_LARGE: 1,
      QUERY_TOO_COSTLY: 1,
      TOO_MANY_ACCOUNT_MUTATIONS: 1,
      UNAUTHENTICATED: 1,
      BAD_REQUEST: 1,
      PAYLOAD_TOO_LARGE: 1,
    });
  });

  it('counts a request over the rate limit as RATE_LIMITED', async () => {
    const url = await startRouter({ RATE_LIMIT_PER_MINUTE: '1' });

    expect((await post(url, { query: '{ __typename }' })).status).toBe(200);
    expect((await post(url, { query: '{ __typename }' })).status).toBe(429);

    expect(await refusalCounts(url)).toEqual({ ...none, RATE_LIMITED: 1 });
  });

  it('counts an operation the safelist refuses as PERSISTED_QUERY_NOT_IN_SAFELIST', async () => {
    const url = await startRouter({ PERSISTED_OPERATIONS: 'safelist' });

    expect(await codesOf(await post(url, { query: '{ __typename }' }))).toEqual(['PERSISTED_QUERY_NOT_IN_SAFELIST']);

    expect(await refusalCounts(url)).toEqual({ ...none, PERSISTED_QUERY_NOT_IN_SAFELIST: 1 });
  });
});

describe("the router's /metrics", () => {
  it('has the shared series and the router’s own, and no db_ series: the router has no database', async () => {
    const url = await startRouter();
    await post(url, { query: '{ __typename }' });

    const names = new Set(parseSamples(await scrapeMetrics(url)).map((sample) => sample.name));

    expect([...names].filter((name) => name.startsWith('db_'))).toEqual([]);
    for (const name of [
      'graphql_requests_in_flight',
      'graphql_operations_total',
      'router_refusals_total',
      'router_supergraph_reloads_total',
      'router_supergraph_info',
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe('router_supergraph_info and router_supergraph_reloads_total', () => {
  const hashOf = (sdl: string) => createHash('sha256').update(sdl).digest('hex').slice(0, 12);
  const served = async (url: string) =>
    findSamples(await scrapeMetrics(url), 'router_supergraph_info').map(({ labels, value }) => ({ hash: labels.hash, value }));
  const reloads = async (url: string) => {
    const text = await scrapeMetrics(url);
    return {
      success: valueOf(text, 'router_supergraph_reloads_total', { outcome: 'success' }),
      failure: valueOf(text, 'router_supergraph_reloads_total', { outcome: 'failure' }),
    };
  };

  it('shows the served supergraph’s hash, replaced on a reload, and counts reloads by outcome', async () => {
    supergraphDir = mkdtempSync(join(tmpdir(), 'router-supergraph-'));
    const path = join(supergraphDir, 'supergraph.graphql');
    const sdl = readFileSync(join(REPO_ROOT, 'supergraph.graphql'), 'utf8');
    writeFileSync(path, sdl);
    const url = await startRouter({ SUPERGRAPH_PATH: path });
    expect(await served(url)).toEqual([{ hash: hashOf(sdl), value: 1 }]);
    expect(await reloads(url)).toEqual({ success: 0, failure: 0 });

    const changed = `${sdl}\n# recomposed\n`;
    writeFileSync(path, changed);
    // A deadline for a busy machine, not a wait: the poll ends as soon as the reload shows.
    await expect.poll(() => served(url), { timeout: 30_000 }).toEqual([{ hash: hashOf(changed), value: 1 }]);
    expect(await reloads(url)).toEqual({ success: 1, failure: 0 });

    writeFileSync(path, 'this is not a supergraph');
    await expect.poll(() => reloads(url), { timeout: 30_000 }).toEqual({ success: 1, failure: 1 });
    expect(await served(url)).toEqual([{ hash: hashOf(changed), value: 1 }]);
  });
});

describe('operation labels', () => {
  /**
   * At most this many series may appear whatever the names: the `other` label's operation series
   * (a counter and a histogram of 14 lines, per outcome), plus responses by status class and errors
   * by code. The runtime's own series (nodejs_*, process_*) are the runtime's, bounded by it, and
   * left out (a garbage collection of a new kind adds some).
   */
  const MAX_NEW_SERIES = 40;
  const isOurs = (name: string) => !name.startsWith('nodejs_') && !name.startsWith('process_');
  const seriesOf = (text: string) =>
    new Set(
      parseSamples(text)
        .filter((sample) => isOurs(sample.name))
        .map((sample) => `${sample.name}${JSON.stringify(sample.labels)}`),
    );

  it('keeps the series bounded: 1,000 operations with random names add at most a fixed number', async () => {
    const url = await startRouter({ RATE_LIMIT_PER_MINUTE: '1000000' });
    const before = seriesOf(await scrapeMetrics(url));

    const names = Array.from({ length: 1000 }, () => `R${randomUUID().replaceAll('-', '')}`);
    for (let start = 0; start < names.length; start += 20) {
      const answers = await Promise.all(
        names.slice(start, start + 20).map((name) => post(url, { query: `query ${name} { __typename }` })),
      );
      for (const answer of answers) expect(answer.status).toBe(200);
    }

    const text = await scrapeMetrics(url);
    const added = [...seriesOf(text)].filter((series) => !before.has(series));
    expect(added.length).toBeLessThanOrEqual(MAX_NEW_SERIES);
    expect(names.filter((name) => text.includes(name))).toEqual([]);
    expect(valueOf(text, 'graphql_operations_total', { operation: 'other', outcome: 'success' })).toBe(1000);
  }, 180_000);

  it('labels a persisted operation by its name, any other name as other, and no name as anonymous', async () => {
    const url = await startRouter();

    await post(url, { query: 'query Categories { __typename }' });
    await post(url, { query: 'query NotInTheManifest { __typename }' });
    await post(url, { query: '{ __typename }' });

    const text = await scrapeMetrics(url);
    for (const operation of ['Categories', 'other', 'anonymous']) {
      expect(valueOf(text, 'graphql_operations_total', { operation, outcome: 'success' })).toBe(1);
    }
  });
});
