import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTracingSettings } from '../src/tracing/settings.js';

// Tracing is configured by the standard OTEL_* variables only, is off unless an exporter is
// configured, refuses a bad value by name, and a service's spans are exported by the time it exits.

describe('readTracingSettings', () => {
  it('is off when no exporter is configured, whatever else is set', () => {
    expect(readTracingSettings('users', {})).toEqual({ enabled: false, serviceName: 'users', incomingContext: 'link' });
    expect(readTracingSettings('users', { OTEL_TRACES_SAMPLER: 'always_on', OTEL_SERVICE_NAME: 'u' }).enabled).toBe(false);
  });

  it('is on with an OTLP endpoint, and OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none turn it off', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(readTracingSettings('users', endpoint).enabled).toBe(true);
    expect(readTracingSettings('users', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://x/v1/traces' }).enabled).toBe(true);
    expect(readTracingSettings('users', { ...endpoint, OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(readTracingSettings('users', { ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).enabled).toBe(false);
    expect(readTracingSettings('users', { OTEL_TRACES_EXPORTER: 'console' }).enabled).toBe(true);
  });

  it('takes OTEL_SERVICE_NAME and TRACE_INCOMING_CONTEXT', () => {
    expect(readTracingSettings('router', { OTEL_SERVICE_NAME: 'edge', TRACE_INCOMING_CONTEXT: 'honor' })).toMatchObject({
      serviceName: 'edge',
      incomingContext: 'honor',
    });
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuff', 'must be one of http/protobuf, http/json, grpc'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'localhost:4318', 'must be an http:// or https:// URL'],
    ['OTEL_TRACES_SAMPLER', 'ratio', 'must be one of always_on'],
    ['OTEL_TRACES_SAMPLER_ARG', '10', 'must be a sampling ratio between 0 and 1'],
    ['OTEL_SDK_DISABLED', 'yes', 'must be true or false'],
    ['TRACE_INCOMING_CONTEXT', 'trust', 'must be one of link, honor, ignore'],
  ])('refuses %s=%s, naming the variable', (variable, value, message) => {
    expect(() => readTracingSettings('users', { [variable]: value })).toThrow(`${variable}: ${message}`);
  });
});

interface ReceivedSpan {
  service: string;
  name: string;
  traceId: string;
  links: { traceId: string }[];
}

/** An OTLP/HTTP JSON receiver: the spans it was sent. */
function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      type Body = {
        resourceSpans?: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { spans: { name: string; traceId: string; links?: { traceId: string }[] }[] }[];
        }[];
      };
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
      for (const { resource, scopeSpans } of body.resourceSpans ?? []) {
        const service = resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
        for (const { spans: batch } of scopeSpans) {
          for (const span of batch) spans.push({ service, name: span.name, traceId: span.traceId, links: span.links ?? [] });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans };
}

const fixture = fileURLToPath(new URL('./fixtures/traced-service.ts', import.meta.url));

/** Runs the traced fixture with `env` until it listens; resolves to its URL, its log lines and how to stop it. */
async function runTracedService(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = await new Promise<string | null>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      if (typeof parsed.url === 'string' && String(parsed.msg).startsWith('listening on')) resolve(parsed.url);
    });
    void exited.then(() => resolve(null));
  });
  return { url, lines, exited, stderr: () => stderr, stop: () => child.kill('SIGTERM') };
}

describe('a traced service', () => {
  const receiver = startReceiver();
  let endpoint = '';
  beforeAll(async () => {
    receiver.server.listen(0, '127.0.0.1');
    await once(receiver.server, 'listening');
    endpoint = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    receiver.server.close();
  });

  it('exports its spans by the time it has stopped, with trace ids in its log lines', async () => {
    // A schedule delay far beyond the test: only the flush on shutdown can deliver the spans.
    const service = await runTracedService({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    expect(service.url, service.stderr()).not.toBeNull();
    const response = await fetch(service.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    expect(response.status).toBe(200);
    service.stop();
    const [code] = await service.exited;

    expect(code).toBe(0);
    const server = receiver.spans.filter((span) => span.service === 'traced-test' && span.name.startsWith('POST'));
    expect(server).toHaveLength(1);
    const accessLine = service.lines.find((line) => line.msg === 'request completed');
    expect(accessLine).toMatchObject({ trace_id: server[0]!.traceId });
  });

  it('at the edge, starts a new trace linked to the caller traceparent (TRACE_INCOMING_CONTEXT=link)', async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const service = await runTracedService({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'traced-edge',
      TRACED_TEST_EDGE: 'true',
    });
    expect(service.url, service.stderr()).not.toBeNull();
    await fetch(service.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    service.stop();
    await service.exited;

    const [span] = receiver.spans.filter((received) => received.service === 'traced-edge' && received.name.startsWith('POST'));
    expect(span!.traceId).not.toBe(callerTrace);
    expect(span!.links.map((link) => link.traceId)).toEqual([callerTrace]);
  });

  it('sends nothing and writes no trace ids with no exporter configured', async () => {
    const before = receiver.spans.length;
    const service = await runTracedService({ OTEL_EXPORTER_OTLP_ENDPOINT: '' });
    await fetch(service.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    service.stop();
    expect((await service.exited)[0]).toBe(0);

    expect(receiver.spans.length).toBe(before);
    expect(service.lines.find((line) => line.msg === 'request completed')).not.toHaveProperty('trace_id');
  });

  it('refuses to start with a bad setting, naming it', async () => {
    const service = await runTracedService({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'protobuf' });
    const [code] = await service.exited;

    expect(service.url).toBeNull();
    expect(code).toBe(1);
    expect(service.stderr()).toContain('OTEL_EXPORTER_OTLP_PROTOCOL: must be one of http/protobuf, http/json, grpc');
  });
});
