import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentSandbox, type PaymentSandbox } from '@supergraph/payment-sandbox';
import type { ChargeRequest, PaymentProvider } from '../src/clients/payment-provider.js';
import { createSandboxPaymentProvider } from '../src/clients/sandbox-payment-provider.js';

const SECRET_KEY = 'sk_test_orders_payments';

describe('the sandbox payment provider', () => {
  let sandbox: PaymentSandbox;
  let baseUrl: string;
  let payments: PaymentProvider;
  beforeAll(async () => {
    sandbox = createPaymentSandbox({
      secretKey: SECRET_KEY,
      dataFile: ':memory:',
      logger: createLogger({ service: 'payment-sandbox', level: 'silent' }),
      slowChargeMs: 500,
    });
    baseUrl = await sandbox.listen(0, '127.0.0.1');
    payments = createSandboxPaymentProvider({ baseUrl, secretKey: SECRET_KEY, timeoutMs: 5_000 });
  });
  afterAll(() => sandbox?.close());

  const chargeRequest = (paymentToken: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest => {
    const orderId = randomUUID();
    return {
      orderId,
      amountMinor: 4599,
      currency: 'USD',
      paymentToken,
      idempotencyKey: `order:${orderId}:charge`,
      ...overrides,
    };
  };
  const chargesFor = async (orderId: string) => {
    const result = await payments.findChargesForOrder(orderId);
    if (result.status !== 'succeeded') throw new Error(`listing failed: ${JSON.stringify(result)}`);
    return result.charges;
  };

  describe('charge', () => {
    it('charges tok_visa and returns the charge', async () => {
      const request = chargeRequest('tok_visa', { description: 'Order 1' });
      const result = await payments.charge(request);

      expect(result).toEqual({
        status: 'succeeded',
        charge: {
          id: expect.stringMatching(/^ch_/),
          orderId: request.orderId,
          amountMinor: 4599,
          currency: 'USD',
          status: 'succeeded',
          amountRefundedMinor: 0,
          isRefunded: false,
          createdAt: expect.any(Date),
        },
      });
    });

    it('reports tok_chargeDeclined as PAYMENT_DECLINED with the reason, final', async () => {
      const request = chargeRequest('tok_chargeDeclined');
      const result = await payments.charge(request);

      expect(result).toEqual({
        status: 'declined',
        code: 'PAYMENT_DECLINED',
        isRetryable: false,
        declineCode: 'generic_decline',
        message: expect.any(String),
        chargeId: expect.stringMatching(/^ch_/),
      });
      expect((await chargesFor(request.orderId)).map((charge) => charge.status)).toEqual(['failed']);
    });

    it('carries the decline reason of tok_chargeDeclinedInsufficientFunds', async () => {
      const result = await payments.charge(chargeRequest('tok_chargeDeclinedInsufficientFunds'));
      expect(result).toMatchObject({ status: 'declined', declineCode: 'insufficient_funds' });
    });

    it('reports a provider that does not answer in time as retryable, outcome unknown', async () => {
      const impatient = createSandboxPaymentProvider({ baseUrl, secretKey: SECRET_KEY, timeoutMs: 200 });
      const request = chargeRequest('tok_timeout');
      const result = await impatient.charge(request);

      expect(result).toEqual({ status: 'unavailable', isRetryable: true, reason: 'timeout', message: expect.any(String) });
      expect(await chargesFor(request.orderId)).toEqual([]);
    });

    it('reports a provider error as retryable', async () => {
      const request = chargeRequest('tok_providerError');
      const result = await payments.charge(request);

      expect(result).toMatchObject({ status: 'unavailable', isRetryable: true, reason: 'provider_error' });
      expect(await chargesFor(request.orderId)).toEqual([]);
    });

    it('reports a provider it cannot connect to as retryable', async () => {
      const closedPort = await findClosedPort();
      const offline = createSandboxPaymentProvider({ baseUrl: `http://127.0.0.1:${closedPort}`, secretKey: SECRET_KEY });
      const result = await offline.charge(chargeRequest('tok_visa'));

      expect(result).toMatchObject({ status: 'unavailable', isRetryable: true, reason: 'unreachable' });
    });

    it('finds the single charge a timed-out attempt made when retried with the same key', async () => {
      const impatient = createSandboxPaymentProvider({ baseUrl, secretKey: SECRET_KEY, timeoutMs: 100 });
      const request = chargeRequest('tok_chargeSucceedsSlowly');

      const first = await impatient.charge(request);
      expect(first).toMatchObject({ status: 'unavailable', reason: 'timeout' });
      // The sandbox is still charging; the retry waits for that attempt and answers with its charge.
      const retry = await payments.charge(request);
      const again = await payments.charge(request);

      expect(retry).toMatchObject({ status: 'succeeded', charge: { orderId: request.orderId, status: 'succeeded' } });
      const chargeId = retry.status === 'succeeded' ? retry.charge.id : undefined;
      expect(again).toMatchObject({ status: 'succeeded', charge: { id: chargeId } });
      expect((await chargesFor(request.orderId)).map((charge) => charge.id)).toEqual([chargeId]);
    });

    it('charges once for concurrent retries with the same key', async () => {
      const request = chargeRequest('tok_visa');
      const results = await Promise.all(Array.from({ length: 5 }, () => payments.charge(request)));

      const ids = results.map((result) => (result.status === 'succeeded' ? result.charge.id : result.status));
      expect(new Set(ids).size).toBe(1);
      expect(await chargesFor(request.orderId)).toHaveLength(1);
    });

    it('refuses an unknown token as the customer’s invalid payment token', async () => {
      const result = await payments.charge(chargeRequest('tok_madeUp'));
      expect(result).toMatchObject({ status: 'invalid', isRetryable: false, reason: 'invalid_payment_token', param: 'source' });
    });

    it('refuses a key reused for another amount', async () => {
      const request = chargeRequest('tok_visa');
      await payments.charge(request);
      const result = await payments.charge({ ...request, amountMinor: 1 });

      expect(result).toMatchObject({ status: 'invalid', reason: 'idempotency_key_reused' });
      expect(await chargesFor(request.orderId)).toHaveLength(1);
    });

    it('refuses an amount below one minor unit as an invalid request naming it', async () => {
      const result = await payments.charge(chargeRequest('tok_visa', { amountMinor: 0 }));
      expect(result).toMatchObject({ status: 'invalid', reason: 'invalid_request', param: 'amount' });
    });

    it('reports a wrong secret key as an authentication failure, not retryable', async () => {
      const misconfigured = createSandboxPaymentProvider({ baseUrl, secretKey: 'sk_test_wrong' });
      const request = chargeRequest('tok_visa');

      expect(await misconfigured.charge(request)).toMatchObject({
        status: 'invalid',
        isRetryable: false,
        reason: 'authentication_failed',
      });
      expect(await misconfigured.findChargesForOrder(request.orderId)).toMatchObject({ reason: 'authentication_failed' });
      expect(await chargesFor(request.orderId)).toEqual([]);
    });
  });

  describe('refund', () => {
    const charged = async (paymentToken = 'tok_visa') => {
      const request = chargeRequest(paymentToken);
      const result = await payments.charge(request);
      if (result.status !== 'succeeded') throw new Error(`charge failed: ${JSON.stringify(result)}`);
      return { orderId: request.orderId, chargeId: result.charge.id };
    };

    it('refunds the whole charge, once for any number of retries with the key', async () => {
      const { orderId, chargeId } = await charged();
      const idempotencyKey = `order:${orderId}:refund`;
      const first = await payments.refund({ chargeId, idempotencyKey });
      const retry = await payments.refund({ chargeId, idempotencyKey });

      expect(first).toEqual({
        status: 'succeeded',
        refund: { id: expect.stringMatching(/^re_/), chargeId, amountMinor: 4599, currency: 'USD' },
      });
      expect(retry).toEqual(first);
      expect(await chargesFor(orderId)).toMatchObject([{ amountRefundedMinor: 4599, isRefunded: true }]);
    });

    it('says a charge is already refunded when asked again with another key', async () => {
      const { orderId, chargeId } = await charged();
      await payments.refund({ chargeId, idempotencyKey: `order:${orderId}:refund` });
      const result = await payments.refund({ chargeId, idempotencyKey: `order:${orderId}:refund:2` });

      expect(result).toMatchObject({ status: 'invalid', reason: 'charge_already_refunded' });
    });

    it('refunds part, and refuses more than remains', async () => {
      const { orderId, chargeId } = await charged();
      const part = await payments.refund({ chargeId, amountMinor: 4000, idempotencyKey: `order:${orderId}:refund:1` });
      const over = await payments.refund({ chargeId, amountMinor: 600, idempotencyKey: `order:${orderId}:refund:2` });

      expect(part).toMatchObject({ status: 'succeeded', refund: { amountMinor: 4000 } });
      expect(over).toMatchObject({ status: 'invalid', reason: 'refund_exceeds_charge', param: 'amount' });
      expect(await chargesFor(orderId)).toMatchObject([{ amountRefundedMinor: 4000, isRefunded: false }]);
    });

    it('reports an unknown charge as not found', async () => {
      const result = await payments.refund({ chargeId: 'ch_doesNotExist', idempotencyKey: randomUUID() });
      expect(result).toMatchObject({ status: 'invalid', reason: 'charge_not_found', param: 'charge' });
    });

    it('reports a declined charge as not refundable', async () => {
      const declined = await payments.charge(chargeRequest('tok_chargeDeclined'));
      const chargeId = declined.status === 'declined' ? declined.chargeId : null;
      const result = await payments.refund({ chargeId: chargeId!, idempotencyKey: randomUUID() });

      expect(result).toMatchObject({ status: 'invalid', reason: 'charge_not_refundable' });
    });
  });

  describe('findChargesForOrder', () => {
    it("lists the order's charges newest first and no other order's", async () => {
      const orderId = randomUUID();
      const declined = await payments.charge(chargeRequest('tok_chargeDeclined', { orderId, idempotencyKey: randomUUID() }));
      const succeeded = await payments.charge(chargeRequest('tok_visa', { orderId, idempotencyKey: randomUUID() }));
      await payments.charge(chargeRequest('tok_visa'));

      const charges = await chargesFor(orderId);
      expect(charges.map((charge) => [charge.id, charge.status, charge.orderId])).toEqual([
        [succeeded.status === 'succeeded' ? succeeded.charge.id : null, 'succeeded', orderId],
        [declined.status === 'declined' ? declined.chargeId : null, 'failed', orderId],
      ]);
    });

    it('reports an unreachable provider as retryable', async () => {
      const offline = createSandboxPaymentProvider({
        baseUrl: `http://127.0.0.1:${await findClosedPort()}`,
        secretKey: SECRET_KEY,
      });
      expect(await offline.findChargesForOrder(randomUUID())).toMatchObject({ status: 'unavailable', reason: 'unreachable' });
    });
  });
});

/** A port nothing listens on: bound, then released. */
async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
