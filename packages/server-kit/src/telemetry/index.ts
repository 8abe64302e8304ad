// @supergraph/server-kit/telemetry: Logs and metrics.
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { createMetrics, type ServiceMetrics } from './metrics.js';
