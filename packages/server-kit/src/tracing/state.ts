import type { IncomingTraceContextPolicy } from './settings.js';

/**
 * Whether this process started the OpenTelemetry SDK. Read on hot paths (every log line, every SQL
 * statement) so that with tracing off they do no tracing work at all, not even a no-op span.
 */
let sdk: { shutdown(): Promise<void> } | null = null;
let incomingPolicy: IncomingTraceContextPolicy = 'honor';

export function isTracingEnabled(): boolean {
  return sdk !== null;
}

/** What this process does with a caller's traceparent (the router's TRACE_INCOMING_CONTEXT; `honor` elsewhere). */
export function incomingTraceContextPolicy(): IncomingTraceContextPolicy {
  return incomingPolicy;
}

export function setTracingSdk(started: { shutdown(): Promise<void> }, policy: IncomingTraceContextPolicy): void {
  sdk = started;
  incomingPolicy = policy;
}

/**
 * Tests only: turns isTracingEnabled() on without starting the SDK, so server-kit's hooks create
 * spans through whatever tracer provider the test registered (an in-memory exporter). Returns the
 * function that turns it back off.
 */
export function enableTracingForTests(): () => void {
  const previous = sdk;
  sdk = { shutdown: async () => undefined };
  return () => {
    sdk = previous;
  };
}

/**
 * Sends the spans still buffered and stops the SDK; resolves at once when tracing is off, and after
 * `timeoutMs` at most. Never rejects: an unreachable collector must not turn a clean shutdown into a
 * failed one.
 */
export async function shutdownTracing(timeoutMs = 5_000): Promise<void> {
  const started = sdk;
  sdk = null;
  if (!started) return;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  await Promise.race([started.shutdown().catch(() => undefined), gaveUp]);
  clearTimeout(timer);
}
