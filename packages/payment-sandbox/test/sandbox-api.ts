import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { afterAll, beforeAll } from 'vitest';
import { createPaymentSandbox, type PaymentSandbox, type PaymentSandboxOptions } from '../src/payment-sandbox.js';

export const SECRET_KEY = 'sk_test_sandbox_tests';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** A line the sandbox logged, as the tests read it. */
export interface SandboxLogLine {
  msg?: string;
  req?: { id?: string; idempotencyKey?: string };
}

export interface SandboxApi {
  sandbox: PaymentSandbox;
  url: string;
  /** POSTs JSON with the test secret key and, when given, an Idempotency-Key. */
  post(
    path: string,
    body: unknown,
    options?: { key?: string; headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<ApiAnswer>;
  /** GETs with the test secret key. */
  get(path: string, options?: { headers?: Record<string, string> }): Promise<ApiAnswer>;
  /**
   * Resolves once the sandbox has logged `count` (default 1) lines with this message about requests
   * with this idempotency key (say, that it holds one).
   */
  waitForLog(message: string, key: string, count?: number): Promise<void>;
  /** The charges recorded for an order, through the API. */
  chargesForOrder(orderId: string): Promise<any[]>;
  /** Every line the sandbox has logged so far. */
  logLines(): readonly SandboxLogLine[];
  close(): Promise<void>;
}

/** A charge request for a fresh order id. */
export function chargeBody(source: string, overrides: Record<string, unknown> = {}) {
  return { amount: 1999, currency: 'usd', source, metadata: { orderId: randomUUID() }, ...overrides };
}

/** The sandbox on a free port of 127.0.0.1, in memory unless `dataFile` says otherwise, its logs kept. */
export async function startSandbox(options: Partial<PaymentSandboxOptions> = {}): Promise<SandboxApi> {
  const lines: SandboxLogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  const sandbox = createPaymentSandbox({
    secretKey: SECRET_KEY,
    dataFile: ':memory:',
    logger: createLogger({ service: 'payment-sandbox', level: 'info', destination }),
    slowChargeMs: 300,
    ...options,
  });
  const url = await sandbox.listen(0, '127.0.0.1');
  const request = async (
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal },
  ) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${SECRET_KEY}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };
  const api: SandboxApi = {
    sandbox,
    url,
    post: (path, body, { key, headers, signal } = {}) =>
      request('POST', path, {
        body,
        headers: { ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers },
        ...(signal ? { signal } : {}),
      }),
    get: (path, { headers } = {}) => request('GET', path, { ...(headers ? { headers } : {}) }),
    waitForLog: async (message, key, count = 1) => {
      const isMatch = (line: (typeof lines)[number]) => line.msg === message && line.req?.idempotencyKey === key;
      while (lines.filter(isMatch).length < count) await delay(10);
    },
    chargesForOrder: async (orderId) => {
      const { status, body } = await api.get(`/v1/charges?${new URLSearchParams({ 'metadata[orderId]': orderId })}`);
      if (status !== 200) throw new Error(`listing charges answered ${status}: ${JSON.stringify(body)}`);
      return body.data as any[];
    },
    logLines: () => lines,
    close: () => sandbox.close(),
  };
  return api;
}

/**
 * One sandbox for the calling test file, started before its first test and closed after its last;
 * the tests reach it through the returned API.
 */
export function useSandbox(): SandboxApi {
  let started: SandboxApi | undefined;
  beforeAll(async () => {
    started = await startSandbox();
  });
  afterAll(() => started?.close());
  const current = (): SandboxApi => {
    if (!started) throw new Error('the sandbox starts before the first test');
    return started;
  };
  return {
    get sandbox() {
      return current().sandbox;
    },
    get url() {
      return current().url;
    },
    post: (...args) => current().post(...args),
    get: (...args) => current().get(...args),
    waitForLog: (...args) => current().waitForLog(...args),
    chargesForOrder: (orderId) => current().chargesForOrder(orderId),
    logLines: () => current().logLines(),
    close: () => current().close(),
  };
}
