import { pino, type DestinationStream, type Logger, type LevelWithSilent, type LoggerOptions as PinoOptions } from 'pino';
import { trace } from '@opentelemetry/api';
import { isTracingEnabled } from '../tracing/state.js';
import { serializeError } from './error-serializer.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** The service name, written on every line as `service`. */
  service: string;
  /** Minimum level written. Default `info`. */
  level?: LevelWithSilent;
  /** Where lines go. Default stdout. */
  destination?: DestinationStream;
}

/**
 * `trace_id` and `span_id` of the span active where the line is written, so a log line leads to its
 * trace and a trace to its lines. Nothing when tracing is off or no span is active.
 */
function traceFields(): Record<string, string> {
  if (!isTracingEnabled()) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * JSON lines on stdout, one logger per process, with secrets redacted wherever they appear and
 * database errors logged without their parameter values (serializeError), and the active trace's ids
 * on every line written inside a span (traceFields).
 */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  const options: PinoOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError },
    mixin: traceFields,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-router-secret"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.accessToken',
        '*.refreshToken',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
