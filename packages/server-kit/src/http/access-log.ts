import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { serializeError } from '../telemetry/error-serializer.js';

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

/**
 * One JSON line per request, tagged with its id: the caller's `x-request-id` when well-formed, else
 * a new UUID, echoed in the response. The operation's name joins the line once GraphQL knows it.
 */
export function createAccessLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = wellFormedRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customProps: (_req, res) => ({ operationName: (res as Response).locals?.operationName as unknown }),
    serializers: {
      // The path only: a GET request's query string carries variables, which may hold secrets.
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // pino-http puts its own on the request logger otherwise, in place of the service logger's.
      err: serializeError,
    },
  });
}
