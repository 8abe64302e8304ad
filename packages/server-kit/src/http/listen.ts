import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts an HTTP server and resolves to its base URL (`http://localhost:4002`; port 0 picks a free
 * port, and a wildcard host is shown as localhost), or rejects when the port cannot be had.
 */
export function listenOn(httpServer: http.Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      const address = httpServer.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}
