import { SUBGRAPHS, type SubgraphName } from './databases.js';
import type { LoadTarget, RoundFigures } from './load.js';

/** One target's figures for one case, over all its rounds. */
export interface TargetSummary {
  target: LoadTarget['name'];
  requests: number;
  rps: number;
  /** Means of the rounds' percentiles. */
  p50Ms: number;
  p99Ms: number;
  gatewayCpuMsPerRequest: number;
  subgraphCpuMsPerRequest: Record<SubgraphName, number>;
  subgraphsCpuMsPerRequest: number;
  statementsPerRequest: number;
  /** Non-2xx answers, answers with errors, connection errors and timeouts. */
  failures: number;
  sampleError: string | undefined;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Adds up a target's rounds: totals divided by totals, so a short round weighs less. */
export function summarize(rounds: RoundFigures[]): TargetSummary {
  const requests = sum(rounds.map((round) => round.requests));
  const perRequest = (total: number) => (requests === 0 ? Number.NaN : total / requests);
  const subgraphCpuMsPerRequest = Object.fromEntries(
    SUBGRAPHS.map((name) => [name, perRequest(sum(rounds.map((round) => round.subgraphCpuMs[name])))]),
  ) as Record<SubgraphName, number>;
  return {
    target: rounds[0]!.target,
    requests,
    rps: sum(rounds.map((round) => round.answered)) / sum(rounds.map((round) => round.durationS)),
    p50Ms: mean(rounds.map((round) => round.p50Ms)),
    p99Ms: mean(rounds.map((round) => round.p99Ms)),
    gatewayCpuMsPerRequest: perRequest(sum(rounds.map((round) => round.gatewayCpuMs))),
    subgraphCpuMsPerRequest,
    subgraphsCpuMsPerRequest: sum(Object.values(subgraphCpuMsPerRequest)),
    statementsPerRequest: perRequest(sum(rounds.flatMap((round) => SUBGRAPHS.map((name) => round.statements[name])))),
    failures: sum(rounds.map((round) => round.non2xx + round.graphqlErrors + round.transportErrors)),
    sampleError: rounds.find((round) => round.sampleError)?.sampleError,
  };
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** Renders rows as a Markdown table, columns padded so it also reads as plain text. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** The comparison table of one case, with the router/stock ratios under it. */
export function renderCaseTable(title: string, summaries: TargetSummary[]): string {
  const header = [
    'target',
    'rps',
    'p50 ms',
    'p99 ms',
    'gateway CPU ms/req',
    ...SUBGRAPHS.map((name) => `${name} CPU`),
    'subgraphs CPU',
    'SQL/req',
    'failed',
  ];
  const rows = summaries.map((each) => [
    each.target,
    fixed(each.rps, 1),
    fixed(each.p50Ms, 1),
    fixed(each.p99Ms, 1),
    fixed(each.gatewayCpuMsPerRequest, 2),
    ...SUBGRAPHS.map((name) => fixed(each.subgraphCpuMsPerRequest[name], 2)),
    fixed(each.subgraphsCpuMsPerRequest, 2),
    fixed(each.statementsPerRequest, 2),
    String(each.failures),
  ]);
  const router = summaries.find((each) => each.target === 'router');
  const stock = summaries.find((each) => each.target === 'stock');
  const lines = [title, '', renderTable(header, rows)];
  if (router && stock) {
    lines.push(
      '',
      `router/stock: gateway CPU per request ${fixed(router.gatewayCpuMsPerRequest / stock.gatewayCpuMsPerRequest, 2)}x, ` +
        `rps ${fixed(router.rps / stock.rps, 2)}x, ` +
        `gateway + subgraphs CPU ${fixed(
          (router.gatewayCpuMsPerRequest + router.subgraphsCpuMsPerRequest) /
            (stock.gatewayCpuMsPerRequest + stock.subgraphsCpuMsPerRequest),
          2,
        )}x`,
    );
  }
  for (const each of summaries) {
    if (each.failures > 0)
      lines.push(`FAILED: ${each.target} had ${each.failures} failed requests; first: ${each.sampleError ?? '(none kept)'}`);
  }
  return lines.join('\n');
}
