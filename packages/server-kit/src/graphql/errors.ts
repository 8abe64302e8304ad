import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';

/**
 * The codes any service may answer (`extensions.code`) without declaring them: server-kit's own and
 * those Apollo Server answers by itself. A service's own codes are a closed list in its
 * `src/errors.ts`, one error class per code; the documented table of every code clients can see is
 * tested against those lists.
 */
export const GENERIC_ERROR_CODES = [
  // Bad arguments or input fields (`argumentName` names one), or variables that do not fit their types.
  'BAD_USER_INPUT',
  // The thing asked for does not exist (or is not the caller's to know about).
  'NOT_FOUND',
  // No valid access token where one is needed; a bad token is also answered HTTP 401.
  'UNAUTHENTICATED',
  // Signed in, but not allowed; a subgraph called without its router secret answers it with HTTP 403.
  'FORBIDDEN',
  // Anything unexpected: the client gets this code alone, the operator the full log line.
  'INTERNAL_SERVER_ERROR',
  // HTTP 400: the request itself cannot be read (a body that is not JSON, no operation, a persisted query whose hash does not match its text).
  'BAD_REQUEST',
  // HTTP 413: the body is larger than the service accepts (the router's REQUEST_BODY_LIMIT).
  'PAYLOAD_TOO_LARGE',
  // Apollo Server: the operation text is not GraphQL.
  'GRAPHQL_PARSE_FAILED',
  // Apollo Server: the operation does not fit the schema (unknown field, wrong argument type, ...), or asks for introspection in production.
  'GRAPHQL_VALIDATION_FAILED',
  // Apollo Server: `operationName` names no operation of the document, or a document of several names none.
  'OPERATION_RESOLUTION_FAILURE',
  // Apollo Server: an automatic persisted query sent by hash alone that this process has not seen; the client sends the text once.
  'PERSISTED_QUERY_NOT_FOUND',
  // Over a rate limit (the router's per caller, the users service's per address and per account); `retryAfter` in seconds, HTTP 429 at the router.
  'RATE_LIMITED',
  // HTTP 503 with Retry-After: too much work at once (the router's request queue, the users service's password hashing); `retryAfter` in seconds.
  'OVERLOADED',
] as const;

export type GenericErrorCode = (typeof GENERIC_ERROR_CODES)[number];

/**
 * An expected failure: its message, code and extensions reach the client as they are. Abstract, so
 * a code is never a free string: each code has its own subclass, and `Code` is the closed union its
 * service declares.
 */
export abstract class AppError<Code extends string = string> extends GraphQLError {
  readonly code: Code;

  protected constructor(message: string, code: Code, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = new.target.name;
    this.code = code;
  }
}

/** The client sent something invalid; `argumentName` names the offending argument or field. */
export class BadUserInputError extends AppError<'BAD_USER_INPUT'> {
  constructor(message: string, argumentName?: string, extensions: Record<string, unknown> = {}) {
    super(message, 'BAD_USER_INPUT', argumentName === undefined ? extensions : { ...extensions, argumentName });
  }
}

export class NotFoundError extends AppError<'NOT_FOUND'> {
  constructor(message: string) {
    super(message, 'NOT_FOUND');
  }
}

export class UnauthenticatedError extends AppError<'UNAUTHENTICATED'> {
  constructor(message = 'You must be signed in to do this.') {
    super(message, 'UNAUTHENTICATED');
  }
}

export class ForbiddenError extends AppError<'FORBIDDEN'> {
  constructor(message = 'You are not allowed to do this.') {
    super(message, 'FORBIDDEN');
  }
}

/**
 * Too much work at once: nothing was done, and the same request may be sent again after
 * `retryAfter` seconds. A subgraph raises it inside a 200 answer, so the router passes it through
 * (an HTTP error status would become SUBGRAPH_ERROR there); the router answers 503 with Retry-After.
 */
export class OverloadedError extends AppError<'OVERLOADED'> {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, 'OVERLOADED', { retryAfter: retryAfterSeconds });
  }
}

/**
 * The one place an unexpected error becomes a generic INTERNAL_SERVER_ERROR for the client and a
 * full log line (with stack) for the operator. Expected errors (GraphQLErrors we or graphql-js
 * raised, each with its own code) pass through untouched.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    // An error with its own code (ours, graphql-js's, or one a subgraph returned through the gateway)
    // is the whole story for the client. Stack traces never go to clients; they go to the log.
    if (original instanceof AppError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR')
      return withoutStacktrace(formatted);
    // A code-less GraphQLError about the request itself (no path: Apollo's own checks, such as a
    // persisted query whose hash does not match its text) is the client's to fix.
    if (original instanceof GraphQLError && !original.originalError && formatted.path === undefined) {
      const code: GenericErrorCode = 'BAD_REQUEST';
      return withoutStacktrace({ ...formatted, extensions: { ...formatted.extensions, code } });
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' satisfies GenericErrorCode },
    };
  };
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
