import { createPrivateKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { loadOrCreateDevelopmentKeys, readPem } from '@supergraph/server-kit/auth';
import { perMinuteSetting, redisUrlSetting } from '@supergraph/server-kit/rate-limit';
import { loadSettingGroupsOrExit, nodeEnvSetting, subgraphSettingsSchema } from '@supergraph/server-kit/settings';
import type { ThrottlingSettings } from './accounts/throttling.js';
import type { PasswordHashingLimits } from './accounts/passwords.js';

export const settingsSchema = subgraphSettingsSchema({ service: 'users', defaultPort: 4001 });

/** What only the users service needs: signing keys, token lifetimes, the demo password. */
const accountSettingsSchema = z
  .object({
    NODE_ENV: nodeEnvSetting,
    JWT_PRIVATE_KEY: z.string().min(1).optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60, 'must be at least 60')
      .max(3600, 'must be at most 3600')
      .default(900),
    SESSION_TTL_DAYS: z.coerce.number().int().min(1, 'must be at least 1').max(365, 'must be at most 365').default(30),
    SEED_PASSWORD: z.string().min(12, 'must be at least 12 characters').default('supergraph-demo-2026'),
    PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1, 'must be at least 1').max(64, 'must be at most 64').default(2),
    PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0, 'must be at least 0').max(10_000, 'must be at most 10000').default(16),
    PASSWORD_HASH_WAIT_MS: z.coerce
      .number()
      .int()
      .min(1, 'must be at least 1')
      .max(60_000, 'must be at most 60000')
      .default(8000),
  })
  .superRefine((raw, ctx) => {
    if (raw.NODE_ENV === 'production' && !raw.JWT_PRIVATE_KEY) {
      ctx.addIssue({ code: 'custom', path: ['JWT_PRIVATE_KEY'], message: 'is required in production (PEM, P-256 / ES256)' });
    }
  })
  .transform((raw) => ({
    privateKeyPem: raw.JWT_PRIVATE_KEY ?? null,
    accessTokenTtlSeconds: raw.ACCESS_TOKEN_TTL_SECONDS,
    sessionTtlMs: raw.SESSION_TTL_DAYS * 24 * 60 * 60 * 1000,
    seedPassword: raw.SEED_PASSWORD,
    /**
     * PASSWORD_HASH_CONCURRENCY (2), PASSWORD_HASH_QUEUE (16), PASSWORD_HASH_WAIT_MS (8000): scrypt hashes
     * at once, waiting, and how long a sign-in waits for its hash (queued and running) before it is
     * refused OVERLOADED (passwords.ts).
     */
    passwordHashing: {
      concurrency: raw.PASSWORD_HASH_CONCURRENCY,
      maxQueued: raw.PASSWORD_HASH_QUEUE,
      maxWaitMs: raw.PASSWORD_HASH_WAIT_MS,
    } satisfies PasswordHashingLimits,
  }));

/** Login and registration throttling (accounts/throttling.ts), shared through Redis when REDIS_URL is set. */
const throttlingSettingsSchema = z
  .object({
    AUTH_RATE_LIMIT_PER_MINUTE: perMinuteSetting('number of account operations', { max: 10_000, fallback: 10 }),
    LOGIN_RATE_LIMIT_PER_MINUTE: perMinuteSetting('number of attempts', { max: 10_000, fallback: 5 }),
    REDIS_URL: redisUrlSetting,
  })
  .transform((raw): ThrottlingSettings => ({
    perAddressPerMinute: raw.AUTH_RATE_LIMIT_PER_MINUTE,
    perAccountPerMinute: raw.LOGIN_RATE_LIMIT_PER_MINUTE,
    redisUrl: raw.REDIS_URL ?? null,
  }));

/** This service's settings, from process.env (the only place it is read). Exits naming any bad variable. */
export function loadSettings() {
  const { common, accounts, throttling } = loadSettingGroupsOrExit(
    { common: settingsSchema, accounts: accountSettingsSchema, throttling: throttlingSettingsSchema },
    process.env,
  );
  return { ...common, accounts, throttling };
}

export type UsersSettings = ReturnType<typeof loadSettings>;

/** The key that signs access tokens: the configured one, or the development pair every service shares. */
export function loadSigningKey(settings: UsersSettings): KeyObject {
  return settings.accounts.privateKeyPem
    ? createPrivateKey(readPem(settings.accounts.privateKeyPem))
    : loadOrCreateDevelopmentKeys(settings.accessTokens.developmentKeysDir).privateKey;
}
