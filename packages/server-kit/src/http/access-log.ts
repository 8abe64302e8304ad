import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
// Types only: pino-http's declarations give Express's request its `id` and `log`, as this module sets them.
import type {} from 'pino-http';

/** The header that carries one request's id from the router to every subgraph it calls. */
export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The caller's `x-request-id` header value when it is well-formed (letters, digits and `._:-`, at
 * most 128); else undefined, and the service makes its own: anything else could forge or flood a log
 * line.
 */
export function wellFormedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : undefined;
}

/** What the access log keeps on a request: the `req` of its lines, the service logger, its request logger once made. */
interface RequestLogState {
  fields: { id: string; method: string | undefined; url: string };
  logger: Logger;
  /** The service logger without redaction, for a line whose every field is one of the access log's own. */
  plainLogger: Logger;
  child: Logger | undefined;
  startedAt: number;
  isLogged: boolean;
}

const REQUEST_LOG = Symbol('request log');
type LoggedRequest = IncomingMessage & { id?: unknown; [REQUEST_LOG]?: RequestLogState };
type LoggedResponse = ServerResponse & { [REQUEST_LOG]?: RequestLogState; err?: unknown };

/** The request prototypes (one per Express app) that already have the lazy `log` getter. */
const prototypesWithLog = new WeakSet<object>();

/**
 * One JSON line per request, tagged with its id: the caller's `x-request-id` when well-formed, else
 * a new UUID, echoed in the response. The line is pino-http's, written by hand for less work per
 * request (decision 027, addendum): `req` (`id`, `method`, the path without its query string), `res`
 * (`statusCode`), `responseTime` (ms), the operation's name once GraphQL knows it, `msg` `request
 * completed` (`request errored` with an `err` for a 5xx or a failed response). `req.log`, the logger
 * whose lines carry the same `req`, is made on first use.
 */
export function createAccessLog(logger: Logger): RequestHandler & { logger: Logger } {
  // A completed request's line holds only the fields written below (no headers, no body, no error),
  // so no redaction path can match it, yet the service logger's wildcard paths (`*.password`) cost
  // more than the rest of the line; a failed request's line, with its `err`, goes through them.
  const plainLogger = logger.child({}, { redact: [] });
  const accessLog: RequestHandler = (req, res, next) => {
    const request = req as LoggedRequest;
    if (request[REQUEST_LOG]) {
      // Mounted twice on one request's way (a router with its own routes): one line, one id.
      next();
      return;
    }
    const id = wellFormedRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID();
    res.setHeader(REQUEST_ID_HEADER, id);
    req.id = id;
    const url = req.originalUrl || req.url;
    const queryAt = url.indexOf('?');
    const state: RequestLogState = {
      // The path only: a GET request's query string carries variables, which may hold secrets.
      fields: { id, method: req.method, url: queryAt === -1 ? url : url.slice(0, queryAt) },
      logger,
      plainLogger,
      child: undefined,
      startedAt: Date.now(),
      isLogged: false,
    };
    request[REQUEST_LOG] = state;
    (res as LoggedResponse)[REQUEST_LOG] = state;
    installLogGetter(Object.getPrototypeOf(req) as object);
    res.once('finish', onResponseDone);
    res.once('close', onResponseDone);
    res.once('error', onResponseError);
    next();
  };
  // As pino-http's middleware has it: the logger its lines go to.
  return Object.assign(accessLog, { logger });
}

/** `req.log` on every request of this prototype: the request logger, made when first read. */
function installLogGetter(prototype: object): void {
  if (prototypesWithLog.has(prototype)) return;
  prototypesWithLog.add(prototype);
  Object.defineProperty(prototype, 'log', {
    configurable: true,
    get(this: LoggedRequest): Logger | undefined {
      const state = this[REQUEST_LOG];
      if (!state) return undefined;
      return (state.child ??= state.logger.child({ req: state.fields }));
    },
    // Whoever sets its own (another pino-http) gets a plain property, as before.
    set(this: LoggedRequest, value: unknown) {
      Object.defineProperty(this, 'log', { value, writable: true, configurable: true, enumerable: true });
    },
  });
}

function onResponseDone(this: LoggedResponse): void {
  writeLine(this, undefined);
}

function onResponseError(this: LoggedResponse, error: unknown): void {
  writeLine(this, error);
}

function writeLine(res: LoggedResponse, error: unknown): void {
  const state = res[REQUEST_LOG];
  if (!state || state.isLogged) return;
  state.isLogged = true;
  res.removeListener('finish', onResponseDone);
  res.removeListener('close', onResponseDone);
  res.removeListener('error', onResponseError);
  const operationName = (res as unknown as Response).locals?.operationName as string | undefined;
  const responseTime = Date.now() - state.startedAt;
  const { statusCode } = res;
  const failure = error ?? res.err ?? (statusCode >= 500 ? new Error(`failed with status code ${statusCode}`) : undefined);
  if (failure) {
    state.logger.info({ req: state.fields, operationName, res: { statusCode }, err: failure, responseTime }, 'request errored');
    return;
  }
  // The connection closed before the answer was written out: the client never got it.
  if (!res.writableEnded) {
    state.logger.info({ req: state.fields, operationName, res: { statusCode }, responseTime }, 'request aborted');
    return;
  }
  state.plainLogger.info({ req: state.fields, operationName, res: { statusCode }, responseTime }, 'request completed');
}
