import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { context, propagation, trace, SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { createPaymentSandbox } from '@supergraph/payment-sandbox';
import type { Viewer } from '@supergraph/server-kit/auth';
import { enableTracingForTests } from '@supergraph/server-kit/tracing';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProductsHarness, TEST_INVENTORY_SECRET, type ProductsHarness } from '../../products/test/harness.js';
import { addStockedProduct } from '../../products/test/inventory-fixtures.js';
import { readMetrics, seriesValue } from '../../products/test/metrics-text.js';
import { CUSTOMER, newCustomer, SEED, TIMING } from './checkout-fixtures.js';
import { createCheckoutDatabaseReads } from './checkout-database.js';
import { createTestClock } from './checkout-harness.js';
import { createOrdersHarness, testDialects, type OrdersHarness } from './harness.js';
import { createInterruptions } from './interrupted-sagas.js';
import { paymentProviderEnv } from './payment-sandbox.js';

// Checkout seen from outside: the request id of the request that drives a step reaches products'
// and the payment sandbox's logs (x-request-id), the saga's log lines carry it, each step is a
// span, a recovery pass is a new trace linked to the checkout, and the funnel shows on /metrics.
// Orders talks to the real products service (through a proxy that records what it is sent) and to
// the real payment sandbox, both in this process.

type LogLine = Record<string, unknown> & { msg?: string; reqId?: string; orderId?: string; req?: { id?: string } };

/** A logger at info whose lines the test reads. */
function capturedLogger(service: string) {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as LogLine);
      done();
    },
  });
  return { logger: createLogger({ service, level: 'info', destination }), lines };
}

/** What the products service was sent and answered, per call through the proxy. */
interface ProxiedCall {
  path: string;
  sentRequestId: string | undefined;
  answeredRequestId: string | null;
}

/** A proxy in front of `origin` that records each call's x-request-id, and the one the service echoed. */
async function startRecordingProxy(origin: string): Promise<{ url: string; calls: ProxiedCall[]; server: Server }> {
  const calls: ProxiedCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const answer = await fetch(`${origin}${req.url}`, {
          method: req.method!,
          headers: forwardable(req.headers),
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        const sent = req.headers['x-request-id'];
        calls.push({
          path: req.url!,
          sentRequestId: typeof sent === 'string' ? sent : undefined,
          answeredRequestId: answer.headers.get('x-request-id'),
        });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server };
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) kept[name] = value;
  }
  return kept;
}

/** Spans recorded in memory through the global API, and server-kit's tracing switched on for them. */
function useInMemoryTracing() {
  const exporter = new InMemorySpanExporter();
  let disableTracing: () => void = () => undefined;
  beforeAll(() => {
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    disableTracing = enableTracingForTests();
  });
  afterAll(() => {
    disableTracing();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());
  return {
    spans: () => exporter.getFinishedSpans(),
    forgetSpans: () => exporter.reset(),
    /** Runs `run` inside a span standing for the GraphQL request that carries the mutation. */
    inRequestSpan: <T>(run: () => Promise<T>) =>
      trace.getTracer('test').startActiveSpan('POST /graphql', { kind: SpanKind.SERVER }, async (span) => {
        try {
          return { result: await run(), span };
        } finally {
          span.end();
        }
      }),
  };
}

const spansNamed = (spans: readonly ReadableSpan[], prefix: string) => spans.filter((span) => span.name.startsWith(prefix));

describe.each(testDialects())('checkout observability on %s', (dialect) => {
  const tracing = useInMemoryTracing();
  const sandboxLog = capturedLogger('payment-sandbox');
  let sandbox: ReturnType<typeof createPaymentSandbox>;
  let sandboxUrl: string;
  let products: ProductsHarness;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let productId: string;

  beforeAll(async () => {
    sandbox = createPaymentSandbox({
      secretKey: paymentProviderEnv('').PAYMENT_PROVIDER_SECRET_KEY,
      dataFile: ':memory:',
      logger: sandboxLog.logger,
    });
    sandboxUrl = await sandbox.listen(0, '127.0.0.1');
    products = await createProductsHarness(dialect, { products: 5 });
    proxy = await startRecordingProxy(new URL(await products.service.listen(0, '127.0.0.1')).origin);
    productId = (await addStockedProduct(products.database, { stock: 1_000, priceMinor: 1_500 })).id;
  });
  afterAll(async () => {
    proxy?.server.close();
    await products?.close();
    await sandbox?.close();
  });

  let orders: OrdersHarness;
  let ordersLog: ReturnType<typeof capturedLogger>;
  let clock: ReturnType<typeof createTestClock>;
  let ordersOrigin: string;
  beforeEach(async () => {
    ordersLog = capturedLogger('orders');
    // Stopped: the backlog's ages read exactly as far as the test moves the clock.
    clock = createTestClock(new Date());
    orders = await createOrdersHarness(dialect, {
      seed: SEED,
      logger: ordersLog.logger,
      checkoutEnv: {
        ...paymentProviderEnv(sandboxUrl),
        PRODUCTS_INTERNAL_URL: proxy.url,
        PRODUCTS_INVENTORY_SECRET: TEST_INVENTORY_SECRET,
        INVENTORY_TIMEOUT_MS: '2000',
        CHECKOUT_LEASE_MS: String(TIMING.leaseMs),
        CHECKOUT_DEADLINE_SECONDS: String(TIMING.deadlineMs / 1000),
      },
      checkoutOverrides: { now: clock.now },
    });
    ordersOrigin = new URL(await orders.service.listen(0, '127.0.0.1')).origin;
  });
  afterEach(() => orders?.close());

  let keyCount = 0;
  const input = () => ({
    items: [{ productId, quantity: 1 }],
    idempotencyKey: `observed-${process.pid}-${Date.now()}-${++keyCount}`,
    paymentToken: 'tok_visa',
  });
  const sandboxLinesOf = (requestId: string) => sandboxLog.lines.filter((line) => line.req?.id === requestId);
  const productsCallsSince = (from: number) => proxy.calls.slice(from);

  it('keeps the request id and traceparent with the saga, sends the id to products and the sandbox, and logs and traces each step', async () => {
    const requestId = `checkout-${Date.now()}`;
    const callsBefore = proxy.calls.length;

    const { result: order, span: requestSpan } = await tracing.inRequestSpan(() =>
      orders.checkoutService.createOrder(CUSTOMER, input(), { requestId }),
    );

    expect(order.status).toBe('CONFIRMED');
    const { traceId, spanId } = requestSpan.spanContext();
    expect(await createCheckoutDatabaseReads(orders.database).sagaOf(order.id)).toMatchObject({
      step: 'CONFIRMED',
      requestId,
      traceParent: `00-${traceId}-${spanId}-01`,
    });
    // products took the id (its access log line carries what it echoes), for the reservation and the commit.
    expect(productsCallsSince(callsBefore)).toEqual([
      { path: '/internal/reservations', sentRequestId: requestId, answeredRequestId: requestId },
      { path: `/internal/reservations/${order.id}/commit`, sentRequestId: requestId, answeredRequestId: requestId },
    ]);
    await expect.poll(() => sandboxLinesOf(requestId).map((line) => line.msg)).toContain('request completed');
    const sagaLines = ordersLog.lines.filter((line) => line.orderId === order.id);
    expect(sagaLines.map((line) => line.msg)).toEqual(['checkout started', 'order confirmed']);
    for (const line of sagaLines) expect(line.reqId).toBe(requestId);

    const steps = spansNamed(tracing.spans(), 'checkout.');
    expect(steps.map((span) => [span.name, span.attributes])).toEqual([
      [
        'checkout.reserving',
        { 'order.id': order.id, 'checkout.step': 'RESERVING', 'checkout.outcome': 'reserved', 'checkout.next_step': 'CHARGING' },
      ],
      [
        'checkout.charging',
        { 'order.id': order.id, 'checkout.step': 'CHARGING', 'checkout.outcome': 'charged', 'checkout.next_step': 'COMMITTING' },
      ],
      [
        'checkout.committing',
        {
          'order.id': order.id,
          'checkout.step': 'COMMITTING',
          'checkout.outcome': 'committed',
          'checkout.next_step': 'CONFIRMED',
        },
      ],
    ]);
    for (const span of steps) {
      expect(span.spanContext().traceId).toBe(traceId);
      expect(span.parentSpanContext?.spanId).toBe(spanId);
    }
  });

  it('runs a recovery pass as a new trace linked to the checkout, its calls carrying the stored request id', async () => {
    const { span: requestSpan } = await tracing.inRequestSpan(async () =>
      createInterruptions(orders.checkoutDeps).interruptCheckout(CUSTOMER, input(), 'stock-reserved-recorded'),
    );
    const stored = await createCheckoutDatabaseReads(orders.database).latestSagaOf(CUSTOMER);
    expect(stored).toMatchObject({ step: 'CHARGING', requestId: 'interrupted-checkout' });
    const orderId = stored!.orderId;
    const callsBefore = proxy.calls.length;
    tracing.forgetSpans();

    clock.advance(TIMING.leaseMs + 1);
    expect(await orders.recoverOnce()).toEqual({ driven: 1 });

    expect(await createCheckoutDatabaseReads(orders.database).sagaOf(orderId)).toMatchObject({ step: 'CONFIRMED' });
    expect(productsCallsSince(callsBefore)).toEqual([
      {
        path: `/internal/reservations/${orderId}/commit`,
        sentRequestId: 'interrupted-checkout',
        answeredRequestId: 'interrupted-checkout',
      },
    ]);
    await expect.poll(() => sandboxLinesOf('interrupted-checkout').map((line) => line.msg)).toContain('charge succeeded');
    const recoveryLines = ordersLog.lines.filter((line) => line.orderId === orderId && line.msg?.includes('recover'));
    expect(recoveryLines.map((line) => [line.msg, line.reqId])).toEqual([
      ['recovering checkout saga', 'interrupted-checkout'],
      ['checkout saga recovery pass done', 'interrupted-checkout'],
    ]);

    const spans = tracing.spans();
    const [recover] = spansNamed(spans, 'checkout.recover');
    expect(recover).toBeDefined();
    expect(recover!.parentSpanContext).toBeUndefined();
    expect(recover!.attributes).toMatchObject({ 'order.id': orderId, 'checkout.step': 'CHARGING' });
    const checkoutContext = requestSpan.spanContext();
    expect(recover!.spanContext().traceId).not.toBe(checkoutContext.traceId);
    expect(recover!.links.map((link) => [link.context.traceId, link.context.spanId])).toEqual([
      [checkoutContext.traceId, checkoutContext.spanId],
    ]);
    const steps = spansNamed(spans, 'checkout.').filter((span) => span !== recover);
    expect(steps.map((span) => span.name)).toEqual(['checkout.charging', 'checkout.committing']);
    for (const span of steps) {
      expect(span.spanContext().traceId).toBe(recover!.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(recover!.spanContext().spanId);
    }
  });

  it('recovers a saga recorded before sagas kept a request id and traceparent: no link, and products makes an id of its own', async () => {
    const orderId = await createInterruptions(orders.checkoutDeps).interruptCheckout(
      CUSTOMER,
      input(),
      'stock-reserved-recorded',
    );
    await orders.database.transaction(async ({ db, tables }) => {
      await db
        .update(tables.checkoutSagas)
        .set({ requestId: null, traceParent: null })
        .where(eq(tables.checkoutSagas.orderId, orderId));
    });
    const callsBefore = proxy.calls.length;
    tracing.forgetSpans();

    clock.advance(TIMING.leaseMs + 1);
    expect(await orders.recoverOnce()).toEqual({ driven: 1 });

    expect(await createCheckoutDatabaseReads(orders.database).sagaOf(orderId)).toMatchObject({ step: 'CONFIRMED' });
    const [commit] = productsCallsSince(callsBefore);
    expect(commit).toEqual({
      path: `/internal/reservations/${orderId}/commit`,
      sentRequestId: undefined,
      answeredRequestId: expect.any(String),
    });
    const [recover] = spansNamed(tracing.spans(), 'checkout.recover');
    expect(recover?.links).toEqual([]);
  });

  it('shows the checkout funnel on /metrics: started, finished, compensations, and the pending backlog from the database', async () => {
    const funnel = async () => {
      const text = await readMetrics(ordersOrigin);
      return {
        started: seriesValue(text, 'checkout_sagas_started_total'),
        confirmed: seriesValue(text, 'checkout_sagas_finished_total', { outcome: 'CONFIRMED', reason: 'none' }),
        cancelled: seriesValue(text, 'checkout_sagas_finished_total', { outcome: 'CANCELLED', reason: 'CANCELLED_BY_CUSTOMER' }),
        refunds: seriesValue(text, 'checkout_compensations_total', { action: 'refund' }),
        releases: seriesValue(text, 'checkout_compensations_total', { action: 'release_stock' }),
        pending: seriesValue(text, 'checkout_sagas_pending'),
        oldestAge: seriesValue(text, 'checkout_oldest_pending_age_seconds'),
        pastDeadline: seriesValue(text, 'checkout_sagas_past_deadline'),
      };
    };
    const none = {
      started: 0,
      confirmed: undefined,
      cancelled: undefined,
      refunds: 0,
      releases: 0,
      pending: 0,
      oldestAge: 0,
      pastDeadline: 0,
    };
    expect(await funnel()).toEqual(none);

    const customer: Viewer = newCustomer();
    const kept = await orders.checkoutService.createOrder(customer, input(), { requestId: 'kept' });
    const cancelled = await orders.checkoutService.createOrder(customer, input(), { requestId: 'placed' });
    await orders.checkoutService.cancelOrder(customer, cancelled.id, { requestId: 'cancel' });
    expect(kept.status).toBe('CONFIRMED');

    expect(await funnel()).toEqual({ ...none, started: 2, confirmed: 2, cancelled: 1, refunds: 1, releases: 1 });
    // A scrape's reads are monitoring, not the service's work: they are not counted as its statements.
    expect(await orders.countStatements(() => readMetrics(ordersOrigin))).toBe(0);

    // A checkout whose driver died holds the backlog until recovery finishes it.
    await createInterruptions(orders.checkoutDeps).interruptCheckout(customer, input(), 'stock-reserved-recorded');
    clock.advance(30_000);
    expect(await funnel()).toMatchObject({ started: 3, pending: 1, oldestAge: 30, pastDeadline: 0 });
    clock.advance(TIMING.deadlineMs);
    expect(await funnel()).toMatchObject({ pending: 1, oldestAge: 30 + TIMING.deadlineMs / 1000, pastDeadline: 1 });
  });

  it('measures a cancellation of an old order from the cancellation, not from its checkout: no stuck checkout, no deadline passed', async () => {
    const backlog = async () => {
      const text = await readMetrics(ordersOrigin);
      return {
        pending: seriesValue(text, 'checkout_sagas_pending'),
        oldestAge: seriesValue(text, 'checkout_oldest_pending_age_seconds'),
        pastDeadline: seriesValue(text, 'checkout_sagas_past_deadline'),
      };
    };
    const customer = newCustomer();
    const checkoutAt = clock.now();
    const order = await orders.checkoutService.createOrder(customer, input(), { requestId: 'placed-long-ago' });
    expect(order.status).toBe('CONFIRMED');

    // A week later the customer cancels, and the cancellation's driver dies once it has recorded it.
    clock.advance(7 * 24 * 3_600_000);
    const cancelledAt = clock.now();
    await createInterruptions(orders.checkoutDeps).interruptCancellation(customer, order.id, 'compensation-recorded');
    expect(await createCheckoutDatabaseReads(orders.database).sagaOf(order.id)).toMatchObject({
      step: 'COMPENSATING',
      createdAt: checkoutAt,
      phaseStartedAt: cancelledAt,
    });

    clock.advance(30_000);
    expect(await backlog()).toEqual({ pending: 1, oldestAge: 30, pastDeadline: 0 });
    // A cancellation that stays stuck past the deadline still counts, from its own start.
    clock.advance(TIMING.deadlineMs);
    expect(await backlog()).toEqual({ pending: 1, oldestAge: 30 + TIMING.deadlineMs / 1000, pastDeadline: 1 });
  });

  it('runs a late-charge check as a new trace linked to the checkout, the provider called and the saga updated inside it', async () => {
    const customer = newCustomer();
    const order = await orders.checkoutService.createOrder(customer, input(), { requestId: 'placed' });
    const { span: cancelSpan } = await tracing.inRequestSpan(() =>
      orders.checkoutService.cancelOrder(customer, order.id, { requestId: 'cancel' }),
    );
    // As compensation leaves a saga whose payment outcome it could not learn: a check due now.
    await orders.database.transaction(async ({ db, tables }) => {
      await db
        .update(tables.checkoutSagas)
        .set({ lateChargeCheckAt: clock.now() })
        .where(eq(tables.checkoutSagas.orderId, order.id));
    });
    const payments = orders.checkoutDeps.payments;
    const findCharges = payments.findChargesForOrder.bind(payments);
    const spansActiveAtLookup: (string | undefined)[] = [];
    vi.spyOn(payments, 'findChargesForOrder').mockImplementation(async (orderId) => {
      spansActiveAtLookup.push(trace.getActiveSpan()?.spanContext().spanId);
      return findCharges(orderId);
    });
    tracing.forgetSpans();

    clock.advance(1);
    expect(await orders.recoverOnce()).toEqual({ driven: 0 });

    expect(await createCheckoutDatabaseReads(orders.database).sagaOf(order.id)).toMatchObject({
      step: 'CANCELLED',
      lateChargeCheckAt: null,
    });
    const spans = tracing.spans();
    const checks = spansNamed(spans, 'checkout.late_charge_check');
    expect(checks).toHaveLength(1);
    const check = checks[0]!;
    expect(check.parentSpanContext).toBeUndefined();
    expect(check.attributes).toEqual({ 'order.id': order.id });
    const cancelContext = cancelSpan.spanContext();
    expect(check.spanContext().traceId).not.toBe(cancelContext.traceId);
    expect(check.links.map((link) => [link.context.traceId, link.context.spanId])).toEqual([
      [cancelContext.traceId, cancelContext.spanId],
    ]);
    // The provider's lookup runs in the check's span, so its HTTP client span is the check's child.
    expect(spansActiveAtLookup).toEqual([check.spanContext().spanId]);
    const sagaUpdates = spans.filter(
      (span) => span.name === 'UPDATE checkout_sagas' && span.spanContext().traceId === check.spanContext().traceId,
    );
    expect(sagaUpdates.map((span) => span.parentSpanContext?.spanId)).toEqual([check.spanContext().spanId]);
  });
});
