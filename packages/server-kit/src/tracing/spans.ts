import {
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { isTracingEnabled } from './state.js';

/** The tracer of the spans server-kit makes itself (SQL, GraphQL, DataLoader batches). */
export const SERVER_KIT_TRACER = '@supergraph/server-kit';

export interface SpanOptions {
  attributes?: Attributes;
  /** Spans this one relates to without being their child (recovery work links the checkout request's span). Default none. */
  links?: Link[];
  /** Starts a new trace instead of a child of the active span. Default false. */
  root?: boolean;
  /** Default INTERNAL. */
  kind?: SpanKind;
  /** The tracer's name, e.g. the service package ('@supergraph/orders'). Default '@supergraph/server-kit'. */
  tracer?: string;
  /** The parent, when it is not the active context. Default the active context. */
  parent?: Context;
}

/** What a span callback gets while tracing is off: it records nothing and costs nothing to call. */
const NON_RECORDING_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Runs `fn` inside a new span, active for everything `fn` starts (SQL statements, fetches), and ends
 * the span when `fn` returns or its promise settles: with error status when it throws or rejects.
 * With tracing off it only calls `fn` (with a span that records nothing).
 */
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T>;
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T;
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T> | T): Promise<T> | T {
  if (!isTracingEnabled()) return fn(NON_RECORDING_SPAN);
  const span = startSpan(name, options);
  return context.with(trace.setSpan(options.parent ?? context.active(), span), () => {
    let result: Promise<T> | T;
    try {
      result = fn(span);
    } catch (error) {
      markSpanFailed(span, error);
      span.end();
      throw error;
    }
    if (!isPromiseLike(result)) {
      span.end();
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        markSpanFailed(span, error);
        span.end();
        throw error;
      },
    );
  });
}

/**
 * Starts a span (a child of `options.parent` or of the active context) that the caller ends; it
 * does not become the active span. With tracing off, a span that records nothing.
 */
export function startChildSpan(name: string, options: SpanOptions = {}): Span {
  if (!isTracingEnabled()) return NON_RECORDING_SPAN;
  return startSpan(name, options);
}

function startSpan(name: string, options: SpanOptions): Span {
  return trace.getTracer(options.tracer ?? SERVER_KIT_TRACER).startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.links ? { links: options.links } : {}),
      ...(options.root ? { root: true } : {}),
    },
    options.parent ?? context.active(),
  );
}

/**
 * Error status and `error.type` (the error's code, else its class name). Never the message: errors
 * can quote what a user sent (an email, an address, a value a database refused).
 */
export function markSpanFailed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute('error.type', errorTypeOf(error));
}

function errorTypeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    if (error instanceof Error) return error.name;
  }
  return 'Error';
}

function isPromiseLike<T>(value: Promise<T> | T): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The parts of an Express request (or a plain IncomingMessage) its route is read from. */
interface RoutedRequest {
  method?: string | undefined;
  url?: string | undefined;
  originalUrl?: string;
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * The route pattern that answered a request, as Express matched it (`/internal/reservations/:id`);
 * `/graphql` for the GraphQL endpoint (mounted with app.use, so it has no route of its own); else
 * `other`. Bounded: never a raw path with ids in it. Read it once the response is finished.
 */
export function httpRouteOf(request: RoutedRequest): string {
  const routePath = request.route?.path;
  if (typeof routePath === 'string') return `${request.baseUrl ?? ''}${routePath}`;
  const url = request.originalUrl ?? request.url ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path === '/graphql' ? '/graphql' : 'other';
}

/**
 * Names an HTTP server span `<METHOD> <route>` (`POST /graphql`, `GET /internal/reservations/:id`)
 * and sets `http.route`, from what Express matched. The http instrumentation calls it as the
 * response finishes (start.ts: applyCustomAttributesOnSpan), before the span ends.
 */
export function nameServerSpan(span: Span, request: RoutedRequest): void {
  const route = httpRouteOf(request);
  span.updateName(`${request.method ?? 'GET'} ${route}`);
  if (route !== 'other') span.setAttribute('http.route', route);
}
