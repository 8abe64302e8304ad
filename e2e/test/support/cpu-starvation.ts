import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import type { Stack } from './stack.js';

// A starved machine, made on purpose: the stack's processes pinned to one CPU with util-linux's
// taskset, and Node processes spinning on that same CPU. The test's own process (the clients) is
// left on every CPU, as clients on another machine would be.

const run = promisify(execFile);

/** The CPU the stack and the hogs share. */
export const STARVED_CPU = '0';

/** Whether util-linux's taskset is installed (Debian's util-linux package has it). */
export function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Pins every process of the stack (each thread, with -a, so libuv's pool and the ones started later
 * inherit it) to STARVED_CPU. Done once the processes run rather than by prefixing their command, so
 * the launcher stays the one every suite uses; their start-up is not what this measures.
 */
export async function pinStackToOneCpu(stack: Stack): Promise<void> {
  const processes = [...Object.values(stack.subgraphs), stack.paymentSandbox, stack.router];
  for (const service of processes) {
    if (service.child.pid === undefined) throw new Error(`${service.name} has no process id to pin`);
    await run('taskset', ['-a', '-p', '-c', STARVED_CPU, String(service.child.pid)]);
  }
}

/** Processes that keep STARVED_CPU busy until stopped. */
export interface CpuHogs {
  /** Kills every hog (SIGKILL) and resolves once each has exited; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts `count` Node processes spinning forever on STARVED_CPU. They die with this process too. */
export function startCpuHogs(count: number): CpuHogs {
  const hogs: ChildProcess[] = Array.from({ length: count }, () =>
    spawn('taskset', ['-c', STARVED_CPU, process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  // taskset execs node in place, so each pid is the spinning process itself.
  const killAll = () => {
    for (const hog of hogs) if (hog.exitCode === null && hog.signalCode === null) hog.kill('SIGKILL');
  };
  process.once('exit', killAll);
  return {
    async stop() {
      const exits = hogs.filter((hog) => hog.exitCode === null && hog.signalCode === null).map((hog) => once(hog, 'exit'));
      killAll();
      await Promise.all(exits);
      process.removeListener('exit', killAll);
    },
  };
}
