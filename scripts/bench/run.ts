// The benchmark run itself, started by scripts/bench.ts (`npm run bench`) as `node --import tsx`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runComparison, type CaseResult } from './compare.js';
import { dropCreatedDatabases } from './databases.js';
import { stopLoad } from './load.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { stopAll } from './processes.js';
import { runScale, type ScaleResult } from './scale.js';
import { findMissingBuilds } from './stack.js';

function progress(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function readOptions(): BenchOptions {
  try {
    return parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    const message = (error as Error).message;
    process.stderr.write(message === USAGE ? `${USAGE}\n` : `${message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const options = readOptions();
const missing = findMissingBuilds();
if (missing.length > 0) {
  process.stderr.write(`not built: ${missing.join(', ')}\nrun npm run build first\n`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'supergraph-bench-'));
let isStopping = false;

/** Stops every process started, removes the temp dir; each step on its own, so one failure does not skip the rest. */
async function cleanUp(): Promise<void> {
  stopLoad();
  await stopAll().catch((error: unknown) => progress(`stopping: ${(error as Error).message}`));
  await dropCreatedDatabases().catch((error: unknown) => progress(`dropping the databases: ${(error as Error).message}`));
  rmSync(dir, { recursive: true, force: true });
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  process.on(signal, () => {
    if (isStopping) return;
    isStopping = true;
    progress(`${signal}: stopping everything the benchmark started`);
    void cleanUp().finally(() => process.exit(code));
  });
}

try {
  const started = Date.now();
  let figures: { comparison: CaseResult[] } | { scale: ScaleResult };
  let failed: boolean;
  if (options.rows === undefined) {
    const comparison = await runComparison(options, dir, progress);
    figures = { comparison };
    failed = comparison.some((each) => each.failed);
  } else {
    const scale = await runScale(options, dir, progress);
    figures = { scale };
    failed = scale.failed;
  }
  if (options.jsonFile) {
    writeFileSync(options.jsonFile, `${JSON.stringify({ options, date: new Date().toISOString(), ...figures }, null, 2)}\n`);
    progress(`raw figures written to ${options.jsonFile}`);
  }
  progress(`done in ${Math.round((Date.now() - started) / 1000)} s${failed ? '; a case FAILED (see above)' : ''}`);
  await cleanUp();
  process.exitCode = failed ? 1 : 0;
} catch (error) {
  if (!isStopping) {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    await cleanUp();
    process.exitCode = 1;
  }
}
