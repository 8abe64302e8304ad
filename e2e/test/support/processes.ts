import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A JSON log line as the services write them. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/** A service running as its own Node process, with its log lines kept for assertions. */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  logs: LogLine[];
  /** The GraphQL endpoint, known once the process logs that it listens. */
  url: string;
  /** The origin (http://host:port), for /health, /ready and /metrics. */
  origin: string;
  /** Sends SIGTERM and resolves to the exit code. */
  stop(): Promise<number | null>;
}

function runTypeScript(entry: string, args: string[], env: Record<string, string>) {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

/** Starts a service on a free port (PORT=0) and waits until it logs the URL it listens on. */
export async function startService(name: string, entry: string, env: Record<string, string>): Promise<ServiceProcess> {
  const child = runTypeScript(entry, [], { HOST: '127.0.0.1', PORT: '0', ...env });
  const logs: LogLine[] = [];
  const stderr: string[] = [];
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 30 s:\n${stderr.join('\n')}`)), 30_000);
    collectLines(
      child,
      (line) => {
        logs.push(line);
        if (typeof line.url === 'string' && line.msg?.startsWith('listening')) {
          clearTimeout(timer);
          resolve(line.url);
        }
      },
      stderr,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `${name} exited with ${code} before listening:\n${stderr.join('\n')}\n${logs.map((l) => JSON.stringify(l)).join('\n')}`,
        ),
      );
    });
  });
  const url = await listening;
  return {
    name,
    child,
    logs,
    url,
    origin: new URL(url).origin,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}
