import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { REPO_ROOT } from './processes.js';

// The storefront example (examples/storefront) as it is deployed: built by Vite with the router's URL
// baked in, and served as static files from an origin of its own.

const STOREFRONT_ROOT = join(REPO_ROOT, 'examples/storefront');

/**
 * Builds the storefront into `outDir` for the router at `graphqlUrl` (VITE_GRAPHQL_URL). Vite runs
 * in a process of its own, with NODE_ENV=production as `npm run build` has it: inside the test
 * process NODE_ENV is `test`, and Vite would bundle React's development build.
 */
export async function buildStorefront(graphqlUrl: string, outDir: string): Promise<void> {
  const viteBin = join(createRequire(join(STOREFRONT_ROOT, 'package.json')).resolve('vite/package.json'), '../bin/vite.js');
  const child = spawn(process.execPath, [viteBin, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: STOREFRONT_ROOT,
    env: { ...process.env, NODE_ENV: 'production', VITE_GRAPHQL_URL: graphqlUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`vite build of the storefront exited with ${code}:\n${output.join('')}`);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** A running static file server; the same files answer at http://localhost:<port> and http://127.0.0.1:<port>. */
export interface StaticSite {
  port: number;
  /** The site's origin under `host`: each host name is a browser origin of its own. */
  origin(host: 'localhost' | '127.0.0.1'): string;
  close(): Promise<void>;
}

/**
 * Serves the files under `directory` on a free port of 127.0.0.1 (Chromium reaches `localhost` there
 * too), `/` as index.html. The storefront routes by hash, so no path needs a fallback page. Files are
 * read per request, so the server may start before the build has written them.
 */
export async function serveDirectory(directory: string): Promise<StaticSite> {
  const root = resolve(directory);
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://site').pathname);
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(root + sep)) return void res.writeHead(404).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: (host) => `http://${host}:${port}`,
    close: () =>
      new Promise((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
      }),
  };
}
