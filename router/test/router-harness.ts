import type { GraphQLService } from '@supergraph/server-kit/http';
import { createLogger, createMetrics } from '@supergraph/server-kit/telemetry';
import { createTestKeys } from '@supergraph/server-kit/testing';
import { afterEach } from 'vitest';
import { parseRouterSettings } from '../src/env.js';
import { loadPersistedOperationsManifest } from '../src/persisted-operations-manifest.js';
import { createRouter } from '../src/server.js';

// The real router (createRouter, as index.ts builds it) over the committed supergraph, with no
// subgraph running: `{ __typename }` is answered by the router itself, and every refusal the tests
// check comes before a subgraph would be called (one that reached a subgraph would see SUBGRAPH_UNAVAILABLE).

export const keys = createTestKeys();
const NOWHERE = 'http://127.0.0.1:9/graphql';
let router: GraphQLService | undefined;

afterEach(async () => {
  await router?.close();
  router = undefined;
});

/**
 * Starts the router with settings read from `env` as main.ts reads them (SUPERGRAPH_PATH,
 * SUBGRAPH_TIMEOUT_MS and the limits included); resolves to its /graphql URL. `subgraphUrls` points
 * some subgraphs at a test's own server; the others stay unreachable.
 */
export async function startRouter(env: Record<string, string> = {}, subgraphUrls: Record<string, string> = {}): Promise<string> {
  const settings = parseRouterSettings(env);
  router = await createRouter({
    supergraphPath: settings.supergraphPath,
    subgraphUrls: { users: NOWHERE, products: NOWHERE, orders: NOWHERE, ...subgraphUrls },
    subgraphTimeoutMs: settings.subgraphTimeoutMs,
    logger: createLogger({ service: 'router', level: 'silent' }),
    metrics: createMetrics('router'),
    isProduction: settings.isProduction,
    verifyAccessToken: keys.verify,
    secretFor: () => 'test-secret',
    persistedQueries: await loadPersistedOperationsManifest(settings.persistedOperations.manifestPath),
    safelist: settings.persistedOperations.mode === 'safelist',
    limits: settings.limits,
    corsOrigins: settings.corsOrigins,
  });
  return router.listen(0, '127.0.0.1');
}

/** POSTs a JSON body (a string is sent as it is) with extra headers. */
export function post(
  url: string,
  body: object | string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The router's /metrics, as Prometheus scrapes it. */
export async function scrapeMetrics(url: string): Promise<string> {
  const response = await fetch(new URL('/metrics', url));
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}
