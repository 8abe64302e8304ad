import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './api-errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Refuses, with Stripe's 401 `authentication_error`, any request without `Authorization: Bearer <secretKey>`. */
export function requireSecretKey(secretKey: string): RequestHandler {
  const expected = digest(secretKey);
  return (req, res, next) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    // Compare digests, not the keys, so the comparison takes the same time whatever the key's length.
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer realm="payment-sandbox"');
    throw new ApiError(401, {
      error: {
        type: 'authentication_error',
        message:
          presented === undefined
            ? 'You did not provide an API key. Send your secret key as Authorization: Bearer <key>.'
            : 'Invalid API key provided.',
      },
    });
  };
}
