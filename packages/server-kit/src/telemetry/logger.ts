import { pino, type DestinationStream, type Logger, type LevelWithSilent, type LoggerOptions as PinoOptions } from 'pino';
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
 * JSON lines on stdout, one logger per process, with secrets redacted wherever they appear and
 * database errors logged without their parameter values (serializeError).
 */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  const options: PinoOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError },
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
