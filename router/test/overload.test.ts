import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRouterSettings } from '../src/env.js';
import { post, startRouter } from './router-harness.js';

// Load shedding on the real router: a request whose body is still arriving holds its place, so a
// test fills the places without timing anything.

const ORIGIN = 'http://localhost:5173';
const TYPENAME = { query: '{ __typename }' };
const open: http.ClientRequest[] = [];

afterEach(() => {
  for (const request of open.splice(0)) request.destroy();
});

/** Starts a POST whose body never ends (until `finish`): it holds a place in the router from its headers on. */
function holdPlace(url: string): { finish: () => Promise<number> } {
  const body = JSON.stringify(TYPENAME);
  const request = http.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
  });
  open.push(request);
  request.write(body.slice(0, 5));
  const answered = new Promise<number>((resolve, reject) => {
    request.once('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', reject);
  });
  // A request still held when its test ends is destroyed by afterEach: its hang-up is expected.
  answered.catch(() => undefined);
  return {
    finish: () => {
      request.end(body.slice(5));
      return answered;
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
    .poll(async () => ({
      active: await readMetric(origin, 'queue_load', 'state="active"'),
      queued: await readMetric(origin, 'queue_load', 'state="queued"'),
    }))
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
    const url = await startRouter({ MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '0' });
    const { origin } = new URL(url);
    const held = holdPlace(url);
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

    expect(await held.finish()).toBe(200);
    const after = await post(url, TYPENAME);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('runs a queued request once a place is free, and refuses one more while the queue is full', async () => {
    const url = await startRouter({ MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '1', MAX_QUEUE_WAIT_MS: '60000' });
    const { origin } = new URL(url);
    const held = holdPlace(url);
    await waitForLoad(origin, { active: 1, queued: 0 });
    const queued = post(url, TYPENAME);
    await waitForLoad(origin, { active: 1, queued: 1 });
    const refused = await post(url, TYPENAME);
    expect(refused.status).toBe(503);
    expect(await refusedCount(origin, 'queue_full')).toBe(1);

    expect(await held.finish()).toBe(200);
    expect((await queued).status).toBe(200);

    await waitForLoad(origin, { active: 0, queued: 0 });
  });

  it('refuses a request that waited past MAX_QUEUE_WAIT_MS while the place stayed taken', async () => {
    const url = await startRouter({ MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '1', MAX_QUEUE_WAIT_MS: '1' });
    const { origin } = new URL(url);
    holdPlace(url);
    await waitForLoad(origin, { active: 1, queued: 0 });

    const waitedTooLong = await post(url, TYPENAME);

    expect(waitedTooLong.status).toBe(503);
    expect((await waitedTooLong.json()) as object).toMatchObject({ errors: [{ extensions: { code: 'OVERLOADED' } }] });
    expect(await refusedCount(origin, 'wait_timeout')).toBe(1);
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
