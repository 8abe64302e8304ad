import { CASE_TITLES, planCase, type CaseName } from './cases.js';
import { runRound, type LoadTarget, type RoundFigures } from './load.js';
import type { BenchOptions } from './options.js';
import { renderCaseTable, summarize, type TargetSummary } from './report.js';
import { startBenchStack, type BenchStack } from './stack.js';

/** Seconds each target is driven before a case's measured rounds: connections open, code warm. */
const WARMUP_S = 2;

export interface CaseResult {
  name: CaseName;
  summaries: TargetSummary[];
  rounds: RoundFigures[];
  failed: boolean;
}

/** The order of the targets in round `index`: router, stock, then stock, router, ... so drift hits both alike. */
function targetsOfRound(index: number, router: LoadTarget, stock: LoadTarget): LoadTarget[] {
  return index % 2 === 0 ? [router, stock] : [stock, router];
}

async function runCase(name: CaseName, stack: BenchStack, options: BenchOptions, progress: (line: string) => void) {
  const router: LoadTarget = { name: 'router', url: `${stack.router.origin}/graphql`, process: stack.router };
  const stock: LoadTarget = { name: 'stock', url: `${stack.stock!.origin}/`, process: stack.stock! };
  const plan = await planCase(name, stack);
  const { connections, durationS, rounds: roundCount } = options;
  const common = { plan, connections, subgraphs: stack.subgraphs };
  progress(`${name}: warming up both targets (${WARMUP_S} s each)`);
  for (const target of [router, stock]) await runRound({ ...common, target, durationS: WARMUP_S });
  const rounds: RoundFigures[] = [];
  for (let index = 0; index < roundCount; index++) {
    for (const target of targetsOfRound(index, router, stock)) {
      const round = await runRound({ ...common, target, durationS });
      rounds.push(round);
      const failures = round.non2xx + round.graphqlErrors + round.transportErrors;
      progress(
        `${name}: round ${index + 1}/${roundCount} ${target.name}: ${round.rps.toFixed(1)} rps, ` +
          `gateway ${(round.gatewayCpuMs / Math.max(1, round.requests)).toFixed(2)} ms CPU/req` +
          (failures > 0 ? `, ${failures} FAILED` : ''),
      );
    }
  }
  const summaries = [router, stock].map((target) => summarize(rounds.filter((round) => round.target === target.name)));
  return { name, summaries, rounds, failed: summaries.some((each) => each.failures > 0 || each.requests === 0) };
}

/**
 * The comparison: one stack (subgraphs seeded with the default sizes, the router and stock
 * @apollo/gateway in front), each case in turn through both gateways; prints each case's table.
 */
export async function runComparison(options: BenchOptions, dir: string, progress: (line: string) => void): Promise<CaseResult[]> {
  const stack = await startBenchStack({ dialect: options.dialect, seedArgs: [], dir, withStock: true, progress });
  try {
    const results: CaseResult[] = [];
    for (const name of options.cases) {
      const result = await runCase(name, stack, options, progress);
      results.push(result);
      process.stdout.write(`\n${renderCaseTable(`## ${name} (${options.dialect}): ${CASE_TITLES[name]}`, result.summaries)}\n`);
    }
    return results;
  } finally {
    progress('stopping the services');
    await stack.stop();
    await stack.databases.drop();
  }
}
