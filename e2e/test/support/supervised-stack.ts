import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT, type ExitStatus, type LogLine } from './processes.js';
import { waitFor } from './wait-for.js';

/** The services `npm start` runs, as its output prefixes name them. */
export const STACK_SERVICES = ['users', 'products', 'orders', 'payment-sandbox', 'router'] as const;
export type StackServiceName = (typeof STACK_SERVICES)[number];

/** One line of the supervisor's output: `[name] text` from a service (its JSON log line parsed), or `--> text` of its own. */
export interface SupervisorLine {
  /** The service the line is from; '' for the supervisor's own lines. */
  name: string;
  text: string;
  /** A service's JSON log line, when the line is one. */
  log?: LogLine;
}

export interface SupervisedStack {
  /** Each service's port, as the stack was told (ROUTER_PORT, USERS_PORT, …). */
  ports: Record<StackServiceName, number>;
  lines: SupervisorLine[];
  /** Settles once the supervisor has exited and its output is read to the end. */
  exited: Promise<ExitStatus>;
  /** Resolves to the first line that `matches` (one written already counts); rejects after `timeoutMs`. */
  waitForLine(what: string, matches: (line: SupervisorLine) => boolean, timeoutMs?: number): Promise<SupervisorLine>;
  /** The pid of a service's current process, from the supervisor's "started (pid N)" lines. */
  pidOf(name: StackServiceName): number;
  /** Sends a signal to the supervisor's process group, as Ctrl-C in its terminal would. */
  signalGroup(signal: NodeJS.Signals): void;
  /** Ends whatever is left (the supervisor and every service process it started) and removes the data. */
  cleanUp(): Promise<void>;
}

/** Distinct free ports, each held until all are found so none comes up twice. */
async function findFreePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer().listen(0, '127.0.0.1');
      await once(server, 'listening');
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

const PREFIXED = /^\[([a-z-]+)\] (.*)$/;

function parseLine(text: string): SupervisorLine {
  const match = PREFIXED.exec(text);
  if (!match) return { name: '', text: text.replace(/^--> /, '') };
  const [, name = '', rest = ''] = match;
  try {
    return { name, text: rest, log: JSON.parse(rest) as LogLine };
  } catch {
    return { name, text: rest };
  }
}

/** The settings the stack would take from a developer's shell that would point it elsewhere. */
const FOREIGN_SETTINGS =
  /^(NODE_ENV|PORT|DATA_DIR|[A-Z_]+_DATABASE_URL|[A-Z_]+_SUBGRAPH_URL|PRODUCTS_INTERNAL_URL|PAYMENT_PROVIDER_URL|REDIS_URL)$/;

/**
 * `npm start` after its build: `node --import tsx scripts/stack.ts start` in a process group of its
 * own, every service on a free port and its data in a scratch DATA_DIR, in development mode as a
 * developer runs it.
 */
export async function startSupervisedStack(): Promise<SupervisedStack> {
  const missing = ['router', 'subgraphs/users', 'subgraphs/products', 'subgraphs/orders', 'packages/payment-sandbox']
    .map((dir) => join(dir, 'dist/index.js'))
    .filter((entry) => !existsSync(join(REPO_ROOT, entry)));
  if (missing.length > 0)
    throw new Error(`npm start runs the build's output: run npm run build first (missing ${missing.join(', ')})`);
  const dataDir = mkdtempSync(join(tmpdir(), 'supervised-stack-'));
  const ports = Object.fromEntries(
    (await findFreePorts(STACK_SERVICES.length)).map((port, index) => [STACK_SERVICES[index], port]),
  ) as Record<StackServiceName, number>;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !FOREIGN_SETTINGS.test(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack.ts', 'start'], {
    cwd: REPO_ROOT,
    env: {
      ...env,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...Object.fromEntries(STACK_SERVICES.map((name) => [`${name.toUpperCase().replace('-', '_')}_PORT`, String(ports[name])])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: SupervisorLine[] = [];
  const read = (stream: NodeJS.ReadableStream) =>
    createInterface({ input: stream }).on('line', (text) => lines.push(parseLine(text)));
  read(child.stdout);
  read(child.stderr);
  const exited = new Promise<ExitStatus>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal)));
  return toSupervisedStack(child, { ports, lines, exited, dataDir });
}

function toSupervisedStack(
  child: ChildProcess,
  { ports, lines, exited, dataDir }: Pick<SupervisedStack, 'ports' | 'lines' | 'exited'> & { dataDir: string },
): SupervisedStack {
  const pids = () =>
    lines.flatMap((line) => {
      const pid = /^started \(pid (\d+)\)$/.exec(line.text)?.[1];
      return pid ? [{ name: line.name, pid: Number(pid) }] : [];
    });
  const kill = (pid: number, signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone already.
    }
  };
  return {
    ports,
    lines,
    exited,
    waitForLine: (what, matches, timeoutMs = 10_000) =>
      waitFor(() => lines.find(matches), {
        what,
        timeout: timeoutMs,
        show: () =>
          `(none); the last lines:\n${lines
            .slice(-40)
            .map((line) => `[${line.name}] ${line.text}`)
            .join('\n')}`,
      }),
    pidOf(name) {
      const started = pids().filter((entry) => entry.name === name);
      if (started.length === 0) throw new Error(`${name} has not started`);
      return started[started.length - 1]!.pid;
    },
    signalGroup: (signal) => kill(-child.pid!, signal),
    async cleanUp() {
      if (child.exitCode === null && child.signalCode === null) {
        kill(-child.pid!, 'SIGKILL');
        for (const { pid } of pids()) kill(pid, 'SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
