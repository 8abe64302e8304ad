import { parseArgs } from 'node:util';
import { CASE_NAMES, type CaseName } from './cases.js';
import type { Dialect } from './databases.js';

/** What one `npm run bench` run does. */
export interface BenchOptions {
  /** --cases, default every case: join, catalog, search, checkout. */
  cases: CaseName[];
  /** --dialect, default sqlite. */
  dialect: Dialect;
  /** --connections, default 16 (the scale mode uses 4 unless told). */
  connections: number;
  /** --duration, seconds per round and target, default 5. */
  durationS: number;
  /** --rounds, default 3: each round runs both targets, in alternating order. */
  rounds: number;
  /** --json, default none: where to write the raw figures. */
  jsonFile: string | undefined;
  /** --rows, default none: the scale mode's seed size (products and orders). */
  rows: number | undefined;
}

export const USAGE = `usage: npm run bench -- [options]
  --cases join,catalog,search,checkout   which cases (default all)
  --dialect sqlite|postgres              the subgraphs' databases (default sqlite: temp files)
  --connections N                        concurrent connections (default 16; 4 with --rows)
  --duration S                           seconds per round per target (default 5)
  --rounds N                             rounds, targets alternating (default 3)
  --json FILE                            also write the raw figures to FILE
  --rows N                               scale mode: latency through the router at N products and orders
                                         next to the default seed (e.g. --rows 1000000)`;

function positiveInteger(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${flag} must be a positive whole number, got "${text}"`);
  return Number(text);
}

/** Reads the command line; throws an Error naming a bad flag. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string' },
      dialect: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      json: { type: 'string' },
      rows: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new Error(USAGE);
  const cases = (values.cases ?? CASE_NAMES.join(',')).split(',').map((name) => name.trim());
  for (const name of cases) {
    if (!(CASE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`--cases: unknown case "${name}"; the cases are ${CASE_NAMES.join(', ')}`);
    }
  }
  const dialect = values.dialect ?? 'sqlite';
  if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error(`--dialect must be sqlite or postgres, got "${dialect}"`);
  const rows = values.rows === undefined ? undefined : positiveInteger('--rows', values.rows, 0);
  return {
    cases: cases as CaseName[],
    dialect,
    connections: positiveInteger('--connections', values.connections, rows === undefined ? 16 : 4),
    durationS: positiveInteger('--duration', values.duration, 5),
    rounds: positiveInteger('--rounds', values.rounds, 3),
    jsonFile: values.json,
    rows,
  };
}
