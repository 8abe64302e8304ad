import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { GenericErrorCode } from '@supergraph/server-kit/graphql';
import { LATENCY_BUCKETS } from '@supergraph/server-kit/telemetry';
import type { RouterErrorCode } from './errors.js';

/**
 * How a subgraph call ended: `success` (2xx, no GraphQL errors), `error` (answered, with GraphQL
 * errors), `failed` (an HTTP error status), `timeout` (no answer within SUBGRAPH_TIMEOUT_MS) or
 * `unavailable` (not reached: refused connection, reset, unknown host).
 */
export const SUBGRAPH_FETCH_OUTCOMES = ['success', 'error', 'failed', 'timeout', 'unavailable'] as const;
export type SubgraphFetchOutcome = (typeof SUBGRAPH_FETCH_OUTCOMES)[number];

/**
 * The codes of the requests the router refuses itself, before executing anything: the closed set of
 * `router_refusals_total`'s `code` label, every one exported from the start (at 0) so that rules and
 * dashboards have a series to read before the first refusal. Each is a code the router answers
 * (ROUTER_ERROR_CODES) or a generic one (GENERIC_ERROR_CODES): the compiler checks it.
 */
export const REFUSAL_CODES = [
  'RATE_LIMITED',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'TOO_MANY_TOKENS',
  'PAGE_SIZE_TOO_LARGE',
  'QUERY_TOO_COSTLY',
  'TOO_MANY_ACCOUNT_MUTATIONS',
  'PERSISTED_QUERY_NOT_IN_SAFELIST',
  'PAYLOAD_TOO_LARGE',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'OVERLOADED',
] as const satisfies readonly (RouterErrorCode | GenericErrorCode)[];
export type RefusalCode = (typeof REFUSAL_CODES)[number];

const refusalCodes: ReadonlySet<string> = new Set(REFUSAL_CODES);

export function isRefusalCode(code: unknown): code is RefusalCode {
  return typeof code === 'string' && refusalCodes.has(code);
}

/** How many hex characters of the supergraph's sha256 label its series: enough to tell deployments apart. */
const SUPERGRAPH_HASH_LENGTH = 12;

/**
 * The router's own series, on the service's registry beside the shared ones (server-kit's
 * createMetrics): subgraph calls, refusals, and which supergraph is served. Names and labels are a
 * contract with ops/ (decision 025); every label value is bounded (subgraph names come from the
 * supergraph, codes and outcomes from the closed sets above, the hash changes per deployment).
 */
export interface RouterMetrics {
  /** Starts timing one call to `subgraph`; the function returned records it with how it ended. */
  startSubgraphFetch(subgraph: string): (outcome: SubgraphFetchOutcome) => void;
  /** Counts one request the router refused itself. */
  countRefusal(code: RefusalCode): void;
  /**
   * The supergraph served from now on, by the sha256 of its SDL: its `router_supergraph_info` series
   * replaces the previous one. A reload also counts as a successful reload.
   */
  showServedSupergraph(sha256: string, options: { isReload: boolean }): void;
  /** Counts a changed supergraph file that could not be served (the previous one still is). */
  countFailedReload(): void;
}

export function createRouterMetrics(registry: Registry): RouterMetrics {
  const registers = [registry];
  const subgraphFetchDuration = new Histogram({
    name: 'router_subgraph_fetch_duration_seconds',
    help: 'Time from sending a subgraph request to its answer or failure, by subgraph and outcome.',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const refusals = new Counter({
    name: 'router_refusals_total',
    help: 'Requests the router refused itself before executing them, by error code.',
    labelNames: ['code'] as const,
    registers,
  });
  const supergraphReloads = new Counter({
    name: 'router_supergraph_reloads_total',
    help: 'Changes of the supergraph file, by outcome: success (now served) or failure (the previous one still is).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const supergraphInfo = new Gauge({
    name: 'router_supergraph_info',
    help: 'The supergraph being served: 1, labelled with the first 12 hex characters of the sha256 of its SDL.',
    labelNames: ['hash'] as const,
    registers,
  });
  for (const code of REFUSAL_CODES) refusals.inc({ code }, 0);
  for (const outcome of ['success', 'failure']) supergraphReloads.inc({ outcome }, 0);

  let servedHash: string | null = null;
  return {
    startSubgraphFetch(subgraph) {
      const stopTimer = subgraphFetchDuration.startTimer({ subgraph });
      return (outcome) => stopTimer({ outcome });
    },
    countRefusal(code) {
      refusals.inc({ code });
    },
    showServedSupergraph(sha256, { isReload }) {
      const hash = sha256.slice(0, SUPERGRAPH_HASH_LENGTH);
      if (servedHash !== null && servedHash !== hash) supergraphInfo.remove({ hash: servedHash });
      supergraphInfo.set({ hash }, 1);
      servedHash = hash;
      if (isReload) supergraphReloads.inc({ outcome: 'success' });
    },
    countFailedReload() {
      supergraphReloads.inc({ outcome: 'failure' });
    },
  };
}
