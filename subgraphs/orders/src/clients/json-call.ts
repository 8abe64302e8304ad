import { requestIdHeaders } from './call-scope.js';

/**
 * One JSON call to another service, for the clients checkout uses (inventory, payments): a deadline
 * from sending the request to reading the whole answer, and every way it can fail without an answer
 * turned into a value rather than an exception, because for the saga "no answer" is a result with a
 * meaning of its own: the call may or may not have acted.
 */

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** No answer that says what happened: retry the same (idempotent) call. */
export interface NoAnswer {
  status: 'unavailable';
  isRetryable: true;
  /**
   * `timeout`: no answer before the deadline (the request may still complete); `unreachable`: no
   * connection could be made (the request never left); `provider_error`: the other side answered
   * with an error of its own or an answer that made no sense, or the connection broke mid-request.
   */
  reason: 'timeout' | 'unreachable' | 'provider_error';
  /** For the log, not for the customer. */
  message: string;
}

export interface JsonCallOptions {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON when given. */
  body?: unknown;
  timeoutMs: number;
}

export async function callJson({ method, url, headers = {}, body, timeoutMs }: JsonCallOptions): Promise<JsonAnswer | NoAnswer> {
  const call = `${method} ${new URL(url).pathname}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...requestIdHeaders(),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    return describeFailure(error, call, timeoutMs);
  }
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return noAnswer('provider_error', `${call} answered ${response.status} with a body that is not JSON`);
  }
}

export function noAnswer(reason: NoAnswer['reason'], message: string): NoAnswer {
  return { status: 'unavailable', isRetryable: true, reason, message };
}

export function isNoAnswer(answer: JsonAnswer | NoAnswer): answer is NoAnswer {
  return answer.status === 'unavailable';
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function describeFailure(error: unknown, call: string, timeoutMs: number): NoAnswer {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return noAnswer('timeout', `${call} got no answer within ${timeoutMs} ms`);
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = code ?? (typeof cause?.message === 'string' ? cause.message : String(error));
  // Refused or unresolvable: the request never left. Anything else (a reset, a dropped connection)
  // may have happened after the other side acted, so it is reported as its failure.
  return code && UNREACHABLE_CODES.has(code)
    ? noAnswer('unreachable', `${call} could not connect: ${detail}`)
    : noAnswer('provider_error', `${call} failed: ${detail}`);
}
