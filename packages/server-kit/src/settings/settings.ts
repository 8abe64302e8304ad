import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DatabaseLocation } from '../db/database.js';

/** Raised when settings do not validate; the message names every bad variable. */
export class InvalidSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidSettingsError';
  }
}

/**
 * Validates environment variables against a zod schema. Packages call this from their own env.ts,
 * the one place that reads process.env, and get back a typed settings object.
 */
export function parseSettings<TSchema extends z.ZodType>(
  schema: TSchema,
  source: Record<string, string | undefined>,
): z.output<TSchema> {
  return parseSettingGroups({ settings: schema }, source).settings;
}

/** Several schemas read from the same variables, by group name. */
export type SettingGroups = Record<string, z.ZodType>;

/** Each group's parsed settings, by group name. */
export type ParsedSettingGroups<TGroups extends SettingGroups> = { [Group in keyof TGroups]: z.output<TGroups[Group]> };

/**
 * Validates the same variables against several schemas (a service's common settings and those of
 * one of its domains) and reports the problems of every group at once, so that fixing one bad
 * variable never reveals another only on the next start.
 */
export function parseSettingGroups<TGroups extends SettingGroups>(
  groups: TGroups,
  source: Record<string, string | undefined>,
): ParsedSettingGroups<TGroups> {
  const parsed: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [group, schema] of Object.entries(groups)) {
    const result = schema.safeParse(source);
    if (result.success) parsed[group] = result.data;
    else problems.push(...result.error.issues.map((issue) => describeIssue(issue, source)));
  }
  if (problems.length > 0) throw new InvalidSettingsError([...new Set(problems)]);
  return parsed as ParsedSettingGroups<TGroups>;
}

function describeIssue(issue: z.core.$ZodIssue, source: Record<string, string | undefined>): string {
  const variable = issue.path.map(String).join('.') || '(settings)';
  const value = typeof issue.path[0] === 'string' ? source[issue.path[0]] : undefined;
  return `${variable}: ${issue.message}${value === undefined ? '' : ` (got ${describeValue(variable, value)})`}`;
}

const SECRET_VARIABLE = /SECRET|PASSWORD|PRIVATE_KEY|TOKEN/;

/** A rejected value as an error message may show it: never a secret, never a URL's password. */
function describeValue(variable: string, value: string): string {
  if (SECRET_VARIABLE.test(variable)) return `a value of ${value.length} characters`;
  if (/_URL$/.test(variable)) {
    try {
      const url = new URL(value);
      if (url.password) url.password = '***';
      return JSON.stringify(url.toString());
    } catch {
      return JSON.stringify(value.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@'));
    }
  }
  return JSON.stringify(value);
}

/** Like parseSettings, but prints the problems and stops the process: for entry points. */
export function loadSettingsOrExit<TSchema extends z.ZodType>(
  schema: TSchema,
  source: Record<string, string | undefined>,
): z.output<TSchema> {
  return loadSettingGroupsOrExit({ settings: schema }, source).settings;
}

/** Like parseSettingGroups, but prints every group's problems and stops the process: for entry points. */
export function loadSettingGroupsOrExit<TGroups extends SettingGroups>(
  groups: TGroups,
  source: Record<string, string | undefined>,
): ParsedSettingGroups<TGroups> {
  try {
    return parseSettingGroups(groups, source);
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** A TCP port; 0 asks the OS for a free one. */
export function portSetting(defaultPort: number) {
  return z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(defaultPort);
}

export const nodeEnvSetting = z.enum(['development', 'test', 'production']).default('development');

export const logLevelSetting = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info');

/** An absolute http(s) URL. */
export const httpUrlSetting = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** The settings every service shares, in the variables' own names; map them in your env.ts. */
export function serviceSettingsShape(defaultPort: number) {
  return {
    NODE_ENV: nodeEnvSetting,
    LOG_LEVEL: logLevelSetting,
    /** Default: 127.0.0.1 outside production (a development stack is not reachable from the network), 0.0.0.0 in production. */
    HOST: z.string().min(1).optional(),
    PORT: portSetting(defaultPort),
  };
}

/** The repository root, against which relative DATA_DIR values are resolved. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The interface to listen on: HOST, else loopback outside production and every interface in production. */
export function resolveListenHost(host: string | undefined, nodeEnv: string): string {
  return host ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1');
}

/** A postgres:// or postgresql:// URL. */
export const postgresUrlSetting = z.string().refine(
  (value) => {
    try {
      return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { error: 'must be a postgres://user:password@host:port/database URL' },
);

/**
 * How every service verifies access tokens: the users service's public key (`JWT_PUBLIC_KEY`, PEM;
 * required in production, otherwise the development key pair under `<DATA_DIR>/keys` is used and
 * made on first start), and the issuer and audience tokens must carry.
 */
export function accessTokenSettingsShape() {
  return {
    JWT_PUBLIC_KEY: z.string().min(1).optional(),
    JWT_ISSUER: z.string().min(1).default('supergraph-users'),
    JWT_AUDIENCE: z.string().min(1).default('supergraph'),
  };
}

/** Where a service gets the key that verifies access tokens, once settings are parsed. */
export interface AccessTokenSettings {
  /** PEM from JWT_PUBLIC_KEY; null in development, where the generated key pair is used. */
  publicKeyPem: string | null;
  /** Where the development key pair lives. */
  developmentKeysDir: string;
  issuer: string;
  audience: string;
}

/** The shortest secret (router secret, service credential) a production setting may hold. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

/** The development-only secret a subgraph and the router share when none is configured. */
export function developmentRouterSecret(service: string): string {
  return `development-only-${service}-router-secret`;
}

/**
 * The development-only credential for a service-to-service API when none is configured, so both
 * sides agree without settings (`developmentServiceSecret('products-inventory')`). Never accepted in
 * production, where the setting is required.
 */
export function developmentServiceSecret(api: string): string {
  return `development-only-${api}-service-secret`;
}

/**
 * The settings schema every subgraph starts from: NODE_ENV, LOG_LEVEL, HOST, PORT; where its data
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
        http: { host: resolveListenHost(raw.HOST, raw.NODE_ENV), port: raw.PORT },
        database,
        /** What the router must send in x-router-secret. */
        routerSecret: (values[secretVariable] as string | undefined) ?? developmentRouterSecret(service),
        accessTokens,
      };
    });
}

export type SubgraphSettings = z.output<ReturnType<typeof subgraphSettingsSchema>>;

/**
 * The Postgres server test suites create their throwaway databases on: TEST_POSTGRES_URL, by default
 * the local server as `postgres` (trust auth). Whether the Postgres pass runs is decided once per
 * test run (vitest.global-setup.ts); CI=true makes an unreachable server an error instead of a skip.
 */
export function readTestDatabaseSettings(source: Record<string, string | undefined> = process.env) {
  return {
    postgresAdminUrl: source.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    isCi: source.CI === 'true' || source.CI === '1',
  };
}
