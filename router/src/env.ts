import { resolve } from 'node:path';
import { z } from 'zod';
import { httpUrlSetting, loadSettingsOrExit, parseSettings, REPO_ROOT, serviceSettingsShape } from '@supergraph/server-kit';

const SUBGRAPH_URL_VARIABLE = /^([A-Z][A-Z0-9_]*)_SUBGRAPH_URL$/;

const settingsSchema = z
  .looseObject({
    ...serviceSettingsShape(4000),
    SUPERGRAPH_PATH: z.string().min(1).default('supergraph.graphql'),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int('must be a whole number of milliseconds').min(100, 'must be at least 100').max(300_000, 'must be at most 300000').default(10_000),
  })
  .superRefine((raw, ctx) => {
    for (const [name, value] of Object.entries(raw)) {
      if (SUBGRAPH_URL_VARIABLE.test(name) && !httpUrlSetting.safeParse(value).success) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'must be an http:// or https:// URL' });
      }
    }
  })
  .transform((raw) => ({
    nodeEnv: raw.NODE_ENV,
    isProduction: raw.NODE_ENV === 'production',
    logLevel: raw.LOG_LEVEL,
    http: { host: raw.HOST, port: raw.PORT },
    /** The composed supergraph the router serves; relative paths start at the repository root. */
    supergraphPath: resolve(REPO_ROOT, raw.SUPERGRAPH_PATH),
    /** Deadline of each call to a subgraph, in milliseconds. */
    subgraphTimeoutMs: raw.SUBGRAPH_TIMEOUT_MS,
    /** Routing URLs that replace supergraph.graphql's, by subgraph name (USERS_SUBGRAPH_URL -> users). */
    subgraphUrls: Object.fromEntries(
      Object.entries(raw).flatMap(([name, value]) => {
        const match = SUBGRAPH_URL_VARIABLE.exec(name);
        return match && typeof value === 'string' ? [[match[1]!.toLowerCase(), value]] : [];
      }),
    ) as Record<string, string>,
  }));

export type RouterSettings = z.output<typeof settingsSchema>;

/** Settings from any variable source; tests pass their own. */
export function parseRouterSettings(source: Record<string, string | undefined>): RouterSettings {
  return parseSettings(settingsSchema, source);
}

/** The router's settings, from process.env (the only place it is read). Exits naming any bad variable. */
export function loadSettings(): RouterSettings {
  return loadSettingsOrExit(settingsSchema, process.env);
}
