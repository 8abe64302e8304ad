import { randomUUID } from 'node:crypto';
import { createDemoUsers, getDemoUserId, parseSeedOptions } from '@supergraph/demo-data';
import { testDialects } from '@supergraph/server-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutDocument, LoginDocument } from '../../operations/__generated__/graphql.js';
import { useCheckoutStack } from './support/checkout.js';
import { hasTaskset, pinStackToOneCpu, startCpuHogs, type CpuHogs } from './support/cpu-starvation.js';
import { DEMO_PASSWORD } from './support/example-operations.js';
import type { ResponseError } from './support/graphql-client.js';
import { waitFor } from './support/wait-for.js';

// Issue 12: with the CPU contended, the 50-buyer race confirmed 2 of 5 and logins timed out. Here the
// whole stack runs pinned to one CPU beside two processes spinning on it, and what clients see is
// counted: never timed.

const CUSTOMER_COUNT = 50;
const seedArgs = ['--customers', String(CUSTOMER_COUNT), '--products', '5', '--orders', '0'];
const seed = parseSeedOptions(seedArgs);
const buyers = Array.from({ length: CUSTOMER_COUNT }, (_, index) => getDemoUserId(seed, index + 1));
/** The 50 customers' addresses (customer@example.com and the generated ones after it). */
const customerEmails = createDemoUsers(seed)
  .filter((user) => user.role === 'CUSTOMER')
  .map((user) => user.email)
  .slice(0, CUSTOMER_COUNT);
const LAST_FIVE = { id: 'e2e-starved-last-five', stock: 5, priceMinor: 2_500 };

/** The documented codes that say "nothing final yet, send the same request again" (docs/errors.md). */
const RETRYABLE = ['ORDER_IN_PROGRESS', 'SERVICE_UNAVAILABLE', 'OVERLOADED'];
/** What a login may answer: a token, or one of these codes. */
const LOGIN_REFUSALS = ['UNAUTHENTICATED', 'RATE_LIMITED', 'OVERLOADED'];
// Budgets high enough that the burst reaches password hashing instead of stopping at a rate limit.
const GENEROUS_LIMITS = {
  RATE_LIMIT_PER_MINUTE: '100000',
  AUTH_RATE_LIMIT_PER_MINUTE: '10000',
  LOGIN_RATE_LIMIT_PER_MINUTE: '100',
};
/**
 * The router and the users service sized for what they run on here, a third of one CPU, as an
 * operator would (decision 021): fewer requests at once, waiting longer for a place, and a longer
 * wait for a password hash, still inside the stack's 15 s subgraph deadline.
 */
const ROUTER_ENV = { ...GENEROUS_LIMITS, MAX_CONCURRENT_REQUESTS: '8', MAX_QUEUED_REQUESTS: '100', MAX_QUEUE_WAIT_MS: '8000' };
const USERS_ENV = { ...GENEROUS_LIMITS, PASSWORD_HASH_WAIT_MS: '8000' };

/** One answer as the checks below read it: the HTTP status and the first error's code, if any. */
interface Seen {
  status: number;
  code: string | null;
}

const seenOf = (status: number, errors: ResponseError[] | undefined): Seen => ({
  status,
  code: errors?.[0]?.extensions.code ?? null,
});

describe.each(testDialects())('a stack pinned to one busy CPU, every subgraph on %s', (dialect) => {
  const suite = useCheckoutStack({
    dialect,
    seedArgs,
    products: [LAST_FIVE],
    routerEnv: ROUTER_ENV,
    usersEnv: USERS_ENV,
  });
  let hogs: CpuHogs | undefined;
  beforeAll(async () => {
    if (!hasTaskset()) throw new Error('this suite needs taskset (Debian: apt-get install util-linux)');
    await pinStackToOneCpu(suite.stack);
    hogs = startCpuHogs(2);
  });
  afterAll(async () => {
    await hogs?.stop();
  });

  it('sells the last 5 units to exactly 5 of 50 buyers; the other 45 get OUT_OF_STOCK, a retry settling any retryable answer', async () => {
    const requests = await Promise.all(
      buyers.map(async (userId) => ({
        headers: await suite.customerHeaders(userId),
        variables: { items: [{ productId: LAST_FIVE.id, quantity: 1 }], idempotencyKey: randomUUID(), paymentToken: 'tok_visa' },
      })),
    );
    const everySeen: Seen[] = [];
    const outcomes = new Map<number, string>();
    const send = async (index: number) => {
      const { status, body } = await suite.stack.query(CheckoutDocument, requests[index]!.variables, requests[index]!.headers);
      everySeen.push(seenOf(status, body.errors));
      const outcome = body.data?.createOrder.status ?? body.errors?.[0]?.extensions.code ?? `HTTP ${status}`;
      outcomes.set(index, outcome);
    };
    const unsettled = () => [...outcomes].filter(([, outcome]) => RETRYABLE.includes(outcome)).map(([index]) => index);

    await Promise.all(requests.map((_, index) => send(index)));
    const firstAnswers = [...outcomes.values()];
    // A client sends a retryable answer's request again, same key: it ends in the outcome.
    await waitFor(
      async () => {
        await Promise.all(unsettled().map(send));
        return unsettled().length === 0;
      },
      { what: 'every retryable checkout to settle', timeout: 180_000, interval: 500, show: () => JSON.stringify([...outcomes]) },
    );

    expect(
      firstAnswers.every((outcome) => ['CONFIRMED', 'OUT_OF_STOCK', ...RETRYABLE].includes(outcome)),
      firstAnswers.join(),
    ).toBe(true);
    const finals = [...outcomes.values()];
    expect(finals.filter((outcome) => outcome === 'CONFIRMED')).toHaveLength(5);
    expect(finals.filter((outcome) => outcome === 'OUT_OF_STOCK')).toHaveLength(45);
    expect(everySeen.filter(({ status, code }) => status >= 500 && code !== 'OVERLOADED')).toEqual([]);
    expect(everySeen.filter(({ code }) => code === 'INTERNAL_SERVER_ERROR' || code?.startsWith('SUBGRAPH_'))).toEqual([]);

    await suite.records.waitForAllSagasFinal(120_000);
    expect((await suite.records.listOrders()).filter((order) => order.status === 'PENDING')).toEqual([]);
    expect((await suite.records.readStock()).get(LAST_FIVE.id)).toBe(0);
    await suite.expectInvariants();
  }, 360_000);

  it('answers each of 50 logins at once with a token, UNAUTHENTICATED, RATE_LIMITED or OVERLOADED: no 500, no timeout', async () => {
    // Forty with the right password, ten with a wrong one: the wrong ones hash as long as the right ones.
    const attempts = customerEmails.map((email, index) => ({
      email,
      password: index % 5 === 4 ? 'not the password 42' : DEMO_PASSWORD,
    }));

    const answers = await Promise.all(
      attempts.map(async ({ email, password }) => {
        const { status, body } = await suite.stack.query(LoginDocument, { email, password });
        return {
          isRightPassword: password === DEMO_PASSWORD,
          hasToken: Boolean(body.data?.login.accessToken),
          ...seenOf(status, body.errors),
        };
      }),
    );

    expect(answers).toHaveLength(50);
    // Shedding is not refusing everyone: the first sign-ins to reach a hash get in during the burst.
    expect(answers.filter(({ hasToken }) => hasToken).length).toBeGreaterThan(0);
    const unexpected = answers.filter(({ hasToken, code }) => !hasToken && !LOGIN_REFUSALS.includes(code ?? ''));
    expect(unexpected).toEqual([]);
    expect(answers.filter(({ status, code }) => status >= 500 && code !== 'OVERLOADED')).toEqual([]);
    expect(answers.filter(({ isRightPassword, code }) => isRightPassword && code === 'UNAUTHENTICATED')).toEqual([]);
    expect(answers.filter(({ isRightPassword, hasToken }) => !isRightPassword && hasToken)).toEqual([]);
    expect(answers.filter(({ code }) => code === 'OVERLOADED').every(({ status }) => status === 503)).toBe(true);
    // A client that sends a refused sign-in again gets in: the service recovers once the burst is over.
    const { email } = attempts[0]!;
    await waitFor(async () => (await suite.stack.query(LoginDocument, { email, password: DEMO_PASSWORD })).body.data?.login, {
      what: `${email} to sign in after the burst`,
      timeout: 90_000,
      interval: 1_000,
    });
  }, 180_000);
});
