import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runTracedProcess, startOtlpReceiver, type OtlpReceiver } from './fixtures/otlp-receiver.js';

// One request to a service started as index.ts starts it, exporting to a real OTLP/HTTP receiver:
// its server span is named by route, and the GraphQL and SQL spans of the request are in its trace.

const fixture = fileURLToPath(new URL('./fixtures/traced-database-service.ts', import.meta.url));
let receiver: OtlpReceiver;
let directory = '';
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  directory = mkdtempSync(join(tmpdir(), 'traced-requests-'));
});
afterAll(() => {
  receiver.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Runs the fixture until it listens, exporting its spans to the receiver. */
const runTracedService = () =>
  runTracedProcess(fixture, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    TRACED_TEST_DATABASE_FILE: join(directory, 'accounts.sqlite'),
  });

it("names server spans by route and puts a request's GraphQL and SQL spans in its trace, without values", async () => {
  const email = 'katherine.johnson.5d1e@example.test';
  const service = await runTracedService();
  expect(service.url, service.stderr()).not.toBeNull();
  const origin = new URL(service.url!).origin;
  const answer = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query Lookup($email: String!) { accountId(email: $email) }', variables: { email } }),
  });
  expect(await answer.json()).toEqual({ data: { accountId: null } });
  expect((await fetch(`${origin}/internal/accounts/42`)).status).toBe(200);
  expect((await fetch(`${origin}/nowhere/7`)).status).toBe(404);
  service.stop();
  expect((await service.exited)[0], service.stderr()).toBe(0);

  const names = receiver.spans.map((span) => span.name);
  expect(names).toEqual(expect.arrayContaining(['POST /graphql', 'GET /internal/accounts/:id', 'GET other']));
  const [server] = receiver.spans.filter((span) => span.name === 'POST /graphql');
  expect(server!.attributes['http.route']).toBe('/graphql');
  const trace = receiver.spans.filter((span) => span.traceId === server!.traceId);
  const childrenOfServer = trace.filter((span) => span.parentSpanId === server!.spanId).map((span) => span.name);
  expect(childrenOfServer).toEqual(
    expect.arrayContaining(['graphql.parse', 'graphql.validate', 'query Lookup', 'SELECT accounts']),
  );
  const select = trace.find((span) => span.name === 'SELECT accounts')!;
  expect(select.attributes).toMatchObject({ 'db.system.name': 'sqlite', 'db.collection.name': 'accounts' });
  expect(select.attributes['db.query.text']).toContain('?');
  expect(JSON.stringify(receiver.spans)).not.toContain(email);
});
