import { z } from 'zod';
import {
  developmentServiceSecret,
  loadSettingGroupsOrExit,
  MIN_PRODUCTION_SECRET_LENGTH,
  nodeEnvSetting,
  subgraphSettingsSchema,
} from '@supergraph/server-kit/settings';

export const settingsSchema = subgraphSettingsSchema({ service: 'products', defaultPort: 4002 });

/** What only the products service needs: its internal inventory API and the reservation expiry sweep. */
export const inventorySettingsSchema = z
  .object({
    NODE_ENV: nodeEnvSetting,
    PRODUCTS_INVENTORY_SECRET: z.string().min(1).optional(),
    RESERVATION_TTL_SECONDS: z.coerce
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1')
      .max(86_400, 'must be at most 86400 (24 hours)')
      .default(900),
    RESERVATION_SWEEP_INTERVAL_MS: z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(100, 'must be at least 100')
      .max(3_600_000, 'must be at most 3600000 (an hour)')
      .default(30_000),
  })
  .superRefine((raw, ctx) => {
    const secret = raw.PRODUCTS_INVENTORY_SECRET;
    if (raw.NODE_ENV === 'production' && (!secret || secret.length < MIN_PRODUCTION_SECRET_LENGTH)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PRODUCTS_INVENTORY_SECRET'],
        message: `is required in production, at least ${MIN_PRODUCTION_SECRET_LENGTH} characters`,
      });
    }
  })
  .transform((raw) => ({
    /** What callers of the internal inventory API must send in x-service-credential. */
    secret: raw.PRODUCTS_INVENTORY_SECRET ?? developmentServiceSecret('products-inventory'),
    /** Lifetime of a reservation whose request names none. */
    reservationTtlSeconds: raw.RESERVATION_TTL_SECONDS,
    /** Pause between two expiry sweeps. */
    sweepIntervalMs: raw.RESERVATION_SWEEP_INTERVAL_MS,
  }));

/** This service's settings, from process.env (the only place it is read). Exits naming any bad variable. */
export function loadSettings() {
  const { common, inventory } = loadSettingGroupsOrExit(
    { common: settingsSchema, inventory: inventorySettingsSchema },
    process.env,
  );
  return { ...common, inventory };
}
