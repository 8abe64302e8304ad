import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRouterSettings } from '../src/env.js';
import { post, startRouter } from './router-harness.js';

// Load shedding on the real router. A request holds its place while the users subgraph it calls
// (a test server here) keeps its answer, so a test fills the places without timing anything.

const ORIGIN = 'http://localhost:5173';
const TYPENAME = { query: '{ __typename }' };
const ME = { query: '{ me { id } }' };

interface HeldSubgraph {
  url: string;
  /** How many requests it has received. */
  received: () => number;
  /** Answers every request it holds, and every later one at once. */
  release: () => void;
}

let subgraph: http.Server | undefined;
afterEach(() => {
  subgraph?.closeAllConnections();
  subgraph?.close();
  subgraph = undefined;
});

/** A users subgraph that holds every answer to `{ me }` until `release`. */
async function startHeldSubgraph(): Promise<HeldSubgraph> {
  let received = 0;
  let isReleased = false;
  const held: http.ServerResponse[] = [];
  const answer = (res: http.ServerResponse) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { me: null } }));
  };
  subgraph = http.createServer((req, res) => {
    received += 1;
    req.resume();
    req.once('end', () => (isReleased ? answer(res) : held.push(res)));
  });
  await new Promise<void>((resolve) => subgraph!.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`,
    received: () => received,
    release: () => {
      isReleased = true;
      for (const res of held.splice(0)) answer(res);
    },
  };
}

/** A line of the router's /metrics, as a number (0 when absent). */
async function readMetric(origin: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith(`${name}{`) && row.includes(labels));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** Waits until the router holds `active` requests and has `queued` waiting, as its /metrics tell. */
async function waitForLoad(origin: string, load: { active: number; queued: number }): Promise<void> {
  await expect
    .poll(
      async () => ({
        active: await readMetric(origin, 'queue_load', 'state="active"'),
        queued: await readMetric(origin, 'queue_load', 'state="queued"'),
      }),
      // A deadline for a busy machine, not a wait: the poll ends as soon as the load is right.
      { timeout: 30_000 },
    )
    .toEqual(load);
}

const refusedCount = (origin: string, reason: string) => readMetric(origin, 'overload_refusals_total', `reason="${reason}"`);

describe('load shedding', () => {
  it('defaults to 64 requests at once, 32 waiting, for at most 2 s', () => {
    expect(parseRouterSettings({}).limits.overload).toEqual({ maxConcurrent: 64, maxQueued: 32, maxWaitMs: 2000 });
    expect(() => parseRouterSettings({ MAX_CONCURRENT_REQUESTS: '0' })).toThrow(/MAX_CONCURRENT_REQUESTS: must be at least 1/);
    expect(() => parseRouterSettings({ MAX_QUEUED_REQUESTS: 'many' })).toThrow(/MAX_QUEUED_REQUESTS/);
  });

  it('answers 503 OVERLOADED with Retry-After and CORS headers once every place is taken, and never sheds probes', async () => {
    const users = await startHeldSubgraph();
    const url = await startRouter({ MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '0' }, { users: users.url });
    const { origin } = new URL(url);
    const held = post(url, ME);
    await waitForLoad(origin, { active: 1, queued: 0 });

    const refused = await post(url, TYPENAME, { origin: ORIGIN });

    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await refused.json()).toEqual({
      errors: [{ message: expect.stringContaining('Try again in 1 s'), extensions: { code: 'OVERLOADED', retryAfter: 1 } }],
    });
    for (const probe of ['/health', '/ready', '/metrics']) expect((await fetch(`${origin}${probe}`)).status).toBe(200);
    expect(await refusedCount(origin, 'queue_full')).toBe(1);
    expect(await readMetric(origin, 'router_refusals_total', 'code="OVERLOADED"')).toBe(1);

    users.release();
    expect((await held).status).toBe(200);
    const after = await post(url, TYPENAME);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('runs a queued request once a place is free, and refuses one more while the queue is full', async () => {
    const users = await startHeldSubgraph();
    const url = await startRouter(
      { MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '1', MAX_QUEUE_WAIT_MS: '60000' },
      { users: users.url },
    );
    const { origin } = new URL(url);
    const held = post(url, ME);
    await waitForLoad(origin, { active: 1, queued: 0 });
    const queued = post(url, TYPENAME);
    await waitForLoad(origin, { active: 1, queued: 1 });
    const refused = await post(url, TYPENAME);
    expect(refused.status).toBe(503);
    expect(await refusedCount(origin, 'queue_full')).toBe(1);

    users.release();
    expect((await held).status).toBe(200);
    expect((await queued).status).toBe(200);

    await waitForLoad(origin, { active: 0, queued: 0 });
  });

  it('keeps a place taken until GraphQL is done with the request, even after its client hung up', async () => {
    const users = await startHeldSubgraph();
    const url = await startRouter(
      { MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '1', MAX_QUEUE_WAIT_MS: '60000' },
      { users: users.url },
    );
    const { origin } = new URL(url);
    const hungUp = new AbortController();
    const abandoned = post(url, ME, {}, hungUp.signal).catch((error: unknown) => error);
    await expect.poll(users.received, { timeout: 30_000 }).toBe(1);
    hungUp.abort();
    expect(await abandoned).toBeInstanceOf(Error);

    // The hang-up reached the router long before this request has been read and queued behind it.
    const queued = post(url, ME);
    await waitForLoad(origin, { active: 1, queued: 1 });
    expect(users.received()).toBe(1);

    users.release();
    expect((await queued).status).toBe(200);
    expect(users.received()).toBe(2);
    await waitForLoad(origin, { active: 0, queued: 0 });
  });

  it('refuses a request that waited past MAX_QUEUE_WAIT_MS while the place stayed taken', async () => {
    const users = await startHeldSubgraph();
    const url = await startRouter(
      { MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '1', MAX_QUEUE_WAIT_MS: '1' },
      { users: users.url },
    );
    const { origin } = new URL(url);
    const held = post(url, ME);
    await waitForLoad(origin, { active: 1, queued: 0 });

    const waitedTooLong = await post(url, TYPENAME);

    expect(waitedTooLong.status).toBe(503);
    expect((await waitedTooLong.json()) as object).toMatchObject({ errors: [{ extensions: { code: 'OVERLOADED' } }] });
    expect(await refusedCount(origin, 'wait_timeout')).toBe(1);
    users.release();
    expect((await held).status).toBe(200);
  });
});

describe("a subgraph's OVERLOADED", () => {
  let users: http.Server | undefined;
  afterEach(() => users?.close());

  it('reaches the client with its code and message, as 503 with Retry-After when nothing else was answered', async () => {
    users = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          data: null,
          errors: [
            {
              message: 'Too many sign-ins at once; try again in 2 s.',
              path: ['login'],
              extensions: { code: 'OVERLOADED', retryAfter: 2 },
            },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => users!.listen(0, '127.0.0.1', resolve));
    const url = await startRouter({}, { users: `http://127.0.0.1:${(users.address() as AddressInfo).port}/graphql` });

    const response = await post(url, {
      query: 'mutation { login(input: { email: "a@example.com", password: "whatever-it-is" }) { accessToken } }',
    });

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    const body = (await response.json()) as { data: unknown; errors: { message: string; extensions: object }[] };
    expect(body.data).toBeNull();
    expect(body.errors[0]).toMatchObject({
      message: 'Too many sign-ins at once; try again in 2 s.',
      extensions: { code: 'OVERLOADED', retryAfter: 2 },
    });
  });
});
