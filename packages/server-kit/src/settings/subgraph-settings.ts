import { resolve } from 'node:path';
import { z } from 'zod';
import type { DatabaseLocation } from '../db/database.js';
import {
  accessTokenSettingsShape,
  developmentRouterSecret,
  MIN_PRODUCTION_SECRET_LENGTH,
  postgresUrlSetting,
  readHttpSettings,
  REPO_ROOT,
  serviceSettingsShape,
  type AccessTokenSettings,
} from './settings.js';

/**
 * The settings schema every subgraph starts from: NODE_ENV, LOG_LEVEL, HOST, PORT, METRICS_PORT; where its data
 * lives (Postgres when `<SERVICE>_DATABASE_URL` is set, e.g. PRODUCTS_DATABASE_URL, otherwise the
 * SQLite file `<DATA_DIR>/<service>.sqlite`, DATA_DIR defaulting to `./data` at the repository root);
 * the secret the router must present (`<SERVICE>_SUBGRAPH_SECRET`, required in production); and how
 * to verify access tokens (see accessTokenSettingsShape).
 */
export function subgraphSettingsSchema({ service, defaultPort }: { service: string; defaultPort: number }) {
  const urlVariable = `${service.toUpperCase()}_DATABASE_URL`;
  const secretVariable = `${service.toUpperCase()}_SUBGRAPH_SECRET`;
  return z
    .object({
      ...serviceSettingsShape(defaultPort),
      ...accessTokenSettingsShape(),
      DATA_DIR: z.string().min(1).default('data'),
      [urlVariable]: postgresUrlSetting.optional(),
      [secretVariable]: z.string().min(1).optional(),
    })
    .superRefine((raw, ctx) => {
      if (raw.NODE_ENV !== 'production') return;
      const secret = (raw as Record<string, unknown>)[secretVariable] as string | undefined;
      if (!secret || secret.length < MIN_PRODUCTION_SECRET_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          path: [secretVariable],
          message: `is required in production, at least ${MIN_PRODUCTION_SECRET_LENGTH} characters`,
        });
      }
      if (!raw.JWT_PUBLIC_KEY)
        ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEY'], message: 'is required in production (PEM)' });
    })
    .transform((raw) => {
      const values = raw as Record<string, unknown>;
      const url = values[urlVariable] as string | undefined;
      const dataDir = resolve(REPO_ROOT, raw.DATA_DIR);
      const database: DatabaseLocation = url
        ? { dialect: 'postgres', url, variable: urlVariable }
        : { dialect: 'sqlite', file: resolve(dataDir, `${service}.sqlite`) };
      const accessTokens: AccessTokenSettings = {
        publicKeyPem: raw.JWT_PUBLIC_KEY ?? null,
        developmentKeysDir: resolve(dataDir, 'keys'),
        issuer: raw.JWT_ISSUER,
        audience: raw.JWT_AUDIENCE,
      };
      return {
        service,
        nodeEnv: raw.NODE_ENV,
        isProduction: raw.NODE_ENV === 'production',
        logLevel: raw.LOG_LEVEL,
        http: readHttpSettings(raw),
        database,
        /** What the router must send in x-router-secret. */
        routerSecret: (values[secretVariable] as string | undefined) ?? developmentRouterSecret(service),
        accessTokens,
      };
    });
}

export type SubgraphSettings = z.output<ReturnType<typeof subgraphSettingsSchema>>;
