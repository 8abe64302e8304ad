import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

// One request to a service started as index.ts starts it, exporting to a real OTLP/HTTP receiver:
// its server span is named by route, and the GraphQL and SQL spans of the request are in its trace.

interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** An OTLP/HTTP JSON receiver: the spans it was sent. */
function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      type Value = { stringValue?: string; intValue?: string | number };
      type Body = {
        resourceSpans?: {
          scopeSpans: {
            spans: (Omit<ReceivedSpan, 'attributes'> & { attributes?: { key: string; value: Value }[] })[];
          }[];
        }[];
      };
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
      for (const { scopeSpans } of body.resourceSpans ?? []) {
        for (const { spans: batch } of scopeSpans) {
          for (const span of batch) {
            const attributes = Object.fromEntries(
              (span.attributes ?? []).map(({ key, value }) => [key, value.stringValue ?? value.intValue]),
            );
            spans.push({ ...span, parentSpanId: span.parentSpanId ?? '', attributes });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans };
}

const fixture = fileURLToPath(new URL('./fixtures/traced-database-service.ts', import.meta.url));
const receiver = startReceiver();
let endpoint = '';
let directory = '';
beforeAll(async () => {
  receiver.server.listen(0, '127.0.0.1');
  await once(receiver.server, 'listening');
  endpoint = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
  directory = mkdtempSync(join(tmpdir(), 'traced-requests-'));
});
afterAll(() => {
  receiver.server.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Runs the fixture until it listens; resolves to its URL and how to stop it. */
async function runTracedService() {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      TRACED_TEST_DATABASE_FILE: join(directory, 'accounts.sqlite'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = await new Promise<string | null>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (typeof parsed.url === 'string' && String(parsed.msg).startsWith('listening on')) resolve(parsed.url);
    });
    void exited.then(() => resolve(null));
  });
  return { url, exited, stderr: () => stderr, stop: () => child.kill('SIGTERM') };
}

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
