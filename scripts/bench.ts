// `npm run bench`: the router against stock @apollo/gateway on the same subgraphs (issue 14), or
// with --rows N the latency of the catalog and the join at N rows next to the default seed. Runs
// what `npm run build` produced and builds nothing; never part of `npm test`. docs/benchmarks.md
// says what each column means.
//
// The run is a child process of its own (scripts/bench/run.ts under `node --import tsx`): the tsx
// CLI SIGKILLs its child when the child has not acknowledged a Ctrl-C within about 60 ms, which a
// busy machine misses, and the run needs its time to stop the services and drop its databases.
// The child is in this process's group, so a Ctrl-C reaches it directly; a signal sent to this
// process alone is passed on.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const run = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('bench/run.ts', import.meta.url)), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    run.kill(signal);
  });
}
run.once('exit', (code, signal) => {
  process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
});
