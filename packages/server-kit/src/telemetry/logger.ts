import { pino, type DestinationStream, type Logger, type LevelWithSilent, type LoggerOptions as PinoOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** The service name, written on every line as `service`. */
  service: string;
  /** Minimum level written. Default `info`. */
  level?: LevelWithSilent;
  /** Where lines go. Default stdout. */
  destination?: DestinationStream;
}

/** JSON lines on stdout, one logger per process, with secrets redacted wherever they appear. */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  const options: PinoOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
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
