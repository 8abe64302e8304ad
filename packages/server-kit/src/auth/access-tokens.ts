import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityClaimsSchema, type Viewer } from '@supergraph/contracts/identity';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

/**
 * The one signature algorithm access tokens use and verifiers accept: ECDSA on P-256. (Ed25519 would
 * do as well cryptographically, but ES256 is the asymmetric algorithm every federation router and JWT
 * library verifies, which keeps the subgraphs portable.)
 */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

export interface AccessTokenClaims {
  /** Who issues tokens (the users service). */
  issuer: string;
  /** Who tokens are for (this supergraph). */
  audience: string;
}

/** A token that is malformed, forged, expired, or not for us. `reason` is safe to show the client. */
export class InvalidAccessTokenError extends Error {
  constructor(readonly reason: string) {
    super(`invalid access token: ${reason}`);
    this.name = 'InvalidAccessTokenError';
  }
}

/** How many verified tokens a verifier remembers by default (about 5 MB at most). */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * Verifies an access token: an ES256 signature only (so `alg: none` and HMAC-with-the-public-key
 * tricks fail), `exp` required, issuer and audience checked, 5 s of clock tolerance, and the identity
 * claims parsed with the contract's schema (a role outside ROLES is refused).
 *
 * A token that passed is remembered, by its whole text, until its `exp` (without the tolerance): the
 * same token again is answered without verifying the signature, which is most of a subgraph's CPU
 * for a small request and is otherwise done again by the router and each subgraph it calls. A token
 * is immutable and carries its own expiry, so the verdict cannot change before then. Refusals are
 * never remembered. `cacheSize` (default VERIFIED_TOKEN_CACHE_SIZE) bounds the tokens remembered,
 * the least recently used going first; 0 turns the cache off.
 */
export function createAccessTokenVerifier({
  publicKey,
  issuer,
  audience,
  cacheSize = VERIFIED_TOKEN_CACHE_SIZE,
}: AccessTokenClaims & { publicKey: KeyObject; cacheSize?: number }): AccessTokenVerifier {
  const verified = new VerifiedTokenCache(cacheSize);
  return async (token: string): Promise<Viewer> => {
    const remembered = verified.get(token, Date.now());
    if (remembered) return { ...remembered };
    try {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer,
        audience,
        clockTolerance: 5,
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      const claims = identityClaimsSchema.safeParse(payload);
      if (!claims.success) throw new InvalidAccessTokenError('missing claims');
      const viewer: Viewer = { id: claims.data.sub, role: claims.data.role };
      // requiredClaims makes exp a number here.
      verified.set(token, { ...viewer }, (payload.exp as number) * 1000, Date.now());
      return viewer;
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new InvalidAccessTokenError('expired');
      throw new InvalidAccessTokenError('malformed or not signed by this supergraph');
    }
  };
}

/**
 * Verified tokens by their whole text, each with the instant (ms since the epoch) it stops being
 * usable, in least-recently-used order (a Map keeps insertion order: a hit is moved to the end).
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, { viewer: Viewer; expiresAtMs: number }>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The viewer of `token` if it was verified and `nowMs` is before its expiry; an expired entry is dropped. */
  get(token: string, nowMs: number): Viewer | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    this.#entries.delete(token);
    if (nowMs >= entry.expiresAtMs) return undefined;
    this.#entries.set(token, entry);
    return entry.viewer;
  }

  /** Remembers a verified token until `expiresAtMs` (nothing when that is not after `nowMs`), evicting the least recently used past the capacity. */
  set(token: string, viewer: Viewer, expiresAtMs: number, nowMs: number): void {
    if (this.capacity <= 0 || !(expiresAtMs > nowMs)) return;
    this.#entries.delete(token);
    this.#entries.set(token, { viewer, expiresAtMs });
    while (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}

/** Resolves to the viewer of a valid access token; rejects with InvalidAccessTokenError otherwise. */
export type AccessTokenVerifier = (token: string) => Promise<Viewer>;

/** Signs short-lived access tokens; only the users service holds the private key. */
export function createAccessTokenIssuer({
  privateKey,
  issuer,
  audience,
  ttlSeconds,
}: AccessTokenClaims & { privateKey: KeyObject; ttlSeconds: number }) {
  return async (viewer: Viewer): Promise<{ token: string; expiresAt: Date }> => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ role: viewer.role })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: 'JWT' })
      .setSubject(viewer.id)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(privateKey);
    return { token, expiresAt: new Date((now + ttlSeconds) * 1000) };
  };
}

/** Reads the bearer token of an Authorization header; null when there is none. */
export function readBearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.?[A-Za-z0-9\-_.+/=]*)$/.exec(header.trim());
  if (!match) throw new InvalidAccessTokenError('the Authorization header must be "Bearer <token>"');
  return match[1]!;
}

/** PEM text from a setting, where newlines may have been written as `\n`. */
export function readPem(value: string): string {
  return value.includes('\\n') ? value.replaceAll('\\n', '\n') : value;
}

/**
 * The development signing key under `<dir>/`, made on first use and shared by every service on the
 * machine (never used in production, where keys come from settings). Only the private key is stored;
 * the public key is derived from it. Whichever process comes first writes it, through a hard link so
 * the file appears whole or not at all, and a racing process reads the winner's.
 */
export function loadOrCreateDevelopmentKeys(dir: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const privatePath = join(dir, 'jwt-es256-private.pem');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const read = () => {
    const privateKey = createPrivateKey(readFileSync(privatePath));
    return { privateKey, publicKey: createPublicKey(privateKey) };
  };
  try {
    return read();
  } catch {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const temporary = `${privatePath}.${process.pid}-${Date.now()}`;
    writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    try {
      linkSync(temporary, privatePath);
    } catch {
      // Another process won the race: use its key.
    } finally {
      rmSync(temporary, { force: true });
    }
    return read();
  }
}

export type AccessTokenIssuer = ReturnType<typeof createAccessTokenIssuer>;
