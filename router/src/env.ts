import { resolve } from 'node:path';
import { z } from 'zod';
import {
  accessTokenSettingsShape,
  developmentRouterSecret,
  httpUrlSetting,
  loadSettingsOrExit,
  parseSettings,
  REPO_ROOT,
  readHttpSettings,
  serviceSettingsShape,
  type AccessTokenSettings,
} from '@supergraph/server-kit/settings';
import { corsOriginsSetting, DEVELOPMENT_CORS_ORIGINS } from './cors.js';
import { limitSettingsShape, readLimitSettings } from './limit-settings.js';

const SUBGRAPH_URL_VARIABLE = /^([A-Z][A-Z0-9_]*)_SUBGRAPH_URL$/;
const SUBGRAPH_SECRET_VARIABLE = /^([A-Z][A-Z0-9_]*)_SUBGRAPH_SECRET$/;

const settingsSchema = z
  .looseObject({
    ...serviceSettingsShape(4000),
    ...accessTokenSettingsShape(),
    DATA_DIR: z.string().min(1).default('data'),
    SUPERGRAPH_PATH: z.string().min(1).default('supergraph.graphql'),
    SUBGRAPH_TIMEOUT_MS: z.coerce
      .number()
      .int('must be a whole number of milliseconds')
      .min(100, 'must be at least 100')
      .max(300_000, 'must be at most 300000')
      .default(10_000),
    PERSISTED_OPERATIONS: z.enum(['off', 'safelist']).default('off'),
    CORS_ORIGINS: corsOriginsSetting.optional(),
    PERSISTED_OPERATIONS_MANIFEST: z.string().min(1).default('operations/__generated__/persisted-query-manifest.json'),
    ...limitSettingsShape,
  })
  .superRefine((raw, ctx) => {
    for (const [name, value] of Object.entries(raw)) {
      if (SUBGRAPH_URL_VARIABLE.test(name) && !httpUrlSetting.safeParse(value).success) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'must be an http:// or https:// URL' });
      }
    }
  })
  .superRefine((raw, ctx) => {
    if (raw.NODE_ENV === 'production' && !raw.JWT_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEY'], message: 'is required in production (PEM)' });
    }
  })
  .transform((raw) => ({
    nodeEnv: raw.NODE_ENV,
    isProduction: raw.NODE_ENV === 'production',
    logLevel: raw.LOG_LEVEL,
    http: readHttpSettings(raw),
    /** The composed supergraph the router serves; relative paths start at the repository root. */
    supergraphPath: resolve(REPO_ROOT, raw.SUPERGRAPH_PATH),
    /** Deadline of each call to a subgraph, in milliseconds. */
    subgraphTimeoutMs: raw.SUBGRAPH_TIMEOUT_MS,
    /**
     * `safelist`: run only the operations in the manifest (npm run codegen writes it from operations/);
     * `off` (default): run any operation. Automatic persisted queries work in both modes.
     */
    persistedOperations: {
      mode: raw.PERSISTED_OPERATIONS,
      manifestPath: resolve(REPO_ROOT, raw.PERSISTED_OPERATIONS_MANIFEST),
    },
    /** Routing URLs that replace supergraph.graphql's, by subgraph name (USERS_SUBGRAPH_URL -> users). */
    subgraphUrls: Object.fromEntries(
      Object.entries(raw).flatMap(([name, value]) => {
        const match = SUBGRAPH_URL_VARIABLE.exec(name);
        return match && typeof value === 'string' ? [[match[1]!.toLowerCase(), value]] : [];
      }),
    ),
    /** The secret each subgraph expects in x-router-secret, by subgraph name (USERS_SUBGRAPH_SECRET -> users). */
    subgraphSecrets: Object.fromEntries(
      Object.entries(raw).flatMap(([name, value]) => {
        const match = SUBGRAPH_SECRET_VARIABLE.exec(name);
        return match && typeof value === 'string' ? [[match[1]!.toLowerCase(), value]] : [];
      }),
    ),
    /**
     * The browser origins that may call the router (cors.ts): CORS_ORIGINS, or in development any
     * localhost port and Apollo Studio; in production none until listed.
     */
    corsOrigins: raw.CORS_ORIGINS ?? (raw.NODE_ENV === 'production' ? [] : corsOriginsSetting.parse(DEVELOPMENT_CORS_ORIGINS)),
    /** Request bounds, body limit, rate limits, Redis and trusted proxies (limit-settings.ts). */
    limits: readLimitSettings(raw),
    accessTokens: {
      publicKeyPem: raw.JWT_PUBLIC_KEY ?? null,
      developmentKeysDir: resolve(REPO_ROOT, raw.DATA_DIR, 'keys'),
      issuer: raw.JWT_ISSUER,
      audience: raw.JWT_AUDIENCE,
    } satisfies AccessTokenSettings,
  }));

/**
 * The secret to present to a subgraph: its configured one, or in development the default that
 * subgraph uses too. In production a subgraph without a configured secret cannot be called.
 */
export function resolveSubgraphSecret(
  settings: Pick<RouterSettings, 'subgraphSecrets' | 'isProduction'>,
  subgraph: string,
): string {
  const secret = settings.subgraphSecrets[subgraph];
  const variable = `${subgraph.toUpperCase()}_SUBGRAPH_SECRET`;
  if (settings.isProduction && (!secret || secret.length < 32)) {
    // Raised while the supergraph loads, so the router refuses to start rather than call a subgraph unprotected.
    throw new Error(`${variable} is required in production, at least 32 characters`);
  }
  if (secret) return secret;
  return developmentRouterSecret(subgraph);
}

export type RouterSettings = z.output<typeof settingsSchema>;

/** Settings from any variable source; tests pass their own. */
export function parseRouterSettings(source: Record<string, string | undefined>): RouterSettings {
  return parseSettings(settingsSchema, source);
}

/** The router's settings, from process.env (the only place it is read). Exits naming any bad variable. */
export function loadSettings(): RouterSettings {
  return loadSettingsOrExit(settingsSchema, process.env);
}
