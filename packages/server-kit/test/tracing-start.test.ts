import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTracingSettings } from '../src/tracing/settings.js';
import { runTracedProcess, startOtlpReceiver, type OtlpReceiver } from './fixtures/otlp-receiver.js';

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

const fixture = fileURLToPath(new URL('./fixtures/traced-service.ts', import.meta.url));
const runTracedService = (env: Record<string, string>) => runTracedProcess(fixture, env);

describe('a traced service', () => {
  let receiver: OtlpReceiver;
  let endpoint = '';
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    endpoint = receiver.endpoint;
  });
  afterAll(() => {
    receiver.close();
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
