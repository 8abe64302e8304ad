import { fileURLToPath } from 'node:url';
import { z } from 'zod';

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
    METRICS_PORT: metricsPortSetting,
    ...serverTimeoutSettingsShape(),
  };
}

/**
 * METRICS_PORT: where GET /metrics is served on a listener of its own (same HOST), for Prometheus
 * only. Unset (or empty): no such listener; then /metrics is on the public port outside production
 * and nowhere in production. 0 picks a free port (tests).
 */
export const metricsPortSetting = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .optional(),
);

/** Where a service listens, as runService takes it: `{ ...settings.http, logger }`. */
export interface HttpSettings {
  host: string;
  port: number;
  /** The port of the metrics listener (METRICS_PORT); undefined for none. */
  metricsPort?: number;
  timeouts: ServerTimeouts;
}

/** The `http` group of a service's settings, from the variables of serviceSettingsShape. */
export function readHttpSettings(raw: {
  NODE_ENV: string;
  HOST?: string | undefined;
  PORT: number;
  METRICS_PORT?: number | undefined;
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number;
}): HttpSettings {
  return {
    host: resolveListenHost(raw.HOST, raw.NODE_ENV),
    port: raw.PORT,
    ...(raw.METRICS_PORT === undefined ? {} : { metricsPort: raw.METRICS_PORT }),
    timeouts: readServerTimeouts(raw),
  };
}

/** How long an HTTP server waits on a client, in milliseconds (decision 020). */
export interface ServerTimeouts {
  /** From a connection's first byte to the end of the request headers. */
  headersTimeoutMs: number;
  /** From the first byte to the end of the request body (a slow upload): answered 408, then closed. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open after its last response. */
  keepAliveTimeoutMs: number;
}

/**
 * Headers 10 s, a whole request 30 s, idle keep-alive 72 s: longer than the 60 s idle timeout of
 * common load balancers, so the proxy (or the router's fetch) always closes an idle connection first and
 * never sends a request on one this service is closing (decision 020).
 */
export const DEFAULT_SERVER_TIMEOUTS: Readonly<ServerTimeouts> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 72_000,
};

const timeoutSetting = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100')
    .max(600_000, 'must be at most 600000 (10 minutes)')
    .default(fallback);

/** HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS; part of serviceSettingsShape. */
export function serverTimeoutSettingsShape() {
  return {
    HTTP_HEADERS_TIMEOUT_MS: timeoutSetting(DEFAULT_SERVER_TIMEOUTS.headersTimeoutMs),
    HTTP_REQUEST_TIMEOUT_MS: timeoutSetting(DEFAULT_SERVER_TIMEOUTS.requestTimeoutMs),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: timeoutSetting(DEFAULT_SERVER_TIMEOUTS.keepAliveTimeoutMs),
  };
}

/**
 * The server timeouts of parsed settings. The headers are part of the request, so a headers timeout
 * longer than the request timeout is cut to it (Node refuses the pair otherwise).
 */
export function readServerTimeouts(raw: {
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number;
}): ServerTimeouts {
  return {
    headersTimeoutMs: Math.min(raw.HTTP_HEADERS_TIMEOUT_MS, raw.HTTP_REQUEST_TIMEOUT_MS),
    requestTimeoutMs: raw.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: raw.HTTP_KEEP_ALIVE_TIMEOUT_MS,
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
