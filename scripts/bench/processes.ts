import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** A start on a busy 2-core machine (a cold JIT, migrations) can take a while; past this it has failed. */
const START_TIMEOUT_MS = 120_000;
/** How long a process has to drain after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 20_000;

/** A process the benchmark started: its output goes to a file, never through the benchmark's own CPU. */
export interface BenchProcess {
  name: string;
  pid: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Where GET /metrics answers (its METRICS_PORT), when it has one. */
  metricsOrigin: string | undefined;
  logFile: string;
  /** User plus system CPU time this process has used so far, in ms (from /proc/<pid>/stat). */
  cpuMs(): number;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves once it has exited. Signals once however often called. */
  stop(): Promise<void>;
}

/** A port nothing listens on now, chosen by the OS. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** utime + stime of a process, in ms. */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** The last lines of a log file, for an error message. */
export function tailOf(file: string, lines = 30): string {
  if (!existsSync(file)) return '(no output)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export interface StartOptions {
  name: string;
  /** Node's arguments: the script and its own arguments. */
  nodeArgs: string[];
  env: Record<string, string>;
  port: number;
  metricsPort?: number;
  logDir: string;
  /** True once the process can serve; polled until it is. */
  isReady: (origin: string) => Promise<boolean>;
}

/** Every process started and not yet stopped, for stopAll() (also on Ctrl-C). */
const running = new Set<BenchProcess>();

/**
 * Starts `node <nodeArgs>` in the repository root, its stdout and stderr appended to
 * `<logDir>/<name>.log`, in a process group of its own (a Ctrl-C reaches the benchmark alone, which
 * stops each process once). Resolves once `isReady` holds; rejects with the log's tail if it exits first.
 */
export async function startProcess(options: StartOptions): Promise<BenchProcess> {
  const { name, nodeArgs, env, port, metricsPort, logDir, isReady } = options;
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, nodeArgs, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  let exitStatus: number | string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitStatus = code ?? signal ?? 'unknown';
      resolve();
    });
    child.once('error', (error) => {
      exitStatus = error.message;
      resolve();
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const bench: BenchProcess = {
    name,
    pid: child.pid ?? -1,
    origin,
    metricsOrigin: metricsPort === undefined ? undefined : `http://127.0.0.1:${metricsPort}`,
    logFile,
    cpuMs: () => readCpuMs(child.pid!),
    hasExited: () => exitStatus !== undefined,
    // Once: a second SIGTERM would tell a service to skip its drain.
    stop: () =>
      (stopping ??= (async () => {
        if (exitStatus === undefined) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
        running.delete(bench);
      })()),
  };
  running.add(bench);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exitStatus !== undefined) {
      running.delete(bench);
      throw new Error(`${name} exited (${exitStatus}) before it was ready; its last lines:\n${tailOf(logFile)}`);
    }
    if (await isReady(origin).catch(() => false)) return bench;
    if (Date.now() > deadline) {
      await bench.stop();
      throw new Error(`${name} was not ready after ${START_TIMEOUT_MS / 1000} s; its last lines:\n${tailOf(logFile)}`);
    }
    await delay(100);
  }
}

/** Stops every process still running, all at once. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((each) => each.stop()));
}

/** Runs `node <nodeArgs>` to completion (a database command), its output appended to `logFile`; rejects on a non-zero exit. */
export async function runToCompletion(
  what: string,
  nodeArgs: string[],
  env: Record<string, string>,
  logFile: string,
): Promise<void> {
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, nodeArgs, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  const code = await new Promise<number | string>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal ?? 'unknown'));
    child.once('error', (error) => resolve(error.message));
  });
  if (code !== 0) throw new Error(`${what} failed (${code}); its last lines:\n${tailOf(logFile)}`);
}
