import { z } from 'zod';
import {
  developmentServiceSecret,
  httpUrlSetting,
  loadSettingGroupsOrExit,
  MIN_PRODUCTION_SECRET_LENGTH,
  nodeEnvSetting,
  subgraphSettingsSchema,
} from '@supergraph/server-kit/settings';
import { CRASH_POINTS } from './checkout/crash-points.js';

export const settingsSchema = subgraphSettingsSchema({ service: 'orders', defaultPort: 4003 });

/** The sandbox's development key (packages/payment-sandbox); production must set its own provider's key. */
const DEVELOPMENT_PAYMENT_SECRET_KEY = 'sk_test_development';
/** Where `npm start` runs products and the payment sandbox. */
const DEVELOPMENT_PRODUCTS_URL = 'http://127.0.0.1:4002';
const DEVELOPMENT_PAYMENT_PROVIDER_URL = 'http://127.0.0.1:4010';

function milliseconds(defaultValue: number, min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(defaultValue);
}

/** What only the orders service needs: checkout's two remote parties and the saga's timing. */
export const checkoutSettingsSchema = z
  .object({
    NODE_ENV: nodeEnvSetting,
    PRODUCTS_INTERNAL_URL: httpUrlSetting.optional(),
    PRODUCTS_INVENTORY_SECRET: z.string().min(1).optional(),
    INVENTORY_TIMEOUT_MS: milliseconds(2_000, 100, 60_000),
    PAYMENT_PROVIDER_URL: httpUrlSetting.optional(),
    PAYMENT_PROVIDER_SECRET_KEY: z.string().min(1).optional(),
    PAYMENT_PROVIDER_TIMEOUT_MS: milliseconds(5_000, 100, 60_000),
    CHECKOUT_DEADLINE_SECONDS: z.coerce
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(10, 'must be at least 10')
      .max(3_600, 'must be at most 3600 (an hour)')
      .default(300),
    CHECKOUT_PAYMENT_SETTLE_SECONDS: z.coerce
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1')
      .max(3_600, 'must be at most 3600 (an hour)')
      .default(60),
    CHECKOUT_LATE_CHARGE_CHECK_SECONDS: z.coerce
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1')
      .max(86_400, 'must be at most 86400 (a day)')
      .default(3_600),
    CHECKOUT_RECOVERY_INTERVAL_MS: milliseconds(5_000, 50, 600_000),
    CHECKOUT_LEASE_MS: milliseconds(30_000, 1_000, 600_000),
    CHECKOUT_WAIT_MS: milliseconds(8_000, 0, 60_000),
    IDEMPOTENCY_KEY_RETENTION_HOURS: z.coerce
      .number({ error: 'must be a number of hours' })
      .int('must be a whole number of hours')
      .min(24, 'must be at least 24: clients may retry for a day')
      .max(24 * 90, 'must be at most 2160 (90 days)')
      .default(24 * 7),
    CHECKOUT_CRASH_POINT: z.enum(CRASH_POINTS, { error: `must be one of ${CRASH_POINTS.join(', ')}` }).optional(),
  })
  .superRefine((raw, ctx) => {
    if (raw.CHECKOUT_LEASE_MS <= Math.max(raw.INVENTORY_TIMEOUT_MS, raw.PAYMENT_PROVIDER_TIMEOUT_MS)) {
      ctx.addIssue({
        code: 'custom',
        path: ['CHECKOUT_LEASE_MS'],
        message: 'must be longer than INVENTORY_TIMEOUT_MS and PAYMENT_PROVIDER_TIMEOUT_MS, or two drivers would overlap',
      });
    }
    if (raw.NODE_ENV !== 'production') return;
    // Production names its parties explicitly; the provider's key never travels in clear.
    for (const name of ['PRODUCTS_INTERNAL_URL', 'PAYMENT_PROVIDER_URL'] as const) {
      if (raw[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
    }
    if (raw.PAYMENT_PROVIDER_URL !== undefined && !raw.PAYMENT_PROVIDER_URL.startsWith('https://')) {
      ctx.addIssue({ code: 'custom', path: ['PAYMENT_PROVIDER_URL'], message: 'must be an https:// URL in production' });
    }
    for (const name of ['PRODUCTS_INVENTORY_SECRET', 'PAYMENT_PROVIDER_SECRET_KEY'] as const) {
      const secret = raw[name];
      if (!secret || secret.length < MIN_PRODUCTION_SECRET_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is required in production, at least ${MIN_PRODUCTION_SECRET_LENGTH} characters`,
        });
      }
    }
    if (raw.CHECKOUT_CRASH_POINT !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['CHECKOUT_CRASH_POINT'], message: 'is for crash tests and refused in production' });
    }
  })
  .transform((raw) => ({
    inventory: {
      baseUrl: raw.PRODUCTS_INTERNAL_URL ?? DEVELOPMENT_PRODUCTS_URL,
      secret: raw.PRODUCTS_INVENTORY_SECRET ?? developmentServiceSecret('products-inventory'),
      timeoutMs: raw.INVENTORY_TIMEOUT_MS,
    },
    payments: {
      baseUrl: raw.PAYMENT_PROVIDER_URL ?? DEVELOPMENT_PAYMENT_PROVIDER_URL,
      secretKey: raw.PAYMENT_PROVIDER_SECRET_KEY ?? DEVELOPMENT_PAYMENT_SECRET_KEY,
      timeoutMs: raw.PAYMENT_PROVIDER_TIMEOUT_MS,
    },
    saga: {
      deadlineMs: raw.CHECKOUT_DEADLINE_SECONDS * 1000,
      paymentSettleMs: raw.CHECKOUT_PAYMENT_SETTLE_SECONDS * 1000,
      lateChargeCheckMs: raw.CHECKOUT_LATE_CHARGE_CHECK_SECONDS * 1000,
      recoveryIntervalMs: raw.CHECKOUT_RECOVERY_INTERVAL_MS,
      leaseMs: raw.CHECKOUT_LEASE_MS,
      waitMs: raw.CHECKOUT_WAIT_MS,
      idempotencyRetentionMs: raw.IDEMPOTENCY_KEY_RETENTION_HOURS * 3_600_000,
      crashPoint: raw.CHECKOUT_CRASH_POINT,
    },
  }));

export type CheckoutSettings = z.output<typeof checkoutSettingsSchema>;

/** This service's settings, from process.env (the only place it is read). Exits naming any bad variable. */
export function loadSettings() {
  const { common, checkout } = loadSettingGroupsOrExit({ common: settingsSchema, checkout: checkoutSettingsSchema }, process.env);
  return { ...common, checkout };
}
