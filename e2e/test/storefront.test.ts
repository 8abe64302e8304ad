import {
  createDemoProducts,
  createDemoUsers,
  DEMO_CUSTOMER_EMAIL,
  DEMO_CUSTOMER_INDEX,
  parseSeedOptions,
} from '@supergraph/demo-data';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowOnlyHostOf, locateChromium } from './support/chromium.js';
import { DEMO_PASSWORD } from './support/example-operations.js';
import { createSteps, resetScreenshots, type Step } from './support/screenshot-steps.js';
import {
  attributesOf,
  catalogCountOf,
  openCart,
  openContext,
  openOrders,
  openProduct,
  placeOrder,
  pollPage,
  productIdsShown,
  recordTraffic,
  searchCatalog,
  signIn,
  textOf,
  type OriginTraffic,
} from './support/storefront-page.js';
import { startStorefrontStack, type StorefrontStack } from './support/storefront-stack.js';
import { describeRefusedTokens } from './support/storefront-token-refresh.js';

// The storefront example (examples/storefront) built as it is deployed and driven in Debian's
// Chromium against the real stack: a customer signs in, searches, pages, orders, is declined, cancels
// and signs out, and every outcome is checked on screen and, for stock, in the products database.
// In another tab, the stored tokens are made bad: the refresh (support/storefront-token-refresh.ts).
// CORS is checked in the browser too: how the routers and sites are arranged for it is in
// support/storefront-stack.ts. Every step leaves a screenshot in e2e/artifacts/storefront/.

const seedArgs = ['--customers', '2', '--products', '40', '--orders', '5'];
const seed = parseSeedOptions(seedArgs);
const catalog = createDemoProducts(seed);
const customerName = createDemoUsers(seed)[DEMO_CUSTOMER_INDEX]!.name;
const PAGE_SIZE = 12;

/** What the catalog says while it shows `shown` of `total` products. */
const showing = (shown: number, total = catalog.length) => `Showing ${shown} of ${total} products`;

/** A search that narrows the catalog to a few products, matched as the products service does. */
const SEARCH = 'brightpan';
const searchHits = catalog.filter((product) =>
  [product.name, product.sku, product.description].some((text) => text.toLowerCase().includes(SEARCH)),
);
/** The product the customer orders, twice. */
const ordered = searchHits.find((product) => product.stock >= 3)!;
const QUANTITY = 2;

const PAYING_CARD = 'Test card that pays (tok_visa)';
const DECLINED_CARD = 'Test card that is declined (tok_chargeDeclined)';

const chromium = locateChromium();
const chromiumPath = 'path' in chromium ? chromium.path : undefined;
if ('missing' in chromium) console.log(`The storefront browser suite is SKIPPED: ${chromium.missing}.`);

describe.skipIf(chromiumPath === undefined)('the storefront in Chromium against the real stack', () => {
  let suite: StorefrontStack;

  beforeAll(async () => {
    resetScreenshots();
    suite = await startStorefrontStack({ chromiumPath: chromiumPath!, seedArgs });
  });

  afterAll(async () => {
    await suite?.stop();
  });

  const stockInDatabase = async () => (await suite.records.readStock()).get(ordered.id);

  describe('a customer, in one tab from sign-in to a cancelled order', () => {
    let context: BrowserContext;
    let page: Page;
    let traffic: OriginTraffic;
    let step: Step;
    let stockBefore: number;
    let confirmedOrderId: string;

    beforeAll(async () => {
      context = await openContext(suite.browser);
      page = await context.newPage();
      traffic = recordTraffic(page, suite.storefrontRouter.origin);
      step = createSteps(page, 'customer');
    });

    afterAll(async () => {
      await context?.close();
    });

    it('signs in from another origin than the router, whose answers carry that origin in access-control-allow-origin', async () => {
      await step('open the catalog', async () => {
        await page.goto(`${suite.storefront.origin('localhost')}/#/`);
        await pollPage(() => catalogCountOf(page)).toBe(showing(PAGE_SIZE));
      });
      await step('sign in', async () => {
        expect(await signIn(page, DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD)).toBe(`Signed in as ${customerName}`);
        await page.getByRole('button', { name: 'Sign out' }).waitFor();
      });

      expect(traffic.failures).toEqual([]);
      expect(traffic.responses.length).toBeGreaterThan(0);
      expect(new Set(traffic.responses.map((response) => response.allowOrigin))).toEqual(
        new Set([suite.storefront.origin('localhost')]),
      );
    });

    it('narrows the catalog by a search and shows the count', async () => {
      await step('search', async () => {
        await searchCatalog(page, SEARCH);
        await pollPage(() => catalogCountOf(page)).toBe(showing(searchHits.length, searchHits.length));
      });

      expect(new Set(await productIdsShown(page))).toEqual(new Set(searchHits.map((product) => product.id)));
    });

    it('loads the next page below the first one', async () => {
      const firstPage = await step('clear the search', async () => {
        await searchCatalog(page, '');
        await pollPage(() => catalogCountOf(page)).toBe(showing(PAGE_SIZE));
        return productIdsShown(page);
      });
      await step('load more', async () => {
        await page.getByRole('button', { name: 'Load more' }).click();
        await pollPage(() => catalogCountOf(page)).toBe(showing(2 * PAGE_SIZE));
      });

      const shown = await productIdsShown(page);
      expect(shown).toHaveLength(2 * PAGE_SIZE);
      expect(shown.slice(0, PAGE_SIZE)).toEqual(firstPage);
      expect(new Set(shown).size).toBe(2 * PAGE_SIZE);
    });

    it('checks out with a card that pays: CONFIRMED on screen, the stock in the database down by the quantity', async () => {
      stockBefore = (await stockInDatabase())!;
      await step('add the product to the cart twice', async () => {
        await openProduct(page, ordered.id);
        await pollPage(() => textOf(page.getByTestId('product-stock'))).toBe(`${stockBefore} in stock`);
        for (let added = 0; added < QUANTITY; added++) {
          await page.getByRole('button', { name: `Add ${ordered.name} to cart` }).click();
        }
        await pollPage(() => textOf(page.getByTestId('cart-count'))).toBe(String(QUANTITY));
      });
      await step('place the order with tok_visa', async () => {
        await openCart(page);
        await placeOrder(page, PAYING_CARD);
        await pollPage(() => attributesOf(page.getByTestId('checkout-result'), 'data-order-status')).toEqual(['CONFIRMED']);
      });

      confirmedOrderId = (await page.getByTestId('checkout-result').getAttribute('data-order-id'))!;
      expect(await textOf(page.getByTestId('checkout-result'))).toContain(`Order ${confirmedOrderId} is CONFIRMED`);
      expect((await suite.records.findOrder(confirmedOrderId))?.status).toBe('CONFIRMED');
      expect(await stockInDatabase()).toBe(stockBefore - QUANTITY);
      await step('the product page shows the new stock', async () => {
        await openProduct(page, ordered.id);
        await pollPage(() => textOf(page.getByTestId('product-stock'))).toBe(`${stockBefore - QUANTITY} in stock`);
      });
    });

    it('shows a declined card as PAYMENT_DECLINED and leaves the stock in the database as it was', async () => {
      await step('add the product to the cart', async () => {
        await page.getByRole('button', { name: `Add ${ordered.name} to cart` }).click();
        await pollPage(() => textOf(page.getByTestId('cart-count'))).toBe('1');
      });
      await step('place the order with tok_chargeDeclined', async () => {
        await openCart(page);
        await placeOrder(page, DECLINED_CARD);
        await pollPage(() => attributesOf(page.getByTestId('checkout-error'), 'data-error-code')).toEqual(['PAYMENT_DECLINED']);
      });

      expect(await textOf(page.getByTestId('checkout-error'))).toContain('Your card was declined (generic_decline)');
      expect(await page.getByTestId('checkout-result').count()).toBe(0);
      expect(await stockInDatabase()).toBe(stockBefore - QUANTITY);
    });

    it('cancels the confirmed order from the order history: CANCELLED on screen, the stock back', async () => {
      const order = page.getByTestId('order').and(page.locator(`[data-order-id="${confirmedOrderId}"]`));
      await step('open the orders', async () => {
        await openOrders(page);
        await pollPage(() => textOf(order.getByTestId('order-status'))).toBe('CONFIRMED');
      });
      await step('cancel the order', async () => {
        await page.getByRole('button', { name: `Cancel order ${confirmedOrderId}` }).click();
        await pollPage(() => textOf(order.getByTestId('order-status'))).toBe('CANCELLED');
      });

      expect(await page.getByRole('button', { name: `Cancel order ${confirmedOrderId}` }).count()).toBe(0);
      expect((await suite.records.findOrder(confirmedOrderId))?.status).toBe('CANCELLED');
      expect(await stockInDatabase()).toBe(stockBefore);
    });

    it('signs out: the sign-in form is back, and the orders page asks to sign in', async () => {
      await step('sign out', async () => {
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('form', { name: 'Sign in' }).waitFor();
        await page.getByTestId('sign-in-to-see-orders').waitFor();
      });

      expect(await page.getByTestId('signed-in-user').count()).toBe(0);
      expect(await page.getByTestId('order').count()).toBe(0);
      expect(traffic.failures).toEqual([]);
      expect(new Set(traffic.responses.map((response) => response.allowOrigin))).toEqual(
        new Set([suite.storefront.origin('localhost')]),
      );
    });
  });

  describeRefusedTokens(() => suite, { customerName, catalogFirstPage: showing(PAGE_SIZE) });

  it('lets only the origin CORS_ORIGINS lists read the router: from another one the page shows NETWORK_ERROR', async () => {
    const context = await openContext(suite.browser);
    try {
      const listed = await context.newPage();
      const unlisted = await context.newPage();
      const listedTraffic = recordTraffic(listed, suite.corsRouter.origin);
      const unlistedTraffic = recordTraffic(unlisted, suite.corsRouter.origin);
      await createSteps(listed, 'cors-listed-origin')('open the catalog from the listed origin', async () => {
        await listed.goto(`${suite.corsSite.origin('localhost')}/#/`);
        await pollPage(() => catalogCountOf(listed)).toBe(showing(PAGE_SIZE));
      });
      await createSteps(unlisted, 'cors-unlisted-origin')('open the catalog from an unlisted origin', async () => {
        await unlisted.goto(`${suite.corsSite.origin('127.0.0.1')}/#/`);
        await pollPage(() => attributesOf(unlisted.getByTestId('catalog-error'), 'data-error-code')).toEqual(['NETWORK_ERROR']);
      });

      expect(listedTraffic.responses.map((response) => response.allowOrigin)).toContain(suite.corsSite.origin('localhost'));
      expect(unlistedTraffic.responses.filter((response) => response.allowOrigin !== null)).toEqual([]);
      // Blocked, not unreachable: the router answered the preflight (without CORS headers), and Chromium
      // failed the request (net::ERR_FAILED) instead of sending it; a stopped router would be ERR_CONNECTION_REFUSED.
      expect(unlistedTraffic.failures.length).toBeGreaterThan(0);
      expect(new Set(unlistedTraffic.failures.map((failure) => failure.error))).toEqual(new Set(['net::ERR_FAILED']));
      expect(await unlisted.getByTestId('catalog-count').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  // GraphiQL has no test ids: its execute button is found by its accessible name, its result pane by
  // its class (graphiql-response). Offline means the page asks nothing of any host but the router's:
  // every other request is aborted, and none may have been attempted.
  it("runs the offline explorer's default query in the browser, with no request to another host, and shows totalCount", async () => {
    const context = await openContext(suite.browser);
    try {
      const elsewhere = await allowOnlyHostOf(context, suite.stack.router.origin);
      const page = await context.newPage();
      const step = createSteps(page, 'graphiql');
      await step('open GraphiQL', async () => {
        await page.goto(`${suite.stack.router.origin}/graphiql`);
        await page.getByRole('button', { name: /Execute query/ }).waitFor();
      });
      await step('run the default query', async () => {
        await page.getByRole('button', { name: /Execute query/ }).click();
        await pollPage(() => textOf(page.locator('.graphiql-response'))).toContain('totalCount');
      });

      expect(await textOf(page.locator('.graphiql-response'))).toMatch(new RegExp(`"totalCount":\\s*${catalog.length}`));
      expect(elsewhere).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
