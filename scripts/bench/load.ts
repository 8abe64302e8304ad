import { setTimeout as delay } from 'node:timers/promises';
import autocannon, { type Instance, type Result } from 'autocannon';
import { SUBGRAPHS, type SubgraphName } from './databases.js';
import type { BenchProcess } from './processes.js';

/** A gateway the load is sent to. */
export interface LoadTarget {
  name: 'router' | 'stock';
  /** Where POST /graphql goes. */
  url: string;
  process: BenchProcess;
}

/** What each request of a round sends: fixed headers, and a body that is the same or new for each request. */
export interface RequestPlan {
  headers: Record<string, string>;
  body: string | (() => string);
}

/** The figures of one round against one target. */
export interface RoundFigures {
  target: LoadTarget['name'];
  /** Requests sent (each one answered, or finished by the services after the round's end). */
  requests: number;
  /** Responses received within the round. */
  answered: number;
  durationS: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with a status outside 2xx. */
  non2xx: number;
  /** 2xx responses whose body had `errors` or no `data`. */
  graphqlErrors: number;
  /** Connection errors and timeouts. */
  transportErrors: number;
  /** The first failed answer seen, to show what went wrong. */
  sampleError: string | undefined;
  /** CPU ms the target used over the round. */
  gatewayCpuMs: number;
  /** CPU ms each subgraph used over the round. */
  subgraphCpuMs: Record<SubgraphName, number>;
  /** db_statements_total's increase over the round, by subgraph. */
  statements: Record<SubgraphName, number>;
}

/** The load generator of the round under way, for stopLoad(). */
let running: Instance | undefined;

/** Ends the round under way at once (on Ctrl-C), so the services drain no load while they stop. */
export function stopLoad(): void {
  running?.stop();
}

/** The sum of a counter over all its label sets, from a process's /metrics. */
async function readCounter(process: BenchProcess, metric: string): Promise<number> {
  if (!process.metricsOrigin) return 0;
  const text = await (await fetch(`${process.metricsOrigin}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${metric}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'gm'))) total += Number(match[1]);
  return total;
}

function bySubgraph<T>(make: (name: SubgraphName) => T): Record<SubgraphName, T> {
  return Object.fromEntries(SUBGRAPHS.map((name) => [name, make(name)])) as Record<SubgraphName, T>;
}

/** How often, and for how long at most, the end of a round polls for the services to go quiet. */
const DRAIN_POLL_MS = 200;
const DRAIN_TIMEOUT_MS = 10_000;
/** Less CPU than this over one poll counts as idle (one clock tick is 10 ms). */
const IDLE_CPU_MS = 10;

/**
 * Resolves once the requests a round left in flight are done: the gateway and every subgraph used
 * no more than a tick of CPU over two polls in a row (or after DRAIN_TIMEOUT_MS).
 */
async function waitForDrain(gateway: BenchProcess, subgraphs: Record<SubgraphName, BenchProcess>): Promise<void> {
  const processes = [gateway, ...SUBGRAPHS.map((name) => subgraphs[name])];
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let last = processes.map((each) => each.cpuMs());
  let quietPolls = 0;
  while (Date.now() < deadline && quietPolls < 2) {
    await delay(DRAIN_POLL_MS);
    const now = processes.map((each) => each.cpuMs());
    quietPolls = now.every((cpu, index) => cpu - last[index]! < IDLE_CPU_MS) ? quietPolls + 1 : 0;
    last = now;
  }
}

/** A body counts as answered when it parses, has data and no errors. */
function isAnswer(body: string): boolean {
  try {
    const answer = JSON.parse(body) as { data?: unknown; errors?: unknown };
    return answer.errors === undefined && answer.data !== undefined && answer.data !== null;
  } catch {
    return false;
  }
}

/**
 * Drives `target` with `connections` keep-alive connections for `durationS` seconds, every response
 * checked; CPU from /proc and SQL statements from /metrics are read just before and just after, so
 * the scrapes themselves fall outside the window.
 */
export async function runRound(options: {
  target: LoadTarget;
  plan: RequestPlan;
  connections: number;
  durationS: number;
  subgraphs: Record<SubgraphName, BenchProcess>;
}): Promise<RoundFigures> {
  const { target, plan, connections, durationS, subgraphs } = options;
  let sampleError: string | undefined;
  const statementsBefore = await Promise.all(SUBGRAPHS.map((name) => readCounter(subgraphs[name], 'db_statements_total')));
  const gatewayBefore = target.process.cpuMs();
  const subgraphsBefore = bySubgraph((name) => subgraphs[name].cpuMs());
  const headers = { 'content-type': 'application/json', ...plan.headers };
  const { body } = plan;
  const instance = autocannon({
    url: target.url,
    connections,
    duration: durationS,
    method: 'POST',
    headers,
    ...(typeof body === 'string'
      ? { body }
      : { requests: [{ method: 'POST', headers, setupRequest: (request) => ({ ...request, body: body() }) }] }),
    verifyBody: (text) => {
      const isGood = isAnswer(text);
      if (!isGood) sampleError ??= text.slice(0, 400);
      return isGood;
    },
  });
  running = instance;
  let result: Result;
  try {
    result = await instance;
  } finally {
    running = undefined;
  }
  await waitForDrain(target.process, subgraphs);
  const gatewayCpuMs = target.process.cpuMs() - gatewayBefore;
  const subgraphCpuMs = bySubgraph((name) => subgraphs[name].cpuMs() - subgraphsBefore[name]);
  const statementsAfter = await Promise.all(SUBGRAPHS.map((name) => readCounter(subgraphs[name], 'db_statements_total')));
  // Requests still in flight when the round ended were finished by the services (waitForDrain), so
  // their work is in the CPU and statement counts: per-request figures divide by requests sent.
  const requests = result.requests.sent;
  return {
    target: target.name,
    requests,
    answered: result.requests.total,
    durationS: result.duration,
    rps: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    // verifyBody also fails non-2xx answers; count those once, as non2xx.
    graphqlErrors: Math.max(0, result.mismatches - result.non2xx),
    transportErrors: result.errors,
    sampleError,
    gatewayCpuMs,
    subgraphCpuMs,
    statements: bySubgraph((name) => statementsAfter[SUBGRAPHS.indexOf(name)]! - statementsBefore[SUBGRAPHS.indexOf(name)]!),
  };
}
