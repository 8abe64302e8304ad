import { HeaderMap } from '@apollo/server';
import { AppError } from '@supergraph/server-kit/graphql';
import type { Response } from 'express';

/** `extensions.code` of an operation refused for its size or shape (HTTP 400). */
export type QueryLimitCode =
  | 'QUERY_TOO_DEEP'
  | 'TOO_MANY_ALIASES'
  | 'TOO_MANY_DIRECTIVES'
  | 'TOO_MANY_TOKENS'
  | 'PAGE_SIZE_TOO_LARGE'
  | 'QUERY_TOO_COSTLY'
  /** More than one register, login, refreshToken or changePassword field in one operation. */
  | 'TOO_MANY_ACCOUNT_MUTATIONS'
  /** More login attempts on one account in one operation than its bucket holds: waiting would never help. */
  | 'TOO_MANY_LOGIN_ATTEMPTS';

/**
 * A refusal the router answers itself, before planning: its HTTP status and headers travel in
 * `extensions.http`, which Apollo Server applies to the response and strips from the body; express
 * middleware sends the same thing with sendLimitError.
 */
abstract class LimitError extends AppError {
  constructor(
    message: string,
    code: string,
    readonly status: number,
    readonly headers: Record<string, string>,
    extensions: Record<string, unknown>,
  ) {
    super(message, code, { ...extensions, http: { status, headers: new HeaderMap(Object.entries(headers)) } });
  }
}

/** The operation is too big or too expensive: HTTP 400 with a code per limit and the limit in `extensions.limit`. */
export class QueryLimitError extends LimitError {
  constructor(message: string, code: QueryLimitCode, limit: number) {
    super(message, code, 400, {}, { limit });
  }
}

/** Over a rate limit: HTTP 429 with Retry-After and the RateLimit headers; `extensions.retryAfter` in seconds. */
export class RateLimitedError extends LimitError {
  constructor(message: string, headers: Record<string, string>, retryAfterSeconds: number) {
    super(message, 'RATE_LIMITED', 429, headers, { retryAfter: retryAfterSeconds });
  }
}

/** Answers a request with a limit error, shaped as Apollo Server shapes it: `{ errors: [{ message, extensions }] }`. */
export function sendLimitError(res: Response, error: QueryLimitError | RateLimitedError): void {
  const { http: _http, ...extensions } = error.extensions;
  res
    .status(error.status)
    .set(error.headers)
    .json({ errors: [{ message: error.message, extensions }] });
}
