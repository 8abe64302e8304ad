import { STATUS_CODES } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { Pool, type Dispatcher } from 'undici';

type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];
type ResponseHeaders = Dispatcher.ResponseData['headers'];

/** A subgraph call that outran its deadline, named as a fetch aborted by AbortSignal.timeout is. */
export class SubgraphCallTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * The headers of a subgraph's answer with the part of the fetch `Headers` API the gateway and the
 * router read (get, has, iteration), over undici's plain object of lower-cased names.
 */
class SubgraphResponseHeaders {
  constructor(private readonly raw: ResponseHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name)!];
  }

  keys(): IterableIterator<string> {
    return Object.keys(this.raw)[Symbol.iterator]();
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this.entries()) callback(value, name);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * A subgraph's answer as RemoteGraphQLDataSource reads a fetch Response: status, ok, statusText,
 * url, headers, and the body once, as text or JSON. The body has been read already (within the
 * call's deadline), so reading it cannot fail on the network.
 */
class SubgraphResponse {
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: SubgraphResponseHeaders;

  constructor(
    readonly url: string,
    readonly status: number,
    headers: ResponseHeaders,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.statusText = STATUS_CODES[status] ?? '';
    this.headers = new SubgraphResponseHeaders(headers);
  }

  text(): Promise<string> {
    return Promise.resolve(this.body);
  }

  json(): Promise<unknown> {
    return new Promise((resolve) => resolve(JSON.parse(this.body)));
  }
}

export interface SubgraphClient {
  /** RemoteGraphQLDataSource's `fetcher` for this subgraph. */
  fetcher: Fetcher;
  /** Closes the subgraph's connections. */
  close(): Promise<void>;
}

/**
 * The HTTP client of one subgraph: an undici connection pool to its origin (keep-alive, one request
 * at a time per connection) called with `request()`, which costs a fraction of Node's fetch (web
 * streams, a Request and a Response object per call; decision 027). Each call, the body included,
 * must finish within `timeoutMs`, or it fails with a TimeoutError. undici publishes its requests on
 * the diagnostics channels the OpenTelemetry undici instrumentation traces, so a subgraph call is
 * still a client span that carries `traceparent`.
 */
export function createSubgraphClient(url: string, timeoutMs: number): SubgraphClient {
  const { origin, pathname, search } = new URL(url);
  const path = `${pathname}${search}`;
  const pool = new Pool(origin, { pipelining: 1 });
  const fetcher = async (input: string, init: { method?: string; headers?: Record<string, string>; body?: string }) => {
    // The data source calls its own URL; parsed once, not per call.
    if (input !== url) throw new Error(`the ${origin} subgraph client was asked for ${input}`);
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const { statusCode, headers, body } = await pool.request({
        path,
        method: init.method ?? 'POST',
        headers: init.headers,
        body: init.body,
        signal,
      });
      return new SubgraphResponse(input, statusCode, headers, await body.text());
    } catch (error) {
      if (signal.aborted) throw new SubgraphCallTimeoutError(`no answer within ${timeoutMs} ms`, { cause: error });
      throw error;
    }
  };
  return { fetcher: fetcher as unknown as Fetcher, close: () => pool.close() };
}
