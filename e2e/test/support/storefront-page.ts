import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

// Reading and driving the storefront in a browser page by the roles, labels and test ids its README
// lists ("For browser tests"). Reads do not wait; assertions poll them until the page shows what is
// expected, as a user would wait, and never sleep for a fixed time.

/**
 * How long the page may take to show an outcome (and an action to find its element): a checkout on
 * a busy 2-core machine takes seconds. Below the e2e test timeout, so a step fails with its own
 * message and screenshot first.
 */
export const UI_TIMEOUT_MS = 20_000;

/** A fresh browser context (its own storage, so its own session) whose actions wait up to UI_TIMEOUT_MS. */
export async function openContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  return context;
}

/** expect.poll with the browser suite's timeout: `await pollPage(() => textOf(x)).toBe('...')`. */
export function pollPage<T>(read: () => Promise<T> | T): ReturnType<typeof expect.poll<T>> {
  return expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 100 });
}

/** The text of every element `locator` matches, joined; '' while there is none (no waiting). */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.allTextContents()).join(' ');
}

/** An attribute of every element `locator` matches, in document order (no waiting). */
export function attributesOf(locator: Locator, name: string): Promise<(string | null)[]> {
  return locator.evaluateAll((elements, attribute) => elements.map((element) => element.getAttribute(attribute)), name);
}

/** What the catalog says it shows ("Showing 12 of 40 products"); '' while it shows no list. */
export function catalogCountOf(page: Page): Promise<string> {
  return textOf(page.getByTestId('catalog-count'));
}

/** The product ids of the catalog's cards, in the order shown. */
export function productIdsShown(page: Page): Promise<(string | null)[]> {
  return attributesOf(page.getByTestId('product-card'), 'data-product-id');
}

/** What the page got back from one origin, as the browser let it see it. */
export interface OriginTraffic {
  /** Every response the page received: its URL and its Access-Control-Allow-Origin (null when absent). */
  responses: { url: string; allowOrigin: string | null }[];
  /** Every request that got no response the page could read (a refused connection, a CORS block). */
  failures: { url: string; error: string }[];
}

/** Records, from now on, the responses and failed requests of `page` to URLs under `origin`. */
export function recordTraffic(page: Page, origin: string): OriginTraffic {
  const traffic: OriginTraffic = { responses: [], failures: [] };
  page.on('response', (response) => {
    if (!response.url().startsWith(origin)) return;
    traffic.responses.push({ url: response.url(), allowOrigin: response.headers()['access-control-allow-origin'] ?? null });
  });
  page.on('requestfailed', (request) => {
    if (!request.url().startsWith(origin)) return;
    traffic.failures.push({ url: request.url(), error: request.failure()?.errorText ?? 'unknown' });
  });
  return traffic;
}

/** Signs in with the "Sign in" form; resolves once the header names who is signed in. */
export async function signIn(page: Page, email: string, password: string): Promise<string> {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  return (await page.getByTestId('signed-in-user').textContent()) ?? '';
}

/** Submits the catalog's search form with `text` ('' clears the search). */
export async function searchCatalog(page: Page, text: string): Promise<void> {
  const form = page.getByRole('search', { name: 'Catalog' });
  await form.getByLabel('Search products').fill(text);
  await form.getByRole('button', { name: 'Search' }).click();
}

/** The order ids of the "Orders" list, in the order shown. */
export function orderIdsShown(page: Page): Promise<(string | null)[]> {
  return attributesOf(page.getByTestId('order'), 'data-order-id');
}

/** Follows a link of the "Main" navigation: a hash route, so the document and the in-memory cart stay. */
async function followMainLink(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
}

/** Opens the catalog from the "Main" navigation. */
export const openCatalog = (page: Page) => followMainLink(page, 'Catalog');

/** Opens the cart from the "Main" navigation. */
export const openCart = (page: Page) => followMainLink(page, /^Cart/);

/** Opens the order history from the "Main" navigation. */
export const openOrders = (page: Page) => followMainLink(page, 'Orders');

/** Opens a product's page by its hash route, as its link does: the document stays, and so does the in-memory cart. */
export async function openProduct(page: Page, productId: string): Promise<void> {
  // Only the hash changes: a same-document navigation (goto resolves to null), not a reload.
  const response = await page.goto(new URL(`#/products/${encodeURIComponent(productId)}`, page.url()).href);
  if (response !== null) throw new Error(`opening product ${productId} reloaded the page, and with it the cart`);
  await page
    .getByTestId('product-details')
    .and(page.locator(`[data-product-id="${productId}"]`))
    .waitFor();
}

/** Chooses the card `label` in the "Checkout" form and places the order. */
export async function placeOrder(page: Page, cardLabel: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Checkout' });
  await form.getByLabel(cardLabel).check();
  await form.getByRole('button', { name: 'Place order' }).click();
}
