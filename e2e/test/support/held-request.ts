import { once } from 'node:events';
import net from 'node:net';
import { waitFor } from './wait-for.js';

/** A POST whose headers a service has taken (it answered 100 Continue) and whose body the test still holds. */
export interface HeldRequest {
  /**
   * Sends the rest of the body and, on the same connection right behind it, `GET /ready`; resolves
   * once the service has closed the connection, to the status of every answer it wrote (100 first).
   */
  releaseWithReadyProbe(): Promise<{ statuses: number[]; text: string }>;
  /** What the service has written on the connection so far. */
  received(): string;
  destroy(): void;
}

/**
 * Opens a connection to a service on 127.0.0.1:`port` and sends a POST's headers with
 * `Expect: 100-continue` but not its body. It resolves once the service answers 100 Continue, which
 * Node does when it hands the request to the app: from then on the request is in flight, and a
 * graceful stop must wait for it, for as long as the test holds the body back.
 */
export async function holdRequest(
  port: number,
  { path, body, headers = {} }: { path: string; body: string; headers?: Record<string, string> },
): Promise<HeldRequest> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const closed = once(socket, 'close');
  const head = Object.entries({
    host: `127.0.0.1:${port}`,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    expect: '100-continue',
    ...headers,
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
  await waitFor(() => text.startsWith('HTTP/1.1 100 Continue\r\n\r\n'), {
    what: `the service on port ${port} to take the request (100 Continue)`,
    show: () => JSON.stringify(text),
  });
  return {
    async releaseWithReadyProbe() {
      socket.write(`${body}GET /ready HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`);
      await closed;
      return { statuses: [...text.matchAll(/^HTTP\/1\.1 (\d{3}) /gm)].map(([, status]) => Number(status)), text };
    },
    received: () => text,
    destroy: () => socket.destroy(),
  };
}
