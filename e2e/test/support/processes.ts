import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A JSON log line as the services write them. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/** How a process ended: its exit code, or the signal that ended it (such as 'SIGKILL'). */
export type ExitStatus = number | NodeJS.Signals | null;

/** A service running as its own Node process, with its log lines kept for assertions. */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  logs: LogLine[];
  /** The GraphQL endpoint (for the payment sandbox, its base URL), known once the process logs that it listens. */
  url: string;
  /** The origin (http://host:port), for /health, /ready and /metrics. */
  origin: string;
  /** The port it listens on, to start it again on the same one (PORT). */
  port: number;
  /**
   * Settles once the process has exited and its output is read to the end (so `logs` is complete):
   * its exit code, or the signal that ended it. Never rejects.
   */
  exited: Promise<ExitStatus>;
  /** Whether the process has exited (on its own, or stopped or killed). */
  readonly hasExited: boolean;
  /**
   * Sends SIGTERM (the graceful shutdown) and resolves to the exit code: null when a signal ended it.
   * At once when the process has exited already. SIGKILLs it if it is still running after 20 s.
   */
  stop(): Promise<number | null>;
  /** Sends `signal` (default SIGKILL, a real crash) and resolves to how it ended; at once if it has exited already. */
  kill(signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** Resolves to how the process ended, or rejects when it is still running after `timeoutMs` (it is left running). */
  waitForExit(timeoutMs: number): Promise<ExitStatus>;
  /**
   * Resolves to the first log line that `matches` once the process has written it (a line written
   * already counts); rejects after `timeoutMs` (default 10 s) with `what` and the process's last lines.
   */
  waitForLog(what: string, matches: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

/** The id of the request an access log line is about, when it is one. */
export function requestIdOf(line: LogLine): string | undefined {
  return (line.req as { id?: string } | undefined)?.id;
}

// Deadlines, not waits: a healthy start takes a second or two, but with the machine's CPU contended
// (load average 20 to 30 on two cores, seen while building and testing in parallel) users took more
// than 30 s, and a suite must not fail because the machine is busy.
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;
/** Starts on a fixed port that find it taken: a port just freed by a kill can be briefly taken by another socket. */
const ADDRESS_IN_USE_RETRIES = 5;
const ADDRESS_IN_USE_DELAY_MS = 300;

function runNode(nodeArgs: string[], env: Record<string, string>) {
  return spawn(process.execPath, nodeArgs, {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** How Node runs our TypeScript sources: through tsx, with the workspace packages' `source` export. */
const TYPESCRIPT_ARGS = ['--conditions=source', '--import', 'tsx'];

function runTypeScript(entry: string, args: string[], env: Record<string, string>) {
  return runNode([...TYPESCRIPT_ARGS, entry, ...args], env);
}

/**
 * A program other than our services (such as another router's CLI): what Node runs, and how its log
 * lines say where it listens. Our services are started by entry file instead.
 */
export interface ProgramLaunch {
  /** Node's arguments: the script and its own arguments. */
  nodeArgs: string[];
  /** The URL to send requests to, from the line that says the program listens; undefined for other lines. */
  listeningUrl: (line: LogLine) => string | undefined;
}

/** A service of ours: its entry file run with tsx, listening once it logs `listening` with its `url`. */
function serviceLaunch(entry: string): ProgramLaunch {
  return {
    nodeArgs: [...TYPESCRIPT_ARGS, entry],
    listeningUrl: (line) => (typeof line.url === 'string' && line.msg?.startsWith('listening') ? line.url : undefined),
  };
}

function collectLines(child: ChildProcess, onLine: (line: LogLine) => void, stderr: string[]): void {
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      onLine(JSON.parse(text) as LogLine);
    } catch {
      onLine({ msg: text });
    }
  });
  createInterface({ input: child.stderr! }).on('line', (text) => stderr.push(text));
}

/** Runs a subgraph's database command (migrate, seed, setup) to completion. */
export async function runDatabaseCommand(service: string, args: string[], env: Record<string, string>): Promise<void> {
  const child = runTypeScript(`subgraphs/${service}/src/cli.ts`, args, env);
  const output: string[] = [];
  collectLines(child, (line) => output.push(JSON.stringify(line)), output);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${service} cli ${args.join(' ')} exited with ${code}:\n${output.join('\n')}`);
}

/** A start that failed; `isAddressInUse` when the port was taken, which is worth another try. */
class StartError extends Error {
  constructor(
    message: string,
    readonly isAddressInUse: boolean,
  ) {
    super(message);
  }
}

/**
 * Starts a service (an entry file of ours, or another program) and waits until it logs the URL it
 * listens on: on a free port unless `env` sets PORT. On a fixed port it tries again a few times when
 * the port is taken (EADDRINUSE).
 */
export async function startService(
  name: string,
  entry: string | ProgramLaunch,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const isFixedPort = env.PORT !== undefined && env.PORT !== '0';
  const launch = typeof entry === 'string' ? serviceLaunch(entry) : entry;
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchService(name, launch, env);
    } catch (error) {
      if (!(error instanceof StartError && error.isAddressInUse && isFixedPort && attempt <= ADDRESS_IN_USE_RETRIES)) {
        throw error;
      }
      await delay(ADDRESS_IN_USE_DELAY_MS * attempt);
    }
  }
}

async function launchService(name: string, launch: ProgramLaunch, env: Record<string, string>): Promise<ServiceProcess> {
  const child = runNode(launch.nodeArgs, { HOST: '127.0.0.1', PORT: '0', ...env });
  const output = createOutput();
  const exit = watchExit(child);
  const url = await waitForListening(name, child, output, exit.exited, launch.listeningUrl);
  return toServiceProcess(name, child, url, output, exit);
}

/** What a service has written: its log lines (stdout) and its stderr, and both as one text for error messages. */
interface ServiceOutput {
  logs: LogLine[];
  stderr: string[];
  text(): string;
}

function createOutput(): ServiceOutput {
  const logs: LogLine[] = [];
  const stderr: string[] = [];
  return { logs, stderr, text: () => [...stderr, ...logs.map((line) => JSON.stringify(line))].join('\n') };
}

/** How a child process ends, once it has: `exited` settles with it, `hasExited()` says whether it has. */
interface ExitWatch {
  exited: Promise<ExitStatus>;
  hasExited: () => boolean;
}

function watchExit(child: ChildProcess): ExitWatch {
  let exitStatus: ExitStatus | undefined;
  // 'close', not 'exit': it comes after stdout and stderr are read to the end, so no log line is missed.
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      exitStatus = code ?? signal;
      resolve(exitStatus);
    });
  });
  return { exited, hasExited: () => exitStatus !== undefined };
}

/**
 * Collects the service's lines into `output` and resolves to the URL it logs once it listens; rejects
 * with a StartError when it exits first, cannot be spawned, or has not started in START_TIMEOUT_MS
 * (it is killed then).
 */
function waitForListening(
  name: string,
  child: ChildProcess,
  output: ServiceOutput,
  exited: Promise<ExitStatus>,
  listeningUrl: ProgramLaunch['listeningUrl'],
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new StartError(`${name} did not start in ${START_TIMEOUT_MS / 1000} s:\n${output.text()}`, false));
    }, START_TIMEOUT_MS);
    collectLines(
      child,
      (line) => {
        output.logs.push(line);
        const url = listeningUrl(line);
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      },
      output.stderr,
    );
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new StartError(`${name} could not be started: ${error.message}`, false));
    });
    void exited.then((status) => {
      clearTimeout(timer);
      const text = output.text();
      reject(new StartError(`${name} exited with ${status} before listening:\n${text}`, text.includes('EADDRINUSE')));
    });
  });
}

/** Resolves to how the process ended, or rejects when it is still running after `timeoutMs` (it is left running). */
async function waitForExitWithin(
  name: string,
  exited: Promise<ExitStatus>,
  output: ServiceOutput,
  timeoutMs: number,
): Promise<ExitStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name} was still running after ${timeoutMs} ms; its last lines:\n${output.text().slice(-4000)}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([exited, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** The ServiceProcess of a service that listens at `url`. */
function toServiceProcess(
  name: string,
  child: ChildProcess,
  url: string,
  output: ServiceOutput,
  exit: ExitWatch,
): ServiceProcess {
  const { exited, hasExited } = exit;
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!hasExited()) child.kill(signal);
    return exited;
  };
  return {
    name,
    child,
    logs: output.logs,
    url,
    origin: new URL(url).origin,
    port: Number(new URL(url).port),
    exited,
    get hasExited() {
      return hasExited();
    },
    async stop() {
      if (!hasExited()) {
        child.kill('SIGTERM');
        await waitForExitWithin(name, exited, output, STOP_TIMEOUT_MS).catch(() => kill('SIGKILL'));
      }
      const status = await exited;
      return typeof status === 'number' ? status : null;
    },
    kill,
    waitForExit: (timeoutMs) => waitForExitWithin(name, exited, output, timeoutMs),
    waitForLog: (what, matches, timeoutMs) =>
      waitFor(() => output.logs.find(matches), {
        what: `${name} to log ${what}`,
        timeout: timeoutMs,
        show: () => `(none); its last lines:\n${output.text().slice(-4000)}`,
      }),
  };
}
