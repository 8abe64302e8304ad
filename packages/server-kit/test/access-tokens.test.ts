import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAccessTokenIssuer, createAccessTokenVerifier, InvalidAccessTokenError } from '../src/auth/access-tokens.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const claims = { issuer: 'supergraph-users', audience: 'supergraph' };
const verify = createAccessTokenVerifier({ publicKey, ...claims });
const issue = createAccessTokenIssuer({ privateKey, ...claims, ttlSeconds: 60 });

/** A token signed with the right key, issuer and audience, carrying whatever claims a test gives it. */
async function signWith(payload: JWTPayload, subject?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const token = new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 60);
  return (subject === undefined ? token : token.setSubject(subject)).sign(privateKey);
}

async function refusalOf(token: string): Promise<string> {
  const error = await verify(token).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InvalidAccessTokenError);
  return (error as InvalidAccessTokenError).reason;
}

describe('the access-token verifier', () => {
  it('gives the viewer of a token the issuer signed: its subject and its role', async () => {
    const { token } = await issue({ id: 'user-1', role: 'ADMIN' });
    expect(await verify(token)).toEqual({ id: 'user-1', role: 'ADMIN' });
  });

  it('refuses a token whose role is not one of the identity contract, or that has none', async () => {
    expect(await refusalOf(await signWith({ role: 'SUPERUSER' }, 'user-1'))).toBe('missing claims');
    expect(await refusalOf(await signWith({ role: 'admin' }, 'user-1'))).toBe('missing claims');
    expect(await refusalOf(await signWith({}, 'user-1'))).toBe('missing claims');
  });

  it('refuses a token without a subject', async () => {
    expect(await refusalOf(await signWith({ role: 'CUSTOMER' }))).toBe('malformed or not signed by this supergraph');
  });
});
