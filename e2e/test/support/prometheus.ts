import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { listRuleFiles } from '../../../deploy/monitoring-kit.js';
import { waitFor } from './wait-for.js';

/** Debian's Prometheus, which .ci/run installs (apt-get install prometheus). */
const DEFAULT_PROMETHEUS_PATH = 'prometheus';

/**
 * The Prometheus binary to run: PROMETHEUS_PATH, or `prometheus` on the PATH; or why there is none.
 * Without it the suite cannot run: outside CI it is skipped with the returned reason; with CI=true
 * (or 1) this throws instead, since CI must never pass without it.
 */
export function locatePrometheus(
  source: Record<string, string | undefined> = process.env,
): { path: string } | { missing: string } {
  const path = source.PROMETHEUS_PATH || DEFAULT_PROMETHEUS_PATH;
  const probe = spawnSync(path, ['--version'], { stdio: 'ignore' });
  if (probe.status === 0) return { path };
  const missing = `no Prometheus at ${path}: install Debian's prometheus (apt-get install prometheus; .ci/run does) or point PROMETHEUS_PATH at one`;
  if (source.CI === 'true' || source.CI === '1') throw new Error(`CI runs the Prometheus suite, but there is ${missing}`);
  return { missing };
}

/** One service Prometheus scrapes: its job name (as in ops/prometheus/prometheus.yml), and where its /metrics is. */
export interface ScrapeTarget {
  job: string;
  service: string;
  /** http://host:port of the service (its /metrics is on the public port outside production). */
  origin: string;
}

/** One series of a query's answer: its labels and its latest value (as Prometheus writes it, "NaN" included). */
export interface QuerySample {
  metric: Record<string, string>;
  value: string;
}

export interface PrometheusServer {
  /** http://127.0.0.1:port of its HTTP API. */
  origin: string;
  /** Evaluates an instant query now; rejects with Prometheus' own message when the query is not valid PromQL. */
  query(expr: string): Promise<QuerySample[]>;
  /** What Prometheus wrote to stderr, for a failure message. */
  readonly output: string[];
  /** Stops the process (SIGTERM, then SIGKILL after 30 s) and removes its configuration and data. */
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** The binary (locatePrometheus). */
  path: string;
  targets: ScrapeTarget[];
  /** How often each target is scraped and the rules evaluated. Default '1s'. */
  interval?: string;
  /** The rule files loaded. Default: every file in ops/prometheus/rules. */
  ruleFiles?: string[];
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1');
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The configuration the test runs with: ops/prometheus/prometheus.yml's shape (a job per service,
 * `honor_labels`, the `service` target label) pointed at the stack's free ports, every second.
 */
function writeConfiguration(
  directory: string,
  { targets, interval = '1s', ruleFiles = listRuleFiles() }: PrometheusOptions,
): string {
  const path = join(directory, 'prometheus.yml');
  const configuration = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    rule_files: ruleFiles,
    scrape_configs: targets.map(({ job, service, origin }) => ({
      job_name: job,
      honor_labels: true,
      static_configs: [{ targets: [new URL(origin).host], labels: { service } }],
    })),
  };
  writeFileSync(path, stringify(configuration));
  return path;
}

/**
 * Starts a real Prometheus (the binary at `options.path`) on a free
 * loopback port with its own configuration and data in a temporary directory, and resolves once it
 * answers /-/ready. Rejects with its output when it exits before that.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  const directory = mkdtempSync(join(tmpdir(), 'prometheus-e2e-'));
  const configurationPath = writeConfiguration(directory, options);
  const port = await findFreePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    options.path,
    [
      `--config.file=${configurationPath}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const output: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => output.push(...chunk.split('\n').filter(Boolean)));
  let exit: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = `exited with ${signal ?? code}`;
      resolve();
    });
    child.once('error', (error) => {
      exit = `could not start: ${error.message}`;
      resolve();
    });
  });

  const stop = async () => {
    if (exit === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(directory, { recursive: true, force: true });
  };

  try {
    await waitFor(
      async () => {
        if (exit !== null) throw new Error(`prometheus ${exit} before it was ready:\n${output.join('\n')}`);
        return fetch(`${origin}/-/ready`).then(
          (response) => response.ok,
          () => false,
        );
      },
      { what: `prometheus to answer ${origin}/-/ready`, timeout: 60_000, interval: 200 },
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    origin,
    output,
    async query(expr) {
      const response = await fetch(`${origin}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr }) });
      const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
      if (body.status !== 'success' || !body.data)
        throw new Error(`Prometheus refused the query ${expr}: ${body.error ?? response.status}`);
      // A scalar (a query such as `vector(1) > bool 0` is not; `1 + 1` is) is one sample without labels.
      if (body.data.resultType === 'scalar') return [{ metric: {}, value: (body.data.result as [number, string])[1] }];
      const series = body.data.result as { metric: Record<string, string>; value: [number, string] }[];
      return series.map(({ metric, value }) => ({ metric, value: value[1] }));
    },
    stop,
  };
}
