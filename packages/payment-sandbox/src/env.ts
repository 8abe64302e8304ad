import { resolve } from 'node:path';
import {
  loadSettingsOrExit,
  readServerTimeouts,
  REPO_ROOT,
  resolveListenHost,
  serviceSettingsShape,
} from '@supergraph/server-kit/settings';
import { z } from 'zod';

/** The secret key the sandbox accepts outside production when none is configured. */
export const DEVELOPMENT_SECRET_KEY = 'sk_test_development';

const MIN_PRODUCTION_SECRET_KEY_LENGTH = 32;

export const settingsSchema = z
  .object({
    ...serviceSettingsShape(4010),
    PAYMENT_SANDBOX_SECRET_KEY: z.string().min(1).optional(),
    DATA_DIR: z.string().min(1).default('data'),
    PAYMENT_SANDBOX_DATA_FILE: z.string().min(1).optional(),
    PAYMENT_SANDBOX_SLOW_CHARGE_MS: z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(0, 'must not be negative')
      .default(3000),
  })
  .superRefine((raw, ctx) => {
    if (raw.NODE_ENV !== 'production') return;
    const key = raw.PAYMENT_SANDBOX_SECRET_KEY;
    if (!key || key.length < MIN_PRODUCTION_SECRET_KEY_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAYMENT_SANDBOX_SECRET_KEY'],
        message: `is required in production, at least ${MIN_PRODUCTION_SECRET_KEY_LENGTH} characters`,
      });
    }
  })
  .transform((raw) => ({
    nodeEnv: raw.NODE_ENV,
    logLevel: raw.LOG_LEVEL,
    http: { host: resolveListenHost(raw.HOST, raw.NODE_ENV), port: raw.PORT, timeouts: readServerTimeouts(raw) },
    secretKey: raw.PAYMENT_SANDBOX_SECRET_KEY ?? DEVELOPMENT_SECRET_KEY,
    /** Relative paths resolve against the repository root, like DATA_DIR; `:memory:` keeps nothing. */
    dataFile:
      raw.PAYMENT_SANDBOX_DATA_FILE === ':memory:'
        ? ':memory:'
        : resolve(REPO_ROOT, raw.PAYMENT_SANDBOX_DATA_FILE ?? resolve(REPO_ROOT, raw.DATA_DIR, 'payment-sandbox.sqlite')),
    slowChargeMs: raw.PAYMENT_SANDBOX_SLOW_CHARGE_MS,
  }));

export type PaymentSandboxSettings = z.output<typeof settingsSchema>;

/** The sandbox's settings, from process.env (the only place it is read). Exits naming any bad variable. */
export function loadSettings(): PaymentSandboxSettings {
  return loadSettingsOrExit(settingsSchema, process.env);
}
