// @supergraph/server-kit/telemetry: Logs and metrics.
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { createMetrics, LATENCY_BUCKETS, STATEMENT_BUCKETS, type CreateMetricsOptions, type ServiceMetrics } from './metrics.js';
