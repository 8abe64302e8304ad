import { createPrivateKey, createPublicKey, generateKeyPairSync, timingSafeEqual, createHash, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestHandler } from 'express';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

/** Who is calling, as an access token proves it. */
export interface Viewer {
  id: string;
  role: 'CUSTOMER' | 'ADMIN';
}

/**
 * The one signature algorithm access tokens use and verifiers accept: ECDSA on P-256. (Ed25519 would
 * do as well cryptographically, but ES256 is the asymmetric algorithm every federation router and JWT
 * library verifies, which keeps the subgraphs portable.)
 */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/** The header through which the router proves to a subgraph that a request comes from it. */
export const ROUTER_SECRET_HEADER = 'x-router-secret';

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

/**
 * Verifies an access token: an ES256 signature only (so `alg: none` and HMAC-with-the-public-key
 * tricks fail), `exp` required, issuer and audience checked, 5 s of clock tolerance.
 */
export function createAccessTokenVerifier({ publicKey, issuer, audience }: AccessTokenClaims & { publicKey: KeyObject }) {
  return async (token: string): Promise<Viewer> => {
    try {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer,
        audience,
        clockTolerance: 5,
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      const role = payload.role;
      if (typeof payload.sub !== 'string' || (role !== 'CUSTOMER' && role !== 'ADMIN'))
        throw new InvalidAccessTokenError('missing claims');
      return { id: payload.sub, role };
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new InvalidAccessTokenError('expired');
      throw new InvalidAccessTokenError('malformed or not signed by this supergraph');
    }
  };
}

export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;

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

/** Compares secrets in constant time, whatever their lengths. */
export function isSameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * A subgraph answers GraphQL only to the router: a request without this subgraph's secret gets 403
 * before any GraphQL runs (`_service` and `_entities` included). Health and metrics stay open.
 */
export function requireRouterSecret(secret: string): RequestHandler {
  return (req, res, next) => {
    const given = req.headers[ROUTER_SECRET_HEADER];
    if (typeof given === 'string' && isSameSecret(given, secret)) {
      next();
      return;
    }
    res.status(403).json({ errors: [{ message: 'This service answers only the router.', extensions: { code: 'FORBIDDEN' } }] });
  };
}

/** The header through which one service proves to another's internal API that it may call it. */
export const SERVICE_CREDENTIAL_HEADER = 'x-service-credential';

/**
 * Guards a service-to-service HTTP API (not GraphQL): a request must carry `secret` in
 * x-service-credential. Without the header it gets 401, with a wrong value 403, both as JSON
 * `{ error: { code, message } }` (UNAUTHENTICATED, FORBIDDEN) before anything else runs.
 */
export function requireServiceCredential(secret: string): RequestHandler {
  return (req, res, next) => {
    const given = req.headers[SERVICE_CREDENTIAL_HEADER];
    if (typeof given !== 'string' || given.length === 0) {
      res.status(401).json({
        error: {
          code: 'UNAUTHENTICATED',
          message: `This API needs a service credential in the ${SERVICE_CREDENTIAL_HEADER} header.`,
        },
      });
      return;
    }
    if (!isSameSecret(given, secret)) {
      res.status(403).json({ error: { code: 'FORBIDDEN', message: 'The service credential is not valid for this API.' } });
      return;
    }
    next();
  };
}

/**
 * Resolves who is calling from the Authorization header and keeps it for the context factory: no
 * header means anonymous; a bad token is answered 401 and never downgraded to anonymous.
 */
export function authenticateRequests(verify: AccessTokenVerifier): RequestHandler {
  return async (req, res, next) => {
    try {
      const token = readBearerToken(req.headers.authorization);
      res.locals.accessToken = token;
      res.locals.viewer = token ? await verify(token) : null;
      next();
    } catch (error) {
      if (!(error instanceof InvalidAccessTokenError)) {
        next(error);
        return;
      }
      res
        .status(401)
        .set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${error.reason}"`)
        .json({
          errors: [{ message: `The access token is invalid: ${error.reason}.`, extensions: { code: 'UNAUTHENTICATED' } }],
        });
    }
  };
}
export type AccessTokenIssuer = ReturnType<typeof createAccessTokenIssuer>;
