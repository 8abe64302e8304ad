import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { openCheckoutRecords, type CheckoutRecords } from './checkout-records.js';
import { launchChromium } from './chromium.js';
import type { ServiceProcess } from './processes.js';
import { startStack, type Stack } from './stack.js';
import { buildStorefront, serveDirectory, type StaticSite } from './storefront-site.js';

// What the browser suite runs against. The customer's storefront is served from
// http://localhost:<port> and calls a safelisting router on http://127.0.0.1:<port>: another
// origin, allowed by the router's development default (http://localhost:*). For a refused origin, a
// third router lists exactly one origin in CORS_ORIGINS, http://localhost:<p> of a second site
// serving a build that calls it; the same site opened as http://127.0.0.1:<p> is the same files and
// the same router from an origin not on the list. So the test can show the listed origin reading the
// catalog and the other one failing, with nothing but the origin changed.

export interface StorefrontStack {
  /** The whole supergraph on SQLite, with its own router (development settings: it serves /graphiql). */
  stack: Stack;
  /** The stack's orders and products databases, open to read stock rows. */
  records: CheckoutRecords;
  /** Headless Chromium. */
  browser: Browser;
  /** The router the storefront calls: PERSISTED_OPERATIONS=safelist, CORS as in development. */
  storefrontRouter: ServiceProcess;
  /** The storefront built for storefrontRouter; open it as origin('localhost'). */
  storefront: StaticSite;
  /** A safelisting router whose CORS_ORIGINS is exactly corsSite.origin('localhost'). */
  corsRouter: ServiceProcess;
  /** The storefront built for corsRouter: listed as origin('localhost'), not as origin('127.0.0.1'). */
  corsSite: StaticSite;
  /** Closes the browser, the sites and the records, stops the stack and removes the builds; every step runs. */
  stop(): Promise<void>;
}

/** Starts the stack, the two extra routers, the two storefront builds and their sites, and Chromium. */
export async function startStorefrontStack(options: { chromiumPath: string; seedArgs: string[] }): Promise<StorefrontStack> {
  const buildsDir = mkdtempSync(join(tmpdir(), 'storefront-e2e-'));
  const cleanups: (() => Promise<unknown> | void)[] = [() => rmSync(buildsDir, { recursive: true, force: true })];
  const stop = async () => {
    const errors: unknown[] = [];
    for (const cleanup of [...cleanups].reverse()) await Promise.resolve(cleanup()).catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, 'stopping the storefront stack failed');
  };

  try {
    const stack = await startStack({ dialect: 'sqlite', seedArgs: options.seedArgs });
    cleanups.push(() => stack.stop());
    const records = await openCheckoutRecords(stack);
    cleanups.push(() => records.close());
    // The sites start before the builds (they read files per request): the CORS router needs an origin.
    const [storefront, corsSite] = await Promise.all([
      serveDirectory(join(buildsDir, 'storefront')),
      serveDirectory(join(buildsDir, 'cors')),
    ]);
    cleanups.push(
      () => storefront.close(),
      () => corsSite.close(),
    );
    const [storefrontRouter, corsRouter] = await Promise.all([
      stack.startRouter({ PERSISTED_OPERATIONS: 'safelist' }),
      stack.startRouter({ PERSISTED_OPERATIONS: 'safelist', CORS_ORIGINS: corsSite.origin('localhost') }),
    ]);
    const [browser] = await Promise.all([
      launchChromium(options.chromiumPath).then((launched) => {
        cleanups.push(() => launched.close());
        return launched;
      }),
      buildStorefront(storefrontRouter.url, join(buildsDir, 'storefront')),
      buildStorefront(corsRouter.url, join(buildsDir, 'cors')),
    ]);
    return { stack, records, browser, storefrontRouter, storefront, corsRouter, corsSite, stop };
  } catch (error) {
    await stop().catch((stopError: unknown) => {
      throw new AggregateError([error, stopError], 'the storefront stack did not start, and stopping what did start failed too');
    });
    throw error;
  }
}
