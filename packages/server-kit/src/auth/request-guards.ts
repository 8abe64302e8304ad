import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendGraphQLErrors } from '../http/graphql-response.js';
import { InvalidAccessTokenError, readBearerToken, type AccessTokenVerifier } from './access-tokens.js';

/** The header through which the router proves to a subgraph that a request comes from it. */
export const ROUTER_SECRET_HEADER = 'x-router-secret';

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
    sendGraphQLErrors(res, 403, [{ message: 'This service answers only the router.', extensions: { code: 'FORBIDDEN' } }]);
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
      sendGraphQLErrors(
        res,
        401,
        [{ message: `The access token is invalid: ${error.reason}.`, extensions: { code: 'UNAUTHENTICATED' } }],
        { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${error.reason}"` },
      );
    }
  };
}
