import { generateKeyPairSync } from 'node:crypto';
import {
  createDemoOrders,
  DEMO_CUSTOMER_EMAIL,
  getDemoAdminId,
  getDemoCustomerId,
  getDemoUserId,
  parseSeedOptions,
} from '@supergraph/demo-data';
import { createAccessTokenIssuer } from '@supergraph/server-kit/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderDetailsDocument, LoginDocument } from '../../operations/__generated__/graphql.js';
import { DEMO_PASSWORD } from './support/example-operations.js';
import type { ServiceProcess } from './support/processes.js';
import { SUBGRAPHS, startStack, type Stack } from './support/stack.js';

// Identity and authorization do not depend on the dialect: one SQLite stack covers the edge.
const seedArgs = ['--customers', '4', '--products', '20', '--orders', '40'];
const seed = parseSeedOptions(seedArgs);
const customerA = { id: getDemoCustomerId(seed), role: 'CUSTOMER' as const };
const customerB = { id: getDemoUserId(seed, 2), role: 'CUSTOMER' as const };
const admin = { id: getDemoAdminId(seed), role: 'ADMIN' as const };
const orderOfB = createDemoOrders(seed).find((order) => order.userId === customerB.id)!;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dialect: 'sqlite', seedArgs });
});
afterAll(async () => {
  await stack?.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const tokenFor = async (viewer: { id: string; role: 'CUSTOMER' | 'ADMIN' }) => (await stack.keys.issue(viewer)).token;
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens at the router', () => {
  const ME = `#graphql\n{ me { id } }`;

  async function expectRejected(token: string, reason: RegExp) {
    const before = await stack.subgraphOperations();
    const { status, headers, body } = await stack.query(ME, {}, bearer(token));
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: expect.stringMatching(reason), extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(await stack.subgraphOperations()).toBe(before);
  }

  it('accepts a valid token, and the subgraph sees that identity', async () => {
    const { status, body } = await stack.query(ME, {}, bearer(await tokenFor(customerA)));
    expect(status).toBe(200);
    expect(body).toEqual({ data: { me: { id: customerA.id } } });
  });

  it('treats a request without a token as anonymous', async () => {
    expect((await stack.query(ME)).body).toEqual({ data: { me: null } });
  });

  it('rejects a token signed by another key with 401', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forge = createAccessTokenIssuer({
      privateKey: other,
      issuer: 'supergraph-users',
      audience: 'supergraph',
      ttlSeconds: 900,
    });
    await expectRejected((await forge(admin)).token, /not signed by this supergraph/);
  });

  it('rejects an expired token with 401', async () => {
    const issueExpired = createAccessTokenIssuer({
      privateKey: stack.keys.privateKey,
      issuer: 'supergraph-users',
      audience: 'supergraph',
      ttlSeconds: -60,
    });
    await expectRejected((await issueExpired(customerA)).token, /expired/);
  });

  it('rejects an unsigned alg:none token with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url({ alg: 'none', typ: 'JWT' });
    const payload = base64url({
      sub: admin.id,
      role: 'ADMIN',
      iss: 'supergraph-users',
      aud: 'supergraph',
      iat: now,
      exp: now + 600,
    });
    await expectRejected(`${header}.${payload}.`, /not signed by this supergraph/);
  });

  it('rejects a token for another audience or issuer with 401', async () => {
    for (const claims of [
      { issuer: 'supergraph-users', audience: 'another-api' },
      { issuer: 'someone-else', audience: 'supergraph' },
    ]) {
      const issue = createAccessTokenIssuer({ privateKey: stack.keys.privateKey, ...claims, ttlSeconds: 900 });
      await expectRejected((await issue(customerA)).token, /not signed by this supergraph/);
    }
  });

  it('rejects a malformed Authorization header with 401 instead of treating it as anonymous', async () => {
    const { status, body } = await stack.query(ME, {}, { authorization: 'Basic YWRtaW46YWRtaW4=' });
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('signs in through the router end to end: login, then the token it returns works', async () => {
    const login = await stack.query(LoginDocument, { email: DEMO_CUSTOMER_EMAIL, password: DEMO_PASSWORD });
    expect(login.body.errors).toBeUndefined();
    expect(login.body.data?.login.user.id).toBe(customerA.id);
    const { body } = await stack.query(ME, {}, bearer(login.body.data!.login.accessToken));
    expect(body.data.me.id).toBe(customerA.id);
  });
});

describe('headers a client sends', () => {
  it('never lets a client-sent identity or internal header stand in for a token', async () => {
    const spoofed = {
      'x-user-id': admin.id,
      'x-user-role': 'ADMIN',
      'x-viewer': JSON.stringify(admin),
      'x-router-secret': stack.secrets.users,
    };
    const anonymous = await stack.query(`#graphql\n{ me { id } users(first: 1) { totalCount } }`, {}, spoofed);
    expect(anonymous.body.data?.me ?? null).toBeNull();
    expect(anonymous.body.errors?.map((error: { extensions: { code: string } }) => error.extensions.code)).toContain(
      'UNAUTHENTICATED',
    );
    expect(JSON.stringify(anonymous.body.data ?? {})).not.toContain('totalCount":6');

    const asCustomer = await stack.query(
      `#graphql\n{ me { id role } }`,
      {},
      { ...spoofed, ...bearer(await tokenFor(customerA)) },
    );
    expect(asCustomer.body).toEqual({ data: { me: { id: customerA.id, role: 'CUSTOMER' } } });
  });
});

describe('subgraphs called directly', () => {
  const post = (name: (typeof SUBGRAPHS)[number], query: string, headers: Record<string, string> = {}) =>
    fetch(stack.subgraphs[name].url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  it.each(SUBGRAPHS)('%s refuses GraphQL without its router secret, _service and _entities included', async (name) => {
    for (const query of ['{ _service { sdl } }', '{ _entities(representations: []) { __typename } }', '{ __typename }']) {
      const attempts: Record<string, string>[] = [
        {},
        { 'x-router-secret': 'guess' },
        { 'x-router-secret': stack.secrets[name === 'users' ? 'orders' : 'users'] },
      ];
      for (const headers of attempts) {
        const response = await post(name, query, headers);
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({
          errors: [{ message: 'This service answers only the router.', extensions: { code: 'FORBIDDEN' } }],
        });
      }
    }
  });

  it.each(SUBGRAPHS)('%s answers the router (its secret) and keeps /health open to everyone', async (name) => {
    const response = await post(name, '{ _service { sdl } }', { 'x-router-secret': stack.secrets[name] });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { _service: { sdl: string } } }).data._service.sdl).toContain('@key');
    expect((await fetch(`${stack.subgraphs[name].origin}/health`)).status).toBe(200);
  });

  it('takes identity only from a token it verifies itself, even with the right secret', async () => {
    const headers = { 'x-router-secret': stack.secrets.users, 'x-user-id': admin.id };
    const anonymous = await post('users', '{ me { id } }', headers);
    expect(await anonymous.json()).toEqual({ data: { me: null } });
    const forged = await post('users', '{ me { id } }', { ...headers, authorization: 'Bearer not.a.token' });
    expect(forged.status).toBe(401);
  });
});

describe("one customer reading another's data", () => {
  const codesOf = (body: { errors?: { extensions: { code: string } }[] }) =>
    body.errors?.map((error) => error.extensions.code) ?? [];

  it("cannot read B's order through Query.order", async () => {
    const { body } = await stack.query(OrderDetailsDocument, { orderId: orderOfB.id }, bearer(await tokenFor(customerA)));
    expect(body.data?.order ?? null).toBeNull();
    expect(codesOf(body)).toContain('FORBIDDEN');
    expect(JSON.stringify(body)).not.toContain(String(orderOfB.totalCents / 100));
  });

  it("cannot read B's profile, email or orders through Query.user", async () => {
    const { body } = await stack.query(
      `#graphql\nquery ($id: ID!) { user(id: $id) { id name email orders(first: 5) { totalCount nodes { id } } } }`,
      { id: customerB.id },
      bearer(await tokenFor(customerA)),
    );
    expect(body.data?.user ?? null).toBeNull();
    expect(codesOf(body)).toContain('FORBIDDEN');
    expect(JSON.stringify(body)).not.toContain(orderOfB.id);
  });

  it('reads its own profile and orders, and an admin reads anyone', async () => {
    const own = await stack.query(
      `#graphql\n{ me { email orders(first: 50) { nodes { id user { id } } } } }`,
      {},
      bearer(await tokenFor(customerA)),
    );
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.me.orders.nodes.every((node: { user: { id: string } }) => node.user.id === customerA.id)).toBe(true);

    const asAdmin = await stack.query(
      `#graphql\nquery ($id: ID!) { order(id: $id) { id user { email } } }`,
      { id: orderOfB.id },
      bearer(await tokenFor(admin)),
    );
    expect(asAdmin.body.errors).toBeUndefined();
    expect(asAdmin.body.data.order.id).toBe(orderOfB.id);
  });

  it('an anonymous caller gets UNAUTHENTICATED for private data and still reads the catalog', async () => {
    const { body } = await stack.query(`#graphql\nquery ($id: ID!) { order(id: $id) { id } products(first: 1) { totalCount } }`, {
      id: orderOfB.id,
    });
    expect(codesOf(body)).toContain('UNAUTHENTICATED');
    expect(body.data.products.totalCount).toBe(20);
  });
});

describe('production mode', () => {
  let production: ServiceProcess;
  beforeAll(async () => {
    production = await stack.startRouter({ NODE_ENV: 'production' });
  });
  const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(production.url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('refuses introspection', async () => {
    const response = await post({ query: '{ __schema { types { name } } }' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(body)).not.toContain('"types"');
  });

  it('serves no Sandbox page', async () => {
    const response = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toContain('embeddable-sandbox');
  });

  it('suggests no field names and shows no stack traces', async () => {
    const response = await post({ query: '{ prodcts(first: 1) { totalCount } }' });
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).not.toMatch(/Did you mean/);
    expect(JSON.stringify(body)).not.toContain('stacktrace');
  });

  it('refuses a simple cross-site request (CSRF prevention) and a batched request', async () => {
    const simple = await post('{"query":"{ __typename }"}', { 'content-type': 'text/plain' });
    expect(simple.status).toBe(400);
    const batched = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(batched.status).toBe(400);
  });
});
