import { HeaderMap } from '@apollo/server';
import { AppError } from '@supergraph/server-kit/graphql';
import { sendGraphQLErrors } from '@supergraph/server-kit/http';
import { RateLimitedError as RateLimitRefusal, type RateLimitDecision } from '@supergraph/server-kit/rate-limit';
import type { Response } from 'express';

/**
 * The codes the router answers itself, beyond the generic ones (GENERIC_ERROR_CODES in server-kit);
 * a subgraph's own codes pass through it unchanged. Codes and extension field names are a public
 * contract: never rename them.
 */
export const ROUTER_ERROR_CODES = [
  // A subgraph could not be reached (refused connection, reset, unknown host); `serviceName` names it.
  'SUBGRAPH_UNAVAILABLE',
  // A subgraph did not answer within SUBGRAPH_TIMEOUT_MS; `serviceName` names it.
  'SUBGRAPH_TIMEOUT',
  // A subgraph answered with an HTTP error status instead of a GraphQL response; `serviceName` names it.
  'SUBGRAPH_ERROR',
  // HTTP 400: the operation nests fields deeper than QUERY_MAX_DEPTH (`limit`).
  'QUERY_TOO_DEEP',
  // HTTP 400: the operation has more aliases than QUERY_MAX_ALIASES (`limit`).
  'TOO_MANY_ALIASES',
  // HTTP 400: the operation has more directives than QUERY_MAX_DIRECTIVES (`limit`).
  'TOO_MANY_DIRECTIVES',
  // HTTP 400: the operation text has more lexical tokens than QUERY_MAX_TOKENS (`limit`), before parsing.
  'TOO_MANY_TOKENS',
  // HTTP 400: a `first` or `last` argument asks for more than a page holds (`limit`).
  'PAGE_SIZE_TOO_LARGE',
  // HTTP 400: the operation's estimated cost is above QUERY_MAX_COST (`limit`).
  'QUERY_TOO_COSTLY',
  // HTTP 400: more than one register, login, refreshToken or changePassword field in one operation (`limit`).
  'TOO_MANY_ACCOUNT_MUTATIONS',
  // Declared, no longer answered: login attempts are limited in the users service, one attempt per field (decision 022).
  'TOO_MANY_LOGIN_ATTEMPTS',
  // HTTP 400: with PERSISTED_OPERATIONS=safelist, an operation that is not in the manifest.
  'PERSISTED_QUERY_NOT_IN_SAFELIST',
] as const;

export type RouterErrorCode = (typeof ROUTER_ERROR_CODES)[number];

/** Which subgraph failed: the only detail of a failed call a client is told (never its URL or body). */
interface FailedSubgraph {
  serviceName: string;
}

export class SubgraphUnavailableError extends AppError<RouterErrorCode> {
  constructor(data: FailedSubgraph) {
    super(`The ${data.serviceName} service is unavailable.`, 'SUBGRAPH_UNAVAILABLE', { ...data });
  }
}

export class SubgraphTimeoutError extends AppError<RouterErrorCode> {
  constructor(data: FailedSubgraph, timeoutMs: number) {
    super(`The ${data.serviceName} service did not answer within ${timeoutMs} ms.`, 'SUBGRAPH_TIMEOUT', { ...data });
  }
}

/** The code is SUBGRAPH_ERROR: the subgraph answered, with an HTTP error status. */
export class SubgraphFailedError extends AppError<RouterErrorCode> {
  constructor(data: FailedSubgraph, httpStatus: number) {
    super(`The ${data.serviceName} service failed to answer (HTTP ${httpStatus}).`, 'SUBGRAPH_ERROR', { ...data });
  }
}

/**
 * A refusal the router answers itself, before planning: its HTTP status and headers travel in
 * `extensions.http`, which Apollo Server applies to the response and strips from the body; express
 * middleware sends the same thing with sendRefusal.
 */
export abstract class RefusalError extends AppError<RouterErrorCode | 'RATE_LIMITED'> {
  protected constructor(
    message: string,
    code: RouterErrorCode | 'RATE_LIMITED',
    readonly status: number,
    readonly headers: Record<string, string>,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, code, { ...extensions, http: { status, headers: new HeaderMap(Object.entries(headers)) } });
  }
}

/**
 * A request whose operation cannot be resolved: `operationName` names no operation of the document,
 * or a document of several operations names none. Apollo Server leaves this to the executor, and
 * @apollo/gateway throws on it (a 500), so the router answers it first: HTTP 400, the generic code.
 */
export class OperationNotResolvedError extends AppError<'OPERATION_RESOLUTION_FAILURE'> {
  constructor(operationName: string | undefined) {
    super(
      operationName === undefined
        ? 'Must provide operation name if query contains multiple operations.'
        : `Unknown operation named "${operationName}".`,
      'OPERATION_RESOLUTION_FAILURE',
      { http: { status: 400, headers: new HeaderMap() } },
    );
  }
}

/** An operation of a type the graph does not serve (a subscription: there is no Subscription type): HTTP 400. */
export class UnsupportedOperationTypeError extends AppError<'GRAPHQL_VALIDATION_FAILED'> {
  constructor(operationType: string) {
    super(`This graph has no ${operationType} type: it serves queries and mutations.`, 'GRAPHQL_VALIDATION_FAILED', {
      http: { status: 400, headers: new HeaderMap() },
    });
  }
}

/** The operation is too big or too expensive: HTTP 400, the limit it broke in `extensions.limit`. */
export abstract class QueryLimitError extends RefusalError {
  protected constructor(message: string, code: RouterErrorCode, limit: number) {
    super(message, code, 400, {}, { limit });
  }
}

/** The shape limits' messages are graphql-armor's own, so these take the message as it gives it. */
export type ShapeLimitErrorClass = new (message: string, limit: number) => QueryLimitError;

export class QueryTooDeepError extends QueryLimitError {
  constructor(message: string, limit: number) {
    super(message, 'QUERY_TOO_DEEP', limit);
  }
}

export class TooManyAliasesError extends QueryLimitError {
  constructor(message: string, limit: number) {
    super(message, 'TOO_MANY_ALIASES', limit);
  }
}

export class TooManyDirectivesError extends QueryLimitError {
  constructor(message: string, limit: number) {
    super(message, 'TOO_MANY_DIRECTIVES', limit);
  }
}

export class TooManyTokensError extends QueryLimitError {
  constructor(limit: number) {
    super(`The operation has more than ${limit} tokens, the limit.`, 'TOO_MANY_TOKENS', limit);
  }
}

export class PageSizeTooLargeError extends QueryLimitError {
  constructor(page: { argument: 'first' | 'last'; size: number; path: string }, limit: number) {
    super(`\`${page.argument}\` is ${page.size} on ${page.path}; a page holds at most ${limit}.`, 'PAGE_SIZE_TOO_LARGE', limit);
  }
}

export class QueryTooCostlyError extends QueryLimitError {
  constructor(cost: number, limit: number) {
    super(
      `The operation's estimated cost is ${cost}, above the limit of ${limit}: ask for smaller pages or fewer nested lists.`,
      'QUERY_TOO_COSTLY',
      limit,
    );
  }
}

export class TooManyAccountMutationsError extends QueryLimitError {
  constructor(count: number, limit: number) {
    super(
      `The operation has ${count} account mutations (register, login, refreshToken, changePassword); send one per request.`,
      'TOO_MANY_ACCOUNT_MUTATIONS',
      limit,
    );
  }
}

/**
 * Over the per-caller rate limit: HTTP 429 with Retry-After and the RateLimit headers, the message
 * and `extensions.retryAfter` (seconds) as the users service gives them for its own limits
 * (RATE_LIMITED is a generic code: server-kit's rate-limit).
 */
export class RateLimitedError extends RefusalError {
  constructor(decision: RateLimitDecision, what: string) {
    const refusal = new RateLimitRefusal(decision, what);
    super(refusal.message, 'RATE_LIMITED', 429, refusal.headers, { retryAfter: refusal.retryAfterSeconds });
  }
}

export class PersistedQueryNotInSafelistError extends RefusalError {
  constructor() {
    super(
      'This router only runs operations from its persisted-operations manifest; send the sha256 hash of a listed operation in extensions.persistedQuery.',
      'PERSISTED_QUERY_NOT_IN_SAFELIST',
      400,
      {},
    );
  }
}

/** Where a refusal's code is noted on the response it answers, for the refusal metrics (refusal-metrics.ts). */
const REFUSAL_CODE_LOCAL = 'refusalCode';

/** Notes that `res` answers a request the router refuses itself, with `code`. */
export function noteRefusal(res: Response, code: string): void {
  res.locals[REFUSAL_CODE_LOCAL] = code;
}

/** The code noteRefusal noted on `res`, if any. */
export function notedRefusal(res: Response): unknown {
  return res.locals[REFUSAL_CODE_LOCAL];
}

/** Answers a request with a refusal, shaped as Apollo Server shapes it: `{ errors: [{ message, extensions }] }`. */
export function sendRefusal(res: Response, error: RefusalError): void {
  noteRefusal(res, error.code);
  const { http: _http, ...extensions } = error.extensions;
  sendGraphQLErrors(
    res,
    error.status,
    [{ message: error.message, extensions: { ...extensions, code: error.code } }],
    error.headers,
  );
}
