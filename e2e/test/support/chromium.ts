import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium, which .ci/run installs (apt-get install chromium). */
const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * What the browser suite runs with beside playwright-core's own flags (launch() adds a fresh
 * temporary profile, --user-data-dir, and removes it on close): no sandbox, since CI runs as root in
 * a container; no GPU; and no calls home (component updates, background fetches), since the machine
 * has no internet and a page must not depend on it.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

/** Where the browser suite finds Chromium: its path, or why it cannot run here. */
export type ChromiumLocation = { path: string } | { missing: string };

/**
 * Finds Chromium at CHROMIUM_PATH (default /usr/bin/chromium). Without it the browser suite cannot
 * run: outside CI it is skipped with the returned reason; with CI=true (or 1) this throws instead,
 * since CI must never pass without the browser suite.
 */
export function locateChromium(source: Record<string, string | undefined> = process.env): ChromiumLocation {
  const path = source.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
  try {
    accessSync(path, constants.X_OK);
    return { path };
  } catch {
    const missing =
      `no executable Chromium at ${path}: install Debian's chromium (apt-get install chromium; .ci/run does) ` +
      'or point CHROMIUM_PATH at one';
    if (source.CI === 'true' || source.CI === '1')
      throw new Error(`CI runs the storefront browser suite, but there is ${missing}`);
    return { missing };
  }
}

/** Starts headless Chromium from `path` with a fresh profile; close() ends it and removes the profile. */
export function launchChromium(path: string): Promise<Browser> {
  return chromium.launch({ executablePath: path, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Lets the pages of `context` reach the host (name and port) of `origin` only: a request to any
 * other is aborted before it leaves the browser, and its URL added to the returned list. A test
 * that expects the list empty proves the page needed nothing from elsewhere (a CDN, the internet).
 */
export async function allowOnlyHostOf(context: BrowserContext, origin: string): Promise<string[]> {
  const { host } = new URL(origin);
  const refused: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).host === host) return route.continue();
    refused.push(url);
    return route.abort('blockedbyclient');
  });
  return refused;
}
