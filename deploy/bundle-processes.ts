// Runs production bundles (deploy/bundle.sh) as the image does, `<bundle>/start`, for
// deploy/verify-bundles.ts: the service's JSON log lines kept, the URL it logs once it listens, its
// /ready awaited, SIGTERM to stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { waitFor } from '../e2e/test/support/wait-for.js';

/** Migrations run before the server listens, on a machine other builds may keep busy. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export interface BundleProcess {
  name: string;
  /** The URL the service logged once it listened (a subgraph's and the router's end in /graphql). */
  url: string;
  origin: string;
  logs: Record<string, unknown>[];
  /** SIGTERM, then resolves to the exit code (null when a signal ended it). */
  stop(): Promise<number | null>;
  /** SIGKILL to the process group (the start script and the service), for clean-up. */
  kill(): void;
}

function lastLines(logs: unknown[], stderr: string[]): string {
  return [...stderr.slice(-20), ...logs.slice(-30).map((line) => JSON.stringify(line))].join('\n');
}

function watchLines(child: ChildProcess, logs: Record<string, unknown>[], stderr: string[]): void {
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      logs.push(JSON.parse(text) as Record<string, unknown>);
    } catch {
      logs.push({ msg: text });
    }
  });
  createInterface({ input: child.stderr! }).on('line', (text) => stderr.push(text));
}

/** Starts `<bundle>/start` with exactly `env` (plus PATH) and resolves once the service answers /ready. */
export async function startBundle(name: string, bundleDir: string, env: Record<string, string>): Promise<BundleProcess> {
  const child = spawn(`${bundleDir}/start`, [], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  watchLines(child, logs, stderr);
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  let hasExited = false;
  void closed.then(() => (hasExited = true));
  const kill = () => {
    if (!hasExited && child.pid) process.kill(-child.pid, 'SIGKILL');
  };
  try {
    const url = await waitFor(
      () => {
        if (hasExited) throw new Error(`${name} exited before it listened:\n${lastLines(logs, stderr)}`);
        const line = logs.find((candidate) => typeof candidate.url === 'string' && String(candidate.msg).startsWith('listening'));
        return line?.url as string | undefined;
      },
      { what: `${name} to listen`, timeout: START_TIMEOUT_MS, interval: 100, show: () => lastLines(logs, stderr) },
    );
    const origin = new URL(url).origin;
    await waitFor(
      () =>
        fetch(`${origin}/ready`).then(
          (response) => response.ok,
          () => false,
        ),
      {
        what: `${name} to answer /ready`,
        timeout: START_TIMEOUT_MS,
        interval: 200,
        show: () => lastLines(logs, stderr),
      },
    );
    const stop = async () => {
      if (hasExited) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(kill, STOP_TIMEOUT_MS);
      const [code] = await closed;
      clearTimeout(timer);
      return code;
    };
    return { name, url, origin, logs, stop, kill };
  } catch (error) {
    kill();
    throw error;
  }
}

/**
 * An https front for a plain-http service: orders refuses a payment provider without TLS in
 * production, and the payment sandbox speaks http. It trusts this certificate through
 * NODE_EXTRA_CA_CERTS, as it would a provider's CA.
 */
export async function startTlsProxy(
  target: string,
  tls: { key: Buffer; cert: Buffer },
): Promise<{ url: string; server: Server }> {
  const server = createHttpsServer(tls, (incoming, outgoing) => {
    const forwarded = request(
      new URL(incoming.url ?? '/', target),
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the TLS proxy did not get a port');
  return { url: `https://127.0.0.1:${address.port}`, server };
}
