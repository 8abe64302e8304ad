import type { Page, Request } from 'playwright-core';

// The storefront's session as the browser holds it: examples/storefront/src/auth/session.ts copies it
// to sessionStorage, and reads it back when the page loads. A test changes the stored tokens and
// reloads to hand the app a token the router refuses, as an expired or revoked one would be.

/** STORAGE_KEY in examples/storefront/src/auth/session.ts. */
const SESSION_STORAGE_KEY = 'storefront.session';

/** The page's sessionStorage as the functions below use it (the e2e package compiles without the DOM lib). */
interface WithSessionStorage {
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

/** The token pair a signed-in storefront keeps. */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
}

async function readStoredSession(page: Page): Promise<Record<string, unknown> | null> {
  const stored = await page.evaluate(
    (key) => (globalThis as unknown as WithSessionStorage).sessionStorage.getItem(key),
    SESSION_STORAGE_KEY,
  );
  return stored === null ? null : (JSON.parse(stored) as Record<string, unknown>);
}

/** The tokens the page has stored, or null when nobody is signed in in that tab. */
export async function readStoredTokens(page: Page): Promise<StoredTokens | null> {
  const session = await readStoredSession(page);
  if (session === null) return null;
  return { accessToken: String(session['accessToken']), refreshToken: String(session['refreshToken']) };
}

/**
 * Overwrites tokens of the stored session, keeping the rest (the user). The running app does not see
 * it, since it holds the session in memory too: it reads the new tokens at the next load.
 */
export async function replaceStoredTokens(page: Page, tokens: Partial<StoredTokens>): Promise<void> {
  const session = await readStoredSession(page);
  if (session === null) throw new Error(`the page has no session stored under ${SESSION_STORAGE_KEY}: nobody is signed in`);
  await page.evaluate(([key, value]) => (globalThis as unknown as WithSessionStorage).sessionStorage.setItem(key, value), [
    SESSION_STORAGE_KEY,
    JSON.stringify({ ...session, ...tokens }),
  ] as const);
}

/** The GraphQL operations a page sent to one router, by name. */
export interface OperationLog {
  /** How many requests named `operationName` were sent since the log was started or last cleared. */
  count(operationName: string): number;
  clear(): void;
}

/**
 * The operation a request to the router carries: the storefront sends operations by persisted-query
 * id, with the name beside it in the POST body. Undefined for anything else (a CORS preflight).
 */
function operationNameOf(request: Request): string | undefined {
  if (request.method() !== 'POST') return undefined;
  const body = request.postDataJSON() as { operationName?: unknown } | null;
  return typeof body?.operationName === 'string' ? body.operationName : undefined;
}

/** Records, from now on, the name of every operation `page` sends to URLs under `origin`. */
export function recordOperations(page: Page, origin: string): OperationLog {
  const sent: string[] = [];
  page.on('request', (request) => {
    const name = request.url().startsWith(origin) ? operationNameOf(request) : undefined;
    if (name !== undefined) sent.push(name);
  });
  return {
    count: (operationName) => sent.filter((name) => name === operationName).length,
    clear: () => void sent.splice(0),
  };
}

/**
 * Holds the router's answer to the next `held` operation the page sends to `origin` until the page
 * has received the whole answer to `until` (or waited its default timeout for it): how a request that
 * failed together with others comes back only after the refresh they caused has finished.
 */
export async function holdAnswerUntilAnswered(page: Page, origin: string, held: string, until: string): Promise<void> {
  const untilAnswered = page
    .waitForEvent('requestfinished', (request) => request.url().startsWith(origin) && operationNameOf(request) === until)
    .catch(() => undefined);
  let isHolding = true;
  await page.route(`${origin}/**`, async (route) => {
    if (!isHolding || operationNameOf(route.request()) !== held) return route.fallback();
    isHolding = false;
    const answer = await route.fetch();
    await untilAnswered;
    await route.fulfill({ response: answer });
  });
}
