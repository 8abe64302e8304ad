import { getDemoCustomerId, parseSeedOptions } from '@supergraph/demo-data';
import { afterAll, beforeAll, expect } from 'vitest';
import type { UntypedResponse } from './graphql-client.js';
import { startStack, type Stack } from './stack.js';

// What the router's limit suites share (request-limits and rate-limits): one SQLite stack each,
// since limits do not depend on the dialect, and the check that a refusal reached no subgraph.

const seedArgs = ['--customers', '4', '--products', '20', '--orders', '20'];
/** The seed the limits stack is set up with. */
export const LIMITS_SEED = parseSeedOptions(seedArgs);
/** customer@example.com, as a token's viewer. */
export const LIMITS_CUSTOMER = { id: getDemoCustomerId(LIMITS_SEED), role: 'CUSTOMER' as const };

export interface LimitsStack {
  /** The running stack (from the file's beforeAll on). */
  readonly stack: Stack;
  /**
   * Sends an operation that the router must refuse with `status` and `code` before any subgraph
   * hears of it (their operation counters stay as they were), and resolves to the refusal.
   */
  expectRefused: <TResponse extends { status: number; body: any }>(
    send: () => Promise<TResponse>,
    status: number,
    code: string,
  ) => Promise<TResponse>;
}

/** Starts a limits stack before the file's tests and stops it after them; call it at the top of a test file. */
export function useLimitsStack(): LimitsStack {
  let started: Stack | undefined;
  beforeAll(async () => {
    started = await startStack({ dialect: 'sqlite', seedArgs });
  });
  afterAll(async () => {
    await started?.stop();
  });
  const limits: LimitsStack = {
    get stack() {
      if (!started) throw new Error('the limits stack has not started (use it inside a test)');
      return started;
    },
    expectRefused: async (send, status, code) => {
      const before = await limits.stack.subgraphOperations();
      const response = await send();
      expect({ status: response.status, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
      expect(response.body.data).toBeUndefined();
      expect(await limits.stack.subgraphOperations()).toBe(before);
      return response;
    },
  };
  return limits;
}

/** POSTs a raw body (JSON or not) to a router, for refusals an OperationSender cannot provoke. */
export async function postRaw(url: string, body: string, headers: Record<string, string> = {}): Promise<UntypedResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, body: await response.json() };
}
