// @supergraph/server-kit/tracing: OpenTelemetry for every process, off unless an exporter is configured.
// Lean on purpose: a service's index.ts imports it before anything else.
export { startTracing, type StartTracingOptions } from './start.js';
export {
  readTracingSettings,
  tracingEnvironmentSchema,
  INCOMING_TRACE_CONTEXT_POLICIES,
  type IncomingTraceContextPolicy,
  type TracingSettings,
} from './settings.js';
export { isTracingEnabled, incomingTraceContextPolicy, shutdownTracing, enableTracingForTests } from './state.js';
export {
  withSpan,
  startChildSpan,
  markSpanFailed,
  httpRouteOf,
  nameServerSpan,
  SERVER_KIT_TRACER,
  type SpanOptions,
} from './spans.js';
