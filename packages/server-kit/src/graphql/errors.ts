import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';

/**
 * The codes any service may answer (`extensions.code`). A service's own codes are a closed list in
 * its `src/errors.ts`, one error class per code; the documented table of every code clients can see
 * is tested against those lists.
 */
export const GENERIC_ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INTERNAL_SERVER_ERROR',
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
      return withoutStacktrace({ ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } });
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
