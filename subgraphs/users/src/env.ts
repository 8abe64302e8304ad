import { createPrivateKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { loadOrCreateDevelopmentKeys, readPem } from '@supergraph/server-kit/auth';
import { loadSettingGroupsOrExit, nodeEnvSetting, subgraphSettingsSchema } from '@supergraph/server-kit/settings';

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
  }));

/** This service's settings, from process.env (the only place it is read). Exits naming any bad variable. */
export function loadSettings() {
  const { common, accounts } = loadSettingGroupsOrExit({ common: settingsSchema, accounts: accountSettingsSchema }, process.env);
  return { ...common, accounts };
}

export type UsersSettings = ReturnType<typeof loadSettings>;

/** The key that signs access tokens: the configured one, or the development pair every service shares. */
export function loadSigningKey(settings: UsersSettings): KeyObject {
  return settings.accounts.privateKeyPem
    ? createPrivateKey(readPem(settings.accounts.privateKeyPem))
    : loadOrCreateDevelopmentKeys(settings.accessTokens.developmentKeysDir).privateKey;
}
