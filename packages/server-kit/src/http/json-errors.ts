import type { ErrorRequestHandler, Request } from 'express';
import type { Logger } from 'pino';
import type { GenericErrorCode } from '../graphql/errors.js';

/** What went wrong with a request before a route could answer it, as the client may be told. */
export interface RequestProblem {
  /** The HTTP status: the one Express or body-parser gave a client error, else 500. */
  status: number;
  code: Extract<GenericErrorCode, 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE' | 'INTERNAL_SERVER_ERROR'>;
  /** Safe to show: never an internal error's own message. */
  message: string;
}

/** The fields Express and body-parser set on the errors they raise (http-errors). */
interface HttpErrorFields {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/**
 * Classifies an error raised outside any route's own handling: an oversized body (413), a body that
 * is not JSON, another client error Express raised (its status, its message when it may be shown),
 * or anything else (500, a generic message).
 */
export function describeRequestError(error: unknown): RequestProblem {
  const fields: HttpErrorFields = typeof error === 'object' && error !== null ? error : {};
  const status = fields.status ?? fields.statusCode ?? 500;
  if (status === 413) return { status, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' };
  if (status < 400 || status >= 500) return { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' };
  if (fields.type === 'entity.parse.failed')
    return { status, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' };
  const message = fields.expose && fields.message ? fields.message : 'The request cannot be read.';
  return { status, code: 'BAD_REQUEST', message };
}

export interface JsonErrorHandlerOptions {
  logger: Logger;
  /** The log line's message for an unexpected error (logged with the error, method and path). */
  unexpectedErrorMessage: string;
  /** The answer to an error this API raises on purpose; undefined for any other error. Default none. */
  answerKnownError?: (error: unknown) => { status: number; body: unknown } | undefined;
  /** This API's JSON error body for a request-level problem or an unexpected error. */
  toBody: (problem: RequestProblem) => unknown;
  /** The body's media type for this request. Default `application/json`. */
  mediaType?: (req: Request) => string;
}

/**
 * The last Express handler of every HTTP API here: errors become JSON in the API's own shape with
 * the right status, never Express's HTML page, and an unexpected one is logged for the operator.
 */
export function createJsonErrorHandler(options: JsonErrorHandlerOptions): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = options.answerKnownError?.(error);
    if (known) {
      res.status(known.status).json(known.body);
      return;
    }
    const problem = describeRequestError(error);
    if (problem.status >= 500) {
      options.logger.error(
        { err: error, method: req.method, url: req.originalUrl.split('?')[0] },
        options.unexpectedErrorMessage,
      );
    }
    res
      .status(problem.status)
      .type(options.mediaType?.(req) ?? 'application/json')
      .json(options.toBody(problem));
  };
}
