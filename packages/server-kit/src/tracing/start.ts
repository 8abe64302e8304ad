import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import {
  ROOT_CONTEXT,
  defaultTextMapGetter,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { readTracingSettings, type IncomingTraceContextPolicy } from './settings.js';
import { nameServerSpan } from './spans.js';
import { setTracingSdk } from './state.js';

/** Probes are polled every few seconds by supervisors and Prometheus: no trace for them. */
const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);

export interface StartTracingOptions {
  /** The service name, unless OTEL_SERVICE_NAME says otherwise. */
  service: string;
  /**
   * Whether this process is the edge that clients call (the router): its TRACE_INCOMING_CONTEXT
   * decides what a caller's traceparent does. Inside, a caller is one of our services (the router,
   * orders) and its traceparent is always continued. Default false.
   */
  isEdge?: boolean;
}

/**
 * Starts the OpenTelemetry SDK for this process when an exporter is configured (the standard
 * OTEL_* variables) and OTEL_SDK_DISABLED is not true; otherwise does nothing, loads nothing, and
 * every tracing hook in server-kit stays off. Call it first, before importing the service (index.ts
 * imports its main module after this resolves), so that `http` is instrumented before anything loads
 * it. Exits with a message naming the variable when a setting is invalid.
 */
export async function startTracing({ service, isEdge = false }: StartTracingOptions): Promise<void> {
  let settings;
  try {
    settings = readTracingSettings(service);
  } catch (error) {
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service, msg: (error as Error).message })}\n`,
    );
    process.exit(1);
  }
  if (!settings.enabled) return;
  // Metrics are prom-client's on GET /metrics and logs are JSON lines on stdout (decision 025): the
  // SDK exports traces only, unless the operator asks for more with the standard variables.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';

  const [{ NodeSDK }, { HttpInstrumentation }, { UndiciInstrumentation }, core] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/core'),
  ]);
  const w3c = new core.CompositePropagator({
    propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
  });
  const policy: IncomingTraceContextPolicy = isEdge ? settings.incomingContext : 'honor';
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    textMapPropagator: policy === 'honor' ? w3c : new OutgoingOnlyPropagator(w3c),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(pathOf(request.url)),
        // Only the exporter's own calls go out through node:http (suppressed by the SDK); services
        // call each other with fetch, which the undici instrumentation traces.
        ignoreOutgoingRequestHook: () => true,
        // A GraphQL GET carries its variables in the query string: never into a span.
        startIncomingSpanHook: (request) => (request.url?.includes('?') ? { 'url.query': '[redacted]' } : {}),
        requestHook: (span, request) => {
          if (policy === 'link' && isIncomingMessage(request)) linkCallerSpan(span, request, w3c);
        },
        // Called as the response finishes, once Express has matched the route: `POST /graphql`, not `POST`.
        applyCustomAttributesOnSpan: (span, request) => {
          if (isIncomingMessage(request)) nameServerSpan(span, request);
        },
      }),
      new UndiciInstrumentation(),
    ],
  });
  sdk.start();
  // The http instrumentation patches node:http when it is required, which an ES module's import does
  // not do: require it here, so that every server is instrumented whoever creates it and however it
  // imports node:http (today Express's own require would do it, a little later).
  createRequire(import.meta.url)('http');
  setTracingSdk(sdk, policy);
}

function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

/** A server's incoming request (the hooks get a ClientRequest for outgoing calls): it has no setHeader. */
function isIncomingMessage(request: object): request is IncomingMessage {
  return 'headers' in request && !('setHeader' in request);
}

/** The caller's span, when its traceparent is well-formed, as a link from the router's new trace. */
function linkCallerSpan(span: Span, request: IncomingMessage, w3c: TextMapPropagator): void {
  const caller = trace.getSpanContext(w3c.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter));
  if (caller) span.addLink({ context: caller, attributes: { 'link.reason': 'caller traceparent' } });
}

/**
 * At the edge: injects our trace context into the calls the router makes, but never takes a client's
 * traceparent, tracestate or baggage as the parent of ours (a client must not choose our trace ids,
 * force sampling, or put baggage into every service's context).
 */
class OutgoingOnlyPropagator implements TextMapPropagator {
  constructor(private readonly inner: TextMapPropagator) {}
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.inner.inject(context, carrier, setter);
  }
  extract(context: Context, _carrier: unknown, _getter: TextMapGetter): Context {
    return context;
  }
  fields(): string[] {
    return this.inner.fields();
  }
}
