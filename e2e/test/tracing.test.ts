import { randomUUID } from 'node:crypto';
import { DEMO_CUSTOMER_EMAIL, getDemoCustomerId, parseSeedOptions } from '@supergraph/demo-data';
import type { Dialect } from '@supergraph/server-kit/db';
import { testDialects } from '@supergraph/server-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutDocument, ProductDetailsDocument, UserOrdersDocument } from '../../operations/__generated__/graphql.js';
import { firstError, useCheckoutStack } from './support/checkout.js';
import { DEMO_PASSWORD } from './support/example-operations.js';
import { createOperationSender } from './support/graphql-client.js';
import {
  attributeValuesOf,
  childrenOf,
  createClientTraceContext,
  expectSingleRoot,
  formatTraceTree,
  hasSpan,
  signIn,
  setProcessEnv,
  startOtlpReceiver,
  traceLinkedTo,
  useOtlpReceiver,
  type OtlpProtocol,
  type OtlpReceiver,
  type ReceivedSpan,
} from './support/otlp-receiver.js';
import { startStack, type Stack } from './support/stack.js';

// One request is one trace (issue 13), proven with a real OTLP/HTTP receiver in the test process:
// every process of the stack exports its spans to it, as they would to Jaeger or Tempo.

const seedArgs = ['--customers', '8', '--products', '40', '--orders', '30'];
const seed = parseSeedOptions(seedArgs);
const customerId = getDemoCustomerId(seed);
const STOCKED = { id: 'e2e-tracing-stocked', stock: 500, priceMinor: 1_250 };

/** Both OTLP encodings are proven, one per dialect; the protobuf one compressed, as a collector behind a WAN would take it. */
const EXPORT: Record<Dialect, { protocol: OtlpProtocol; compression: 'gzip' | 'none' }> = {
  sqlite: { protocol: 'http/protobuf', compression: 'gzip' },
  postgres: { protocol: 'http/json', compression: 'none' },
};

/** db.system.name on each dialect's SQL spans. */
const DB_SYSTEMS: Record<Dialect, string> = { sqlite: 'sqlite', postgres: 'postgresql' };

const isServer = (service: string) => (span: ReceivedSpan) => span.service === service && span.kind === 'SERVER';
const isSqlSpan = (span: ReceivedSpan) => span.attributes['db.query.text'] !== undefined;

/** What each trace test expects of the trace of one request through the router, beyond its own checks. */
function expectOneRequestTrace(
  spans: ReceivedSpan[],
  services: string[],
  client: { traceId: string; spanId: string },
  dialectSystem: string,
) {
  const tree = `\n${formatTraceTree(spans)}`;
  expect(new Set(spans.map((span) => span.traceId)), tree).toEqual(new Set([spans[0]!.traceId]));
  expect(new Set(spans.map((span) => span.service)), tree).toEqual(new Set(services));

  // Every span's parent is in the trace, but the root's: the router's server span, which started the trace.
  const root = expectSingleRoot(spans);
  expect(root, tree).toMatchObject({ service: 'router', kind: 'SERVER', parentSpanId: undefined });
  // TRACE_INCOMING_CONTEXT=link (the default): a new trace at the router, the caller's span linked.
  expect(root.traceId).not.toBe(client.traceId);
  expect(root.links, tree).toContainEqual(expect.objectContaining({ traceId: client.traceId, spanId: client.spanId }));

  // The router's own work: planning, and one fetch per subgraph, each a client call to that subgraph's server span.
  expect(
    hasSpan(spans, (span) => span.service === 'router' && span.name === 'gateway.plan'),
    tree,
  ).toBe(true);
  expect(
    hasSpan(spans, (span) => span.service === 'router' && span.name === 'gateway.fetch'),
    tree,
  ).toBe(true);
  for (const service of services.filter((name) => name !== 'router' && name !== 'payment-sandbox')) {
    const servers = spans.filter(isServer(service));
    expect(servers.length, `${service} server spans${tree}`).toBeGreaterThan(0);
    const sql = spans.filter((span) => span.service === service && isSqlSpan(span));
    expect(sql.length, `${service} SQL spans${tree}`).toBeGreaterThan(0);
    for (const span of sql) {
      // Named `<operation> <table>` (`SELECT products`, `BEGIN`), as the database semantic conventions say.
      const { 'db.operation.name': operation, 'db.collection.name': table } = span.attributes;
      expect(span, tree).toMatchObject({ kind: 'CLIENT', name: table === undefined ? operation : `${operation} ${table}` });
      expect(span.attributes['db.system.name'], tree).toBe(dialectSystem);
    }
  }
  return root;
}

/** Expects no attribute of any span (or link) to contain one of `secrets`, naming the span that does. */
function expectNoneOf(spans: ReceivedSpan[], secrets: Record<string, string>) {
  for (const [what, secret] of Object.entries(secrets)) {
    const leaking = spans.filter((span) => attributeValuesOf(span).some((value) => value.includes(secret)));
    expect(
      leaking.map((span) => `${span.service} ${span.name}`),
      `spans whose attributes hold ${what}`,
    ).toEqual([]);
  }
}

describe.each(testDialects())('one trace per request across every service, every subgraph on %s', (dialect) => {
  const { protocol, compression } = EXPORT[dialect];
  // First, so the stack's processes inherit the exporter settings, and the receiver outlives the stack.
  const otlp = useOtlpReceiver(protocol, compression);
  const suite = useCheckoutStack({ dialect, seedArgs, products: [STOCKED] });
  /** customer@example.com's sign-in through the router, once per suite (the first test traces it). */
  let session: ReturnType<typeof signIn> | undefined;
  const signInOnce = () => (session ??= signIn(suite.stack.query, DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD));
  const customerHeaders = async () => ({ authorization: `Bearer ${(await signInOnce()).login.accessToken}` });

  it(`signs in as one trace whose SQL spans hold neither the email nor the password (${protocol})`, async () => {
    const { client, login } = await signInOnce();

    const spans = await otlp.receiver.waitForTrace('the Login trace', traceLinkedTo(client), (trace) =>
      ['router', 'users'].every((service) => hasSpan(trace, isServer(service))),
    );

    expectOneRequestTrace(spans, ['router', 'users'], client, DB_SYSTEMS[dialect]);
    expectNoneOf(spans, {
      'the email': DEMO_CUSTOMER_EMAIL,
      'the password': DEMO_PASSWORD,
      'the access token': login.accessToken,
      'the refresh token': login.refreshToken,
    });
  });

  it("traces the join (a user's orders, their lines and products) as one trace across router, users, orders and products", async () => {
    const asCustomer = await customerHeaders();
    const client = createClientTraceContext();
    const before = otlp.receiver.spans().length;

    const { body } = await suite.stack.query(
      UserOrdersDocument,
      { userId: customerId },
      { ...asCustomer, traceparent: client.traceparent },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.user?.orders?.nodes.some((order) => order.items.length > 0)).toBe(true);

    const services = ['router', 'users', 'orders', 'products'];
    const spans = await otlp.receiver.waitForTrace('the join trace', traceLinkedTo(client), (trace) =>
      services.every((service) => hasSpan(trace, isServer(service))),
    );
    expectOneRequestTrace(spans, services, client, DB_SYSTEMS[dialect]);
    // Nothing of the request went to another trace: every server span received meanwhile is in this one.
    const serverSpansMeanwhile = otlp.receiver
      .spans()
      .slice(before)
      .filter((span) => span.kind === 'SERVER');
    expect(new Set(serverSpansMeanwhile.map((span) => span.traceId))).toEqual(new Set([spans[0]!.traceId]));
    expectNoneOf(spans, {
      'the email': DEMO_CUSTOMER_EMAIL,
      'the access token': asCustomer.authorization.slice('Bearer '.length),
    });
  });

  it("traces a checkout as one trace: orders' calls to products' reservation API and to the payment sandbox, and each saga step", async () => {
    const client = createClientTraceContext();
    const input = { items: [{ productId: STOCKED.id, quantity: 1 }], idempotencyKey: randomUUID(), paymentToken: 'tok_visa' };

    const { body } = await suite.stack.query(CheckoutDocument, input, {
      ...(await customerHeaders()),
      traceparent: client.traceparent,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.createOrder.status).toBe('CONFIRMED');
    const orderId = body.data!.createOrder.id;

    const services = ['router', 'orders', 'products', 'payment-sandbox'];
    const spans = await otlp.receiver.waitForTrace('the checkout trace', traceLinkedTo(client), (trace) =>
      services.every((service) => hasSpan(trace, isServer(service))),
    );
    const tree = `\n${formatTraceTree(spans)}`;
    expectOneRequestTrace(spans, services, client, DB_SYSTEMS[dialect]);
    expectNoneOf(spans, {
      'the product id': STOCKED.id,
      'the payment token': input.paymentToken,
      'the idempotency key': input.idempotencyKey,
    });

    // orders -> products' reservation API and orders -> the sandbox: a client span in orders, the callee's server span its child.
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const callerOf = (span: ReceivedSpan) => byId.get(span.parentSpanId!);
    const reservationCalls = spans.filter(isServer('products')).filter((span) => callerOf(span)?.service === 'orders');
    expect(reservationCalls.length, `products server spans called by orders${tree}`).toBeGreaterThan(0);
    for (const server of [...reservationCalls, ...spans.filter(isServer('payment-sandbox'))]) {
      expect(callerOf(server), tree).toMatchObject({ service: 'orders', kind: 'CLIENT' });
      expect(childrenOf(spans, callerOf(server)!)).toContainEqual(server);
    }

    // Each saga step is a span with the order id and its outcome.
    const steps = spans.filter((span) => span.service === 'orders' && /^checkout\.[a-z_]+$/.test(span.name));
    expect(steps.length, `checkout step spans${tree}`).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.attributes, tree).toMatchObject({ 'order.id': orderId, 'checkout.outcome': expect.any(String) });
    }
  });

  it('traces the recovery of a checkout whose orders process died mid-saga as a new trace linked to the checkout', async () => {
    const armed = await suite.stack.restart('orders', { CHECKOUT_CRASH_POINT: 'stock-reserved-recorded' });
    const client = createClientTraceContext();
    const input = { items: [{ productId: STOCKED.id, quantity: 1 }], idempotencyKey: randomUUID(), paymentToken: 'tok_visa' };

    const { body } = await suite.stack.query(CheckoutDocument, input, {
      ...(await customerHeaders()),
      traceparent: client.traceparent,
    });
    expect(firstError(body).extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'orders' });
    expect(await armed.waitForExit(30_000)).toBe('SIGKILL');
    const { orderId } = await suite.records.waitForSaga('started', (saga) => saga.idempotencyKey === input.idempotencyKey);
    // The router's side of the checkout request is exported: its trace is the one the saga stored.
    const checkout = await otlp.receiver.waitForTrace(
      'the router spans of the crashed checkout',
      traceLinkedTo(client),
      (trace) => hasSpan(trace, isServer('router')),
    );
    const checkoutTraceId = checkout[0]!.traceId;

    await suite.stack.startServiceAgain('orders', {}, { unset: ['CHECKOUT_CRASH_POINT'] });
    expect(await suite.records.waitForFinalSaga(orderId, 60_000)).toMatchObject({ step: 'CONFIRMED' });

    const isRecoveryOfCheckout = (span: ReceivedSpan) =>
      span.name === 'checkout.recover' && span.links.some((link) => link.traceId === checkoutTraceId);
    const recovery = await otlp.receiver.waitForTrace(
      'the recovery trace linked to the checkout',
      (received) => received.find(isRecoveryOfCheckout)?.traceId,
      (trace) => hasSpan(trace, isServer('payment-sandbox')) && hasSpan(trace, isServer('products')),
    );
    const tree = `\n${formatTraceTree(recovery)}`;
    const root = expectSingleRoot(recovery);
    expect(root, tree).toMatchObject({ name: 'checkout.recover', service: 'orders', parentSpanId: undefined });
    expect(root.attributes['order.id'], tree).toBe(orderId);
    expect(root.traceId).not.toBe(checkoutTraceId);
  });

  it('sends no trace of its own for background work (the recovery loop, the reservation sweep): every trace starts at a request or a recovery', async () => {
    const roots = otlp.receiver.spans().filter((span) => span.parentSpanId === undefined);
    const isRequestOrRecovery = (span: ReceivedSpan) => span.kind === 'SERVER' || span.name === 'checkout.recover';
    const others = roots.filter((span) => !isRequestOrRecovery(span)).map((span) => `${span.service} ${span.kind} ${span.name}`);
    expect(roots.length).toBeGreaterThan(0);
    expect([...new Set(others)], 'root spans that are neither a request nor a recovery').toEqual([]);
  });

  it('continues the caller’s trace on a router set to TRACE_INCOMING_CONTEXT=honor', async () => {
    const router = await suite.stack.startRouter({ TRACE_INCOMING_CONTEXT: 'honor' });
    try {
      const client = createClientTraceContext();
      const query = createOperationSender(() => router.url);

      const { body } = await query(ProductDetailsDocument, { id: STOCKED.id }, { traceparent: client.traceparent });
      expect(body.errors).toBeUndefined();

      const spans = await otlp.receiver.waitForTrace('the honoured trace', client.traceId, (trace) =>
        ['router', 'products'].every((service) => hasSpan(trace, isServer(service))),
      );
      const tree = `\n${formatTraceTree(spans)}`;
      // The caller's span is the parent of the router's server span, the only span whose parent is not in the trace.
      const root = expectSingleRoot(spans);
      expect(root, tree).toMatchObject({ service: 'router', kind: 'SERVER', parentSpanId: client.spanId, links: [] });
    } finally {
      await router.stop();
    }
  });
});

describe('with tracing off', () => {
  let stack: Stack;
  let receiver: OtlpReceiver;
  let restoreEnv: () => void;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // No endpoint: tracing is off. users is given one, and OTEL_SDK_DISABLED=true, which wins.
    restoreEnv = setProcessEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
      OTEL_TRACES_EXPORTER: undefined,
      OTEL_SDK_DISABLED: undefined,
    });
    stack = await startStack({
      dialect: 'sqlite',
      seedArgs,
      usersEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SDK_DISABLED: 'true', OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    restoreEnv?.();
    await receiver?.close();
  });

  it('sends no span and writes no trace id in any log line, with no endpoint or with OTEL_SDK_DISABLED=true', async () => {
    const client = createClientTraceContext();
    const { login } = await signIn(stack.query, DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD, { traceparent: client.traceparent });
    const { body } = await stack.query(
      UserOrdersDocument,
      { userId: customerId },
      { authorization: `Bearer ${login.accessToken}`, traceparent: client.traceparent },
    );
    expect(body.errors).toBeUndefined();

    // Each service has logged the request (its access log line) by the time we look at its lines.
    const processes = [stack.router, ...Object.values(stack.subgraphs)];
    for (const service of processes) await service.waitForLog('a request', (line) => line.msg === 'request completed');
    // users stops gracefully, which would flush any span it had buffered.
    expect(await stack.subgraphs.users.stop()).toBe(0);
    expect(receiver.spans()).toEqual([]);
    for (const service of [...processes, stack.paymentSandbox]) {
      const traced = service.logs.filter((line) => 'trace_id' in line || 'span_id' in line);
      expect(traced, `${service.name} log lines with a trace id`).toEqual([]);
    }
  });
});
