import type { z } from 'zod';

/** Stripe's error types, the `error.type` every error body carries. */
export type ApiErrorType = 'invalid_request_error' | 'idempotency_error' | 'card_error' | 'authentication_error' | 'api_error';

/** Stripe's error body: `{ error: { type, code?, param?, message, ... } }`. */
export interface ApiErrorBody {
  error: {
    type: ApiErrorType;
    message: string;
    code?: string;
    param?: string;
    decline_code?: string;
    charge?: string;
  };
}

/** An HTTP answer of the API: its status and JSON body. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** A request the API refuses, thrown by a route and answered by the error handler. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.error.message);
    this.name = 'ApiError';
  }

  toResponse(): ApiResponse {
    return { status: this.status, body: this.body };
  }
}

export function invalidRequest(message: string, fields: { code?: string; param?: string } = {}, status = 400): ApiError {
  return new ApiError(status, { error: { type: 'invalid_request_error', message, ...fields } });
}

export function resourceMissing(param: string, id: string, kind: string): ApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', param }, 404);
}

/**
 * Turns a zod failure into Stripe's answer to bad parameters: the first problem, its parameter in
 * Stripe's bracket notation (`metadata[orderId]`), `parameter_missing`, `parameter_invalid` or
 * `parameter_unknown`.
 */
export function invalidParameters(error: z.ZodError, input: unknown): ApiError {
  const issue = error.issues[0];
  if (!issue) return invalidRequest('Invalid request.');
  if (issue.code === 'unrecognized_keys') {
    const param = [...issue.path.map(String), ...issue.keys.slice(0, 1)].join('.');
    return invalidRequest(`Received unknown parameter: ${param}.`, { code: 'parameter_unknown', param });
  }
  const [first, ...rest] = issue.path.map(String);
  const param = first === undefined ? undefined : first + rest.map((part) => `[${part}]`).join('');
  if (!param) return invalidRequest(`Invalid request: ${issue.message}.`);
  const value = issue.path.reduce<unknown>(
    (parent, key) => (parent !== null && typeof parent === 'object' ? (parent as Record<PropertyKey, unknown>)[key] : undefined),
    input,
  );
  const isMissing = value === undefined;
  return invalidRequest(isMissing ? `Missing required param: ${param}.` : `Invalid ${param}: ${issue.message}.`, {
    code: isMissing ? 'parameter_missing' : 'parameter_invalid',
    param,
  });
}
