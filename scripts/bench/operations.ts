import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './processes.js';

// The operations the benchmark sends are the documented ones in operations/, as a client sends them:
// the operation with the fragments it spreads appended.

const FRAGMENTS = readFragments();

function readFragments(): Map<string, string> {
  const text = readFileSync(join(REPO_ROOT, 'operations', 'fragments.graphql'), 'utf8');
  const fragments = new Map<string, string>();
  for (const match of text.matchAll(/^fragment (\w+) on \w+ \{[\s\S]*?^\}/gm)) fragments.set(match[1]!, match[0]);
  return fragments;
}

/** operations/<name>.graphql with every fragment it spreads (fragments here spread no others). */
export function readOperation(name: string): string {
  const text = readFileSync(join(REPO_ROOT, 'operations', `${name}.graphql`), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  const spread = new Set([...text.matchAll(/\.\.\.(\w+)/g)].map((match) => match[1]!));
  return [text, ...[...spread].map((fragment) => FRAGMENTS.get(fragment) ?? '')].join('\n');
}

export const USER_ORDERS = readOperation('UserOrders');
export const CATALOG_PAGE = readOperation('CatalogPage');
export const PRODUCT_DETAILS = readOperation('ProductDetails');
export const CHECKOUT = readOperation('Checkout');
export const LOGIN = readOperation('Login');

/** One POST /graphql body. */
export function graphqlBody(query: string, variables: object): string {
  return JSON.stringify({ query, variables });
}

/** A Checkout of one unit of the next product in `productIds`, with an idempotency key of its own. */
export function createCheckoutBodies(productIds: readonly string[]): () => string {
  let next = 0;
  return () => {
    const productId = productIds[next++ % productIds.length]!;
    return graphqlBody(CHECKOUT, {
      items: [{ productId, quantity: 1 }],
      idempotencyKey: randomUUID(),
      paymentToken: 'tok_visa',
    });
  };
}

interface LoginAnswer {
  data?: { login?: { accessToken: string; user: { id: string } } };
  errors?: unknown[];
}

/** Signs in through a gateway; resolves to the access token and the user's id. */
export async function signIn(url: string, email: string, password: string): Promise<{ token: string; userId: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: graphqlBody(LOGIN, { email, password }),
  });
  const answer = (await response.json()) as LoginAnswer;
  const login = answer.data?.login;
  if (!response.ok || !login) throw new Error(`sign-in as ${email} failed (${response.status}): ${JSON.stringify(answer)}`);
  return { token: login.accessToken, userId: login.user.id };
}
