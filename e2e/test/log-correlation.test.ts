import { randomUUID } from 'node:crypto';
import { DEMO_CUSTOMER_EMAIL } from '@supergraph/demo-data';
import { testDialects } from '@supergraph/server-kit/testing';
import { describe, expect, it } from 'vitest';
import { CheckoutDocument, LoginDocument, LogoutDocument, RefreshTokenDocument } from '../../operations/__generated__/graphql.js';
import { firstError, useCheckoutStack } from './support/checkout.js';
import { DEMO_PASSWORD } from './support/example-operations.js';
import { createClientTraceContext, signIn, traceLinkedTo, useOtlpReceiver } from './support/otlp-receiver.js';
import { requestIdOf, type LogLine, type ServiceProcess } from './support/processes.js';
import type { Stack } from './support/stack.js';

// Logs joined to traces (issue 13): one checkout's request id and trace id in the log lines of every
// process it went through, and no secret, token or password hash in any log line of any of them.

const seedArgs = ['--customers', '4', '--products', '20', '--orders', '0'];
const STOCKED = { id: 'e2e-logs-stocked', stock: 100, priceMinor: 990 };
const WRONG_PASSWORD = 'not-the-password-e2e-2026';
/** The shapes of a password hash: scrypt's PHC string (what users stores), and argon2's and bcrypt's, should that change. */
const PASSWORD_HASH = /\$scrypt\$|\$argon2(id|i|d)?\$|\$2[aby]\$\d\d\$/;

/** The request id a line is about: an access log line's req.id, or the reqId of a line the checkout saga writes. */
function requestIdOfLine(line: LogLine): string | undefined {
  return requestIdOf(line) ?? (typeof line.reqId === 'string' ? line.reqId : undefined);
}

function processesOf(stack: Stack): ServiceProcess[] {
  return [stack.router, ...Object.values(stack.subgraphs), stack.paymentSandbox];
}

describe.each(testDialects())('log lines joined to traces, every subgraph on %s', (dialect) => {
  const otlp = useOtlpReceiver('http/protobuf');
  const suite = useCheckoutStack({ dialect, seedArgs, products: [STOCKED] });
  /** Every token the suite was given, none of which may be logged. */
  const tokens: Record<string, string> = {};

  it('writes the request id and the trace id of one checkout in the log lines of router, orders, products and the payment sandbox', async () => {
    const { stack } = suite;
    const { login } = await signIn(stack.query, DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD);
    tokens['the access token'] = login.accessToken;
    tokens['the refresh token'] = login.refreshToken;
    const requestId = `e2e-logs-${randomUUID()}`;
    const client = createClientTraceContext();

    const { body } = await stack.query(
      CheckoutDocument,
      { items: [{ productId: STOCKED.id, quantity: 1 }], idempotencyKey: randomUUID(), paymentToken: 'tok_visa' },
      { authorization: `Bearer ${login.accessToken}`, 'x-request-id': requestId, traceparent: client.traceparent },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.createOrder.status).toBe('CONFIRMED');

    // The trace the router started for the request, as the receiver got it: the id every line must carry.
    const [routerSpan] = await otlp.receiver.waitForTrace('the checkout trace', traceLinkedTo(client), (spans) =>
      spans.some((span) => span.service === 'router' && span.kind === 'SERVER'),
    );
    const traceId = routerSpan!.traceId;

    const isOfRequest = (line: LogLine) => requestIdOf(line) === requestId;
    const processes = { router: stack.router, orders: stack.subgraphs.orders, products: stack.subgraphs.products };
    for (const [name, service] of Object.entries({ ...processes, 'payment-sandbox': stack.paymentSandbox })) {
      // Access log lines are written once a response has finished, which may be after the router has its answer.
      const line = await service.waitForLog(`the access log line of ${requestId}`, isOfRequest, 30_000);
      expect(line, `${name}'s access log line`).toMatchObject({
        trace_id: traceId,
        span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
    }
    // The saga's own lines (each step it runs) carry the request id as reqId.
    const sagaLines = stack.subgraphs.orders.logs.filter((line) => line.reqId === requestId);
    expect(sagaLines.map((line) => line.msg)).toContain('checkout started');

    // Every line of the request, in every process it went through (users has no part in a checkout),
    // carries both ids, and every line with its trace id is a line of the request.
    for (const service of [stack.router, stack.subgraphs.orders, stack.subgraphs.products, stack.paymentSandbox]) {
      const ofRequest = service.logs.filter((line) => requestIdOfLine(line) === requestId);
      expect(ofRequest.length, `${service.name} lines of ${requestId}`).toBeGreaterThan(0);
      for (const line of ofRequest) {
        expect(line, `a ${service.name} line of ${requestId}`).toMatchObject({ trace_id: traceId, span_id: expect.any(String) });
      }
      const ofTrace = service.logs.filter((line) => line.trace_id === traceId);
      expect(ofTrace.map(requestIdOfLine), `${service.name} lines of trace ${traceId}`).toEqual(ofTrace.map(() => requestId));
    }
  });

  it('logs no secret: neither a router or inventory secret, nor the sandbox key, a token, a password or a password hash', async () => {
    const { stack } = suite;
    // Sign-ins that fail and succeed, a refresh, a sign-out, and a request with a forged token: the
    // paths where a password or a token might be logged.
    const wrong = await stack.query(LoginDocument, { email: DEMO_CUSTOMER_EMAIL, password: WRONG_PASSWORD });
    expect(['UNAUTHENTICATED', 'OVERLOADED']).toContain(firstError(wrong.body).extensions?.code);
    const { login } = await signIn(stack.query, DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD);
    const refreshed = await stack.query(RefreshTokenDocument, { refreshToken: login.refreshToken });
    expect(refreshed.body.errors).toBeUndefined();
    const pair = refreshed.body.data!.refreshToken;
    const logout = await stack.query(
      LogoutDocument,
      { refreshToken: pair.refreshToken },
      { authorization: `Bearer ${pair.accessToken}` },
    );
    expect(logout.body.errors).toBeUndefined();
    const forged = `${pair.accessToken.slice(0, -4)}AAAA`;
    const forgedRequestId = `e2e-forged-${randomUUID()}`;
    const refused = await stack.query(
      '{ me { id } }',
      {},
      { authorization: `Bearer ${forged}`, 'x-request-id': forgedRequestId },
    );
    expect(refused.body.errors).toBeDefined();
    // Access log lines are written once a response has finished: this one is the last.
    await stack.router.waitForLog('the forged request', (line) => requestIdOf(line) === forgedRequestId, 30_000);

    const secrets: Record<string, string> = {
      ...tokens,
      'the second access token': login.accessToken,
      'the second refresh token': login.refreshToken,
      'the refreshed access token': pair.accessToken,
      'the refreshed refresh token': pair.refreshToken,
      'the forged token': forged,
      'the password': DEMO_PASSWORD,
      'a wrong password': WRONG_PASSWORD,
      "users' router secret": stack.secrets.users,
      "products' router secret": stack.secrets.products,
      "orders' router secret": stack.secrets.orders,
      'the inventory secret': stack.env('products').PRODUCTS_INVENTORY_SECRET!,
      'the payment sandbox key': stack.env('paymentSandbox').PAYMENT_SANDBOX_SECRET_KEY!,
      // A line of the signing key's PEM body, which no log line should hold any part of.
      'the signing key': stack.keys.privateKeyPem.split('\n')[1]!,
    };
    for (const service of processesOf(stack)) {
      expect(service.logs.length, `${service.name} log lines`).toBeGreaterThan(0);
      const text = service.logs.map((line) => JSON.stringify(line));
      for (const [what, secret] of Object.entries(secrets)) {
        expect(
          text.filter((line) => line.includes(secret)),
          `${service.name} lines with ${what}`,
        ).toEqual([]);
      }
      expect(
        text.filter((line) => PASSWORD_HASH.test(line)),
        `${service.name} lines with a password hash`,
      ).toEqual([]);
    }
  });
});
