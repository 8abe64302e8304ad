import { DEMO_CUSTOMER_EMAIL } from '@supergraph/demo-data';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './example-operations.js';
import { createSteps, type Step } from './screenshot-steps.js';
import {
  catalogCountOf,
  openCatalog,
  openContext,
  openOrders,
  orderIdsShown,
  pollPage,
  signIn,
  textOf,
} from './storefront-page.js';
import {
  holdAnswerUntilAnswered,
  readStoredTokens,
  recordOperations,
  replaceStoredTokens,
  type OperationLog,
  type StoredTokens,
} from './storefront-session.js';
import type { StorefrontStack } from './storefront-stack.js';

// The browser suite's token cases (storefront.test.ts registers them on its stack): the storefront's
// refresh link (examples/storefront/src/apollo/auth-links.ts) seen from the browser. The access token
// is replaced in sessionStorage and the page reloaded, so the app starts with a token the router
// refuses (401 UNAUTHENTICATED), as it would with an expired one. The reload lands on the catalog,
// whose two queries (CatalogPage, Categories) are refused together and must share one refresh; to
// make sure one of them fails only after that refresh has finished, its answer is held until then.

const BAD_ACCESS_TOKEN = 'expired-or-forged-access-token';

/** What the demo customer sees: the header's greeting, and the catalog's count over its first page. */
export interface RefusedTokenExpectations {
  customerName: string;
  catalogFirstPage: string;
}

/** The tab the token cases share: the demo customer signed in, the operations it sends recorded. */
interface TokensTab {
  page: Page;
  operations: OperationLog;
  step: Step;
  /** The router the storefront calls. */
  routerOrigin: string;
  /** The refresh token before the first case traded it: revoked since. */
  tradedRefreshToken?: string;
}

/** Registers the token cases, in a tab of their own where the demo customer signs in. */
export function describeRefusedTokens(getSuite: () => StorefrontStack, expected: RefusedTokenExpectations): void {
  describe('a signed-in customer whose stored tokens are refused', () => {
    let context: BrowserContext | undefined;
    let tab: TokensTab;

    beforeAll(async () => {
      const suite = getSuite();
      context = await openContext(suite.browser);
      const page = await context.newPage();
      tab = {
        page,
        operations: recordOperations(page, suite.storefrontRouter.origin),
        step: createSteps(page, 'tokens'),
        routerOrigin: suite.storefrontRouter.origin,
      };
      await page.goto(`${suite.storefront.origin('localhost')}/#/`);
      expect(await signIn(page, DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD)).toBe(`Signed in as ${expected.customerName}`);
    });

    afterAll(async () => {
      await context?.close();
    });

    it('trades the refresh token once for a refused access token, and shows the orders', () => refreshOnce(tab, expected));
    it('signs the customer out when the refresh token is refused too, after one RefreshToken', () =>
      signOutOnRefusedRefresh(tab, expected));
  });
}

/** Stores `tokens` in place of the session's and reloads, with the operation log cleared. */
async function reloadWithTokens({ page, operations }: TokensTab, tokens: Partial<StoredTokens>): Promise<void> {
  await replaceStoredTokens(page, tokens);
  operations.clear();
  await page.reload();
}

async function refreshOnce(tab: TokensTab, expected: RefusedTokenExpectations): Promise<void> {
  const { page, operations, step } = tab;
  const ordersBefore = await step('open the orders', async () => {
    await openOrders(page);
    await page.getByTestId('orders-count').waitFor();
    return orderIdsShown(page);
  });
  tab.tradedRefreshToken = (await readStoredTokens(page))!.refreshToken;
  await step('store a bad access token and reload the catalog, Categories refused after the refresh', async () => {
    await openCatalog(page);
    await holdAnswerUntilAnswered(page, tab.routerOrigin, 'Categories', 'RefreshToken');
    await reloadWithTokens(tab, { accessToken: BAD_ACCESS_TOKEN });
    await pollPage(() => catalogCountOf(page)).toBe(expected.catalogFirstPage);
    await pollPage(() => page.getByLabel('Category').isEnabled()).toBe(true);
  });
  await step('open the orders again', async () => {
    await openOrders(page);
    await pollPage(() => orderIdsShown(page)).toEqual(ordersBefore);
  });

  expect(ordersBefore.length).toBeGreaterThan(0);
  expect(operations.count('RefreshToken')).toBe(1);
  expect(await textOf(page.getByTestId('signed-in-user'))).toBe(`Signed in as ${expected.customerName}`);
  const renewed = (await readStoredTokens(page))!;
  expect(renewed.accessToken).not.toBe(BAD_ACCESS_TOKEN);
  expect(renewed.refreshToken).not.toBe(tab.tradedRefreshToken);
}

async function signOutOnRefusedRefresh(tab: TokensTab, expected: RefusedTokenExpectations): Promise<void> {
  const { page, operations, step } = tab;
  await step('store a bad access token and a revoked refresh token, and reload the catalog', async () => {
    await openCatalog(page);
    await reloadWithTokens(tab, { accessToken: BAD_ACCESS_TOKEN, refreshToken: tab.tradedRefreshToken! });
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    // The catalog is public: signed out, its queries go again without a token.
    await pollPage(() => catalogCountOf(page)).toBe(expected.catalogFirstPage);
  });
  await step('open the orders', async () => {
    await openOrders(page);
    await page.getByTestId('sign-in-to-see-orders').waitFor();
  });

  expect(operations.count('RefreshToken')).toBe(1);
  expect(await readStoredTokens(page)).toBeNull();
  expect(await page.getByTestId('signed-in-user').count()).toBe(0);
  expect(await page.getByTestId('order').count()).toBe(0);
}
