import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { LoginDocument, type LoginMutation } from '../../../operations/__generated__/graphql.js';
import type { ReceivedSpan } from '../../../scripts/traces/otlp-json.js';
import { startTraceReceiver, type TraceReceiver } from '../../../scripts/traces/receiver.js';
import { createTraceBuffer } from '../../../scripts/traces/trace-buffer.js';
import { formatTraceTree } from '../../../scripts/traces/trace-tree.js';
import type { OperationSender } from './graphql-client.js';
import { waitFor } from './wait-for.js';

export type { ReceivedSpan } from '../../../scripts/traces/otlp-json.js';
export { formatTraceTree } from '../../../scripts/traces/trace-tree.js';

/** The OTLP protocols the services' exporters speak over HTTP. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** A real OTLP/HTTP receiver (the one behind npm run traces) in the test process, keeping every span it is sent. */
export interface OtlpReceiver {
  /** Its base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  /** Every span received so far, in the order they came. */
  spans(): ReceivedSpan[];
  /** The spans received so far of one trace. */
  trace(traceId: string): ReceivedSpan[];
  /**
   * Waits until the spans of the trace `traceId` (a string, or a function that finds it among the
   * spans received, undefined while it cannot) satisfy `isComplete`, and resolves to them. Spans come
   * from several processes, each exporting in its own batches: a test waits for those it expects.
   */
  waitForTrace(
    what: string,
    traceId: string | ((spans: ReceivedSpan[]) => string | undefined),
    isComplete: (spans: ReceivedSpan[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

// Generous: on a busy 2-core machine a checkout takes seconds and each process exports on its own timer.
const TRACE_TIMEOUT_MS = 60_000;

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const buffer = createTraceBuffer();
  const refusals: string[] = [];
  const receiver: TraceReceiver = await startTraceReceiver({
    port: 0,
    onSpans: (spans) => buffer.add(spans),
    onRefused: (reason) => refusals.push(reason),
  });
  const findTraceId = (traceId: string | ((spans: ReceivedSpan[]) => string | undefined)) =>
    typeof traceId === 'string' ? traceId : traceId(buffer.spans());
  return {
    endpoint: receiver.endpoint,
    spans: () => buffer.spans(),
    trace: (traceId) => buffer.trace(traceId),
    async waitForTrace(what, traceId, isComplete, timeoutMs = TRACE_TIMEOUT_MS) {
      let lastSeen: ReceivedSpan[] = [];
      await waitFor(
        () => {
          // A refused export means spans were lost: fail at once rather than time out without them.
          if (refusals.length > 0) throw new Error(`the OTLP receiver refused an export: ${refusals.join('; ')}`);
          const id = findTraceId(traceId);
          lastSeen = id === undefined ? [] : buffer.trace(id);
          return lastSeen.length > 0 && isComplete(lastSeen);
        },
        {
          what,
          timeout: timeoutMs,
          interval: 100,
          show: () =>
            lastSeen.length > 0
              ? `\n${formatTraceTree(lastSeen)}`
              : `no such trace among ${buffer.traceIds().length} traces received (${buffer.spans().length} spans)`,
        },
      );
      return lastSeen;
    },
    close: () => receiver.close(),
  };
}

/** A W3C trace context a test sends as a client would (`traceparent`), sampled. */
export interface ClientTraceContext {
  traceId: string;
  spanId: string;
  traceparent: string;
}

export function createClientTraceContext(): ClientTraceContext {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/**
 * The settings that send every process's spans to `endpoint`: quickly (a 100 ms batch delay rather
 * than 5 s), over `protocol`, compressed or not. The stack's processes inherit process.env.
 */
export function tracingEnv(
  endpoint: string,
  protocol: OtlpProtocol,
  compression: 'gzip' | 'none' = 'none',
): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_EXPORTER_OTLP_COMPRESSION: compression,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  };
}

/** Sets `variables` in process.env (undefined deletes one); returns what puts the previous values back. */
export function setProcessEnv(variables: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(variables);
  return () => apply(previous);
}

/**
 * A receiver for a describe block, started (and process.env pointed at it) before the stack the
 * block starts after this call, and closed after that stack stops. Call it before startStack's
 * beforeAll (or useCheckoutStack) so the stack's processes inherit the settings.
 */
export function useOtlpReceiver(
  protocol: OtlpProtocol,
  compression: 'gzip' | 'none' = 'none',
): { readonly receiver: OtlpReceiver } {
  let receiver: OtlpReceiver | undefined;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    restoreEnv = setProcessEnv(tracingEnv(receiver.endpoint, protocol, compression));
  });
  afterAll(async () => {
    restoreEnv?.();
    await receiver?.close();
  });
  return {
    get receiver() {
      if (!receiver) throw new Error('the OTLP receiver has not started (use it inside a test)');
      return receiver;
    },
  };
}

/** The trace the router started for a request that sent `client`'s traceparent (TRACE_INCOMING_CONTEXT=link): the one whose root links to it. */
export function traceLinkedTo(client: ClientTraceContext): (spans: ReceivedSpan[]) => string | undefined {
  return (spans) =>
    spans.find(
      (span) => span.service === 'router' && span.kind === 'SERVER' && span.links.some((link) => link.traceId === client.traceId),
    )?.traceId;
}

export function hasSpan(spans: ReceivedSpan[], matches: (span: ReceivedSpan) => boolean): boolean {
  return spans.some(matches);
}

/** The spans whose parent is `parent`. */
export function childrenOf(spans: ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return spans.filter((span) => span.parentSpanId === parent.spanId);
}

/** Every attribute value of a span and of its links, as text, to look for what must not be there. */
export function attributeValuesOf(span: ReceivedSpan): string[] {
  return [span.attributes, ...span.links.map((link) => link.attributes)].flatMap((attributes) =>
    Object.values(attributes).map(String),
  );
}

/**
 * Expects exactly one span of the trace to have no parent in it (the root, or the span under a
 * caller's span that is not ours), every other span's parent being in the trace, and returns it.
 */
export function expectSingleRoot(spans: ReceivedSpan[]): ReceivedSpan {
  const ids = new Set(spans.map((span) => span.spanId));
  const roots = spans.filter((span) => span.parentSpanId === undefined || !ids.has(span.parentSpanId));
  expect(
    roots.map((span) => `${span.service} ${span.kind} ${span.name} (parent ${span.parentSpanId ?? 'none'})`),
    `the spans without a parent in the trace:\n${formatTraceTree(spans)}`,
  ).toHaveLength(1);
  return roots[0]!;
}

type Login = NonNullable<LoginMutation['login']>;

/**
 * Signs in through the router with Login, sending a new client traceparent each time (unless
 * `headers` has one); a busy machine may answer OVERLOADED (retryable), and it is sent again, as a
 * client would. Resolves to the tokens and the client trace context of the attempt that signed in.
 */
export async function signIn(
  query: OperationSender,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ client: ClientTraceContext; login: Login }> {
  return waitFor(
    async () => {
      const client = createClientTraceContext();
      const { body } = await query(LoginDocument, { email, password }, { traceparent: client.traceparent, ...headers });
      if (body.errors?.some((error) => error.extensions.code === 'OVERLOADED')) return null;
      expect(body.errors).toBeUndefined();
      return { client, login: body.data!.login };
    },
    { what: 'a login that is not OVERLOADED', timeout: 60_000, interval: 1_000 },
  );
}
