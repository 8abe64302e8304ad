import { once } from 'node:events';
import type http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../src/http/server-timeouts.js';
import { parseSettings } from '../src/settings/parse-settings.js';
import { subgraphSettingsSchema } from '../src/settings/subgraph-settings.js';

// A slow client cannot hold a connection: a body still arriving past the request timeout is answered
// 408 and closed, an idle keep-alive connection is closed after the keep-alive timeout.

const TIMEOUTS = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300 };

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  if (server?.listening) await new Promise((resolve) => server!.close(resolve));
});

async function startEchoServer(): Promise<number> {
  server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  }, TIMEOUTS);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** A raw connection, its bytes as text, and a promise of its close. */
async function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const closed = once(socket, 'close');
  return { socket, closed, received: () => received };
}

describe('server timeouts', () => {
  it('answers 408 and closes the connection of a request body that dribbles past the request timeout', async () => {
    const { socket, closed, received } = await connect(await startEchoServer());
    socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\n\r\n');
    // One byte at a time, well inside any idle timeout: only the whole request's deadline can end it.
    const dribble = setInterval(() => socket.writable && socket.write('a'), 50);
    try {
      await closed;
    } finally {
      clearInterval(dribble);
    }
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { socket, closed, received } = await connect(await startEchoServer());
    socket.write('GET /ping HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received()).toMatch(/\r\n\r\nok$/);
  });
});

describe('server timeout settings', () => {
  const schema = subgraphSettingsSchema({ service: 'products', defaultPort: 4002 });

  it('default to headers 10 s, request 30 s and keep-alive 72 s', () => {
    expect(parseSettings(schema, {}).http.timeouts).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 72_000,
    });
  });

  it('are read from HTTP_*_TIMEOUT_MS, a headers timeout longer than the request timeout cut to it', () => {
    const settings = parseSettings(schema, {
      HTTP_HEADERS_TIMEOUT_MS: '20000',
      HTTP_REQUEST_TIMEOUT_MS: '15000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
    });
    expect(settings.http.timeouts).toEqual({ headersTimeoutMs: 15_000, requestTimeoutMs: 15_000, keepAliveTimeoutMs: 65_000 });
  });

  it('refuses a timeout that is not a whole number of milliseconds, naming the variable', () => {
    expect(() => parseSettings(schema, { HTTP_REQUEST_TIMEOUT_MS: 'soon' })).toThrow(
      'HTTP_REQUEST_TIMEOUT_MS: must be a number of milliseconds',
    );
  });
});
