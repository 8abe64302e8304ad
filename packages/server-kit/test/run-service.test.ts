import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// A service run as index.ts runs it (runService), in a process of its own: stopped by a signal under
// `npm start` (NODE_ENV unset: development) or an orchestrator (production), it drains, closes what
// it holds, says "stopped" and exits 0, not 143; with METRICS_PORT, its metrics have a listener of
// their own, the only one in production.

const fixture = fileURLToPath(new URL('./fixtures/signal-service.ts', import.meta.url));

interface LogLine {
  level: string;
  msg: string;
  url?: string;
}

interface RunningService {
  child: ChildProcess;
  lines: LogLine[];
  /** The public origin (http://127.0.0.1:port). */
  origin: string;
  /** The metrics listener's URL, from its "metrics on" line; undefined without METRICS_PORT. */
  metricsUrl: string | undefined;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function start(env: Record<string, string>): Promise<RunningService> {
  const { METRICS_PORT: _inherited, ...inheritedEnv } = process.env;
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
    env: { ...inheritedEnv, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const lines: LogLine[] = [];
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const listening = await new Promise<LogLine>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      if (line.msg.startsWith('listening on')) resolve(line);
    });
    void exited.then(() =>
      reject(new Error(`the service exited before listening: ${lines.map((line) => line.msg).join(' | ')}`)),
    );
  });
  const metricsUrl = lines.find((line) => line.msg.startsWith('metrics on'))?.url;
  return { child, lines, origin: new URL(listening.url!).origin, metricsUrl, exited };
}

async function stop(service: RunningService, signal: 'SIGTERM' | 'SIGINT') {
  service.child.kill(signal);
  const [code, killedBy] = await service.exited;
  return { code, killedBy, messages: service.lines.map((line) => line.msg) };
}

describe('runService', () => {
  it.each([
    ['SIGTERM', 'development'],
    ['SIGINT', 'development'],
    ['SIGTERM', 'production'],
  ] as const)('stops on %s in %s: drains, closes its resources, says "stopped" and exits 0', async (signal, nodeEnv) => {
    const { code, killedBy, messages } = await stop(await start({ NODE_ENV: nodeEnv }), signal);

    expect({ code, killedBy }).toEqual({ code: 0, killedBy: null });
    expect(messages.slice(-3)).toEqual(['shutting down', 'resources closed', 'stopped']);
  });
});

describe('METRICS_PORT', () => {
  it('in development, serves /metrics on a listener of its own and still on the public port', async () => {
    const service = await start({ NODE_ENV: 'development', METRICS_PORT: '0' });
    expect(service.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(service.metricsUrl!).port).not.toBe(new URL(service.origin).port);

    const scraped = await fetch(service.metricsUrl!);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('graphql_requests_in_flight{service="signal-test"} 0');
    expect((await fetch(`${service.origin}/metrics`)).status).toBe(200);
    // The metrics listener answers nothing else.
    expect((await fetch(new URL('/graphql', service.metricsUrl))).status).toBe(404);
    expect((await fetch(new URL('/health', service.metricsUrl))).status).toBe(404);
    expect((await fetch(service.metricsUrl!, { method: 'POST' })).status).toBe(404);

    await stop(service, 'SIGTERM');
  });

  it('in production, serves /metrics only there: 404 on the public port; closes it on shutdown after the drain', async () => {
    const service = await start({ NODE_ENV: 'production', METRICS_PORT: '0' });
    const graphql = await fetch(`${service.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    expect(graphql.status).toBe(200);

    expect((await fetch(`${service.origin}/metrics`)).status).toBe(404);
    const scraped = await fetch(service.metricsUrl!);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(
      /graphql_operations_total\{operation="hello",outcome="success",service="signal-test"\} 1/,
    );
    expect(service.lines.filter((line) => ['warn', 'error', 'fatal'].includes(line.level))).toEqual([]);

    const { code, messages } = await stop(service, 'SIGTERM');
    expect(code).toBe(0);
    expect(messages.slice(-4)).toEqual(['shutting down', 'resources closed', 'metrics listener closed', 'stopped']);
    await expect(fetch(service.metricsUrl!)).rejects.toThrow();
  });

  it('in production without it, warns at start that metrics are not exposed, and /metrics is 404', async () => {
    const service = await start({ NODE_ENV: 'production' });
    expect(service.metricsUrl).toBeUndefined();
    expect(service.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/^metrics are not exposed.*METRICS_PORT/) }),
    );
    expect((await fetch(`${service.origin}/metrics`)).status).toBe(404);
    await stop(service, 'SIGTERM');
  });

  it('refuses a value that is not a port, naming the variable', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '70000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    started.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).not.toBe(0);
    expect(stderr).toContain('METRICS_PORT: must be between 0 and 65535 (got "70000")');
  });
});
