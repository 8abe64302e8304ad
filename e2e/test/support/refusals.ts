import { expect } from 'vitest';
import type { UntypedResponse } from './graphql-client.js';
import type { Stack } from './stack.js';

/** POSTs a raw body (JSON or not) to a router, for refusals an OperationSender cannot provoke. */
export async function postRaw(url: string, body: string, headers: Record<string, string> = {}): Promise<UntypedResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/**
 * Sends an operation that the router must refuse with `status` and `code` before any subgraph hears
 * of it (their operation counters stay as they were), and resolves to the refusal.
 */
export async function expectRefused<TResponse extends { status: number; body: any }>(
  stack: Stack,
  send: () => Promise<TResponse>,
  status: number,
  code: string,
): Promise<TResponse> {
  const before = await stack.subgraphOperations();
  const response = await send();
  expect({ status: response.status, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  expect(response.body.data).toBeUndefined();
  expect(await stack.subgraphOperations()).toBe(before);
  return response;
}
