import { generateKeyPairSync } from 'node:crypto';
import type * as Jose from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createAccessTokenIssuer,
  createAccessTokenVerifier,
  InvalidAccessTokenError,
  VerifiedTokenCache,
} from '../src/auth/access-tokens.js';

// Counts the signature checks the verifier really makes, to tell a remembered token from a verified one.
const jose = vi.hoisted(() => ({ verifications: 0 }));
vi.mock('jose', async (importOriginal) => {
  const original = await importOriginal<typeof Jose>();
  return {
    ...original,
    jwtVerify: (...args: Parameters<typeof original.jwtVerify>) => {
      jose.verifications += 1;
      return original.jwtVerify(...args);
    },
  };
});

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const claims = { issuer: 'supergraph-users', audience: 'supergraph' };
const TTL_SECONDS = 60;
const issue = createAccessTokenIssuer({ privateKey, ...claims, ttlSeconds: TTL_SECONDS });

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InvalidAccessTokenError);
  return (error as InvalidAccessTokenError).reason;
}

afterEach(() => {
  vi.useRealTimers();
  jose.verifications = 0;
});

describe('the access-token verifier remembers the tokens it verified', () => {
  it('answers the same token again without checking its signature again, with the same viewer', async () => {
    const verify = createAccessTokenVerifier({ publicKey, ...claims });
    const { token } = await issue({ id: 'user-1', role: 'CUSTOMER' });
    expect(await verify(token)).toEqual({ id: 'user-1', role: 'CUSTOMER' });
    expect(await verify(token)).toEqual({ id: 'user-1', role: 'CUSTOMER' });
    expect(jose.verifications).toBe(1);
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 7, 12) });
    const verify = createAccessTokenVerifier({ publicKey, ...claims });
    const { token, expiresAt } = await issue({ id: 'user-1', role: 'CUSTOMER' });
    expect(await verify(token)).toEqual({ id: 'user-1', role: 'CUSTOMER' });

    // Past exp and the 5 s of clock tolerance: refused, not answered from memory.
    vi.setSystemTime(expiresAt.getTime() + 6_000);
    expect(await reasonOf(verify(token))).toBe('expired');
    expect(jose.verifications).toBe(2);
  });

  it('checks a remembered token again from its exp on, within the clock tolerance', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 7, 12) });
    const verify = createAccessTokenVerifier({ publicKey, ...claims });
    const { token, expiresAt } = await issue({ id: 'user-1', role: 'CUSTOMER' });
    await verify(token);
    vi.setSystemTime(expiresAt.getTime());
    expect(await verify(token)).toEqual({ id: 'user-1', role: 'CUSTOMER' });
    expect(jose.verifications).toBe(2);
  });

  it('never takes a different token for a remembered one, even one that shares all but a few characters', async () => {
    const verify = createAccessTokenVerifier({ publicKey, ...claims });
    const { token } = await issue({ id: 'user-1', role: 'ADMIN' });
    await verify(token);
    // A different signature (its last character carries padding bits only, so change one before it).
    const at = token.length - 20;
    const forged = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    expect(await reasonOf(verify(forged))).toBe('malformed or not signed by this supergraph');
    expect(await reasonOf(verify(token.slice(0, -10)))).toBe('malformed or not signed by this supergraph');
    expect(jose.verifications).toBe(3);
  });

  it('does not remember a refusal: a forged token is checked, and refused, every time', async () => {
    const verify = createAccessTokenVerifier({ publicKey, ...claims });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { token } = await createAccessTokenIssuer({ privateKey: other.privateKey, ...claims, ttlSeconds: TTL_SECONDS })({
      id: 'user-1',
      role: 'ADMIN',
    });
    expect(await reasonOf(verify(token))).toBe('malformed or not signed by this supergraph');
    expect(await reasonOf(verify(token))).toBe('malformed or not signed by this supergraph');
    expect(jose.verifications).toBe(2);
  });

  it('hands out a viewer its caller may change without changing what the next request gets', async () => {
    const verify = createAccessTokenVerifier({ publicKey, ...claims });
    const { token } = await issue({ id: 'user-1', role: 'CUSTOMER' });
    const first = await verify(token);
    Object.assign(first, { role: 'ADMIN' });
    expect(await verify(token)).toEqual({ id: 'user-1', role: 'CUSTOMER' });
  });

  it('remembers at most cacheSize tokens, forgetting the least recently used', async () => {
    const verify = createAccessTokenVerifier({ publicKey, ...claims, cacheSize: 2 });
    const [a, b, c] = await Promise.all(['user-a', 'user-b', 'user-c'].map((id) => issue({ id, role: 'CUSTOMER' })));
    await verify(a!.token);
    await verify(b!.token);
    await verify(a!.token); // a is now the most recently used
    await verify(c!.token); // evicts b
    expect(jose.verifications).toBe(3);
    await verify(a!.token);
    await verify(c!.token);
    expect(jose.verifications).toBe(3);
    expect(await verify(b!.token)).toEqual({ id: 'user-b', role: 'CUSTOMER' });
    expect(jose.verifications).toBe(4);
  });

  it('remembers nothing with cacheSize 0', async () => {
    const verify = createAccessTokenVerifier({ publicKey, ...claims, cacheSize: 0 });
    const { token } = await issue({ id: 'user-1', role: 'CUSTOMER' });
    await verify(token);
    await verify(token);
    expect(jose.verifications).toBe(2);
  });
});

describe('VerifiedTokenCache', () => {
  const viewer = { id: 'user-1', role: 'CUSTOMER' } as const;

  it('never holds more than its capacity', () => {
    const cache = new VerifiedTokenCache(100);
    for (let n = 0; n < 1_000; n += 1) cache.set(`token-${n}`, viewer, 2_000, 1_000);
    expect(cache.size).toBe(100);
    expect(cache.get('token-899', 1_000)).toBeUndefined();
    expect(cache.get('token-900', 1_000)).toEqual(viewer);
  });

  it('gives nothing for an entry at or past its expiry, and drops it', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('token', viewer, 2_000, 1_000);
    expect(cache.get('token', 1_999)).toEqual(viewer);
    expect(cache.get('token', 2_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set('expired', viewer, 1_000, 1_000);
    expect(cache.size).toBe(0);
  });
});
