import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chargeBody, useSandbox } from './sandbox-api.js';

describe('charges', () => {
  const api = useSandbox();

  it('charges tok_visa and answers the succeeded charge with its metadata', async () => {
    const body = chargeBody('tok_visa', { currency: 'USD', description: 'Order 1' });
    const { status, body: charge } = await api.post('/v1/charges', body, { key: randomUUID() });

    expect(status).toBe(200);
    expect(charge).toMatchObject({
      id: expect.stringMatching(/^ch_[A-Za-z0-9]{24}$/),
      object: 'charge',
      status: 'succeeded',
      amount: 1999,
      currency: 'usd',
      amount_refunded: 0,
      refunded: false,
      paid: true,
      description: 'Order 1',
      metadata: body.metadata,
    });
    expect((await api.get(`/v1/charges/${charge.id}`)).body).toEqual(charge);
  });

  it('declines tok_chargeDeclined with 402 and records the failed charge', async () => {
    const body = chargeBody('tok_chargeDeclined');
    const { status, body: answer } = await api.post('/v1/charges', body, { key: randomUUID() });

    expect(status).toBe(402);
    expect(answer.error).toMatchObject({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      charge: expect.stringMatching(/^ch_/),
      message: expect.any(String),
    });
    const charge = (await api.get(`/v1/charges/${answer.error.charge}`)).body;
    expect(charge).toMatchObject({ status: 'failed', paid: false, failure_code: 'card_declined', amount: 1999 });
    expect(await api.chargesForOrder(body.metadata.orderId)).toHaveLength(1);
  });

  it('gives the decline reason of tok_chargeDeclinedInsufficientFunds', async () => {
    const { status, body } = await api.post('/v1/charges', chargeBody('tok_chargeDeclinedInsufficientFunds'), {
      key: randomUUID(),
    });
    expect(status).toBe(402);
    expect(body.error).toMatchObject({ code: 'card_declined', decline_code: 'insufficient_funds' });
  });

  it('holds a tok_timeout request without answering and charges nothing', async () => {
    const body = chargeBody('tok_timeout');
    const attempt = api.post('/v1/charges', body, { key: randomUUID(), signal: AbortSignal.timeout(300) });

    await expect(attempt).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(await api.chargesForOrder(body.metadata.orderId)).toEqual([]);
  });

  it('answers tok_providerError with 500 api_error and charges nothing', async () => {
    const body = chargeBody('tok_providerError');
    const { status, body: answer } = await api.post('/v1/charges', body, { key: randomUUID() });

    expect(status).toBe(500);
    expect(answer.error).toMatchObject({ type: 'api_error', message: expect.any(String) });
    expect(await api.chargesForOrder(body.metadata.orderId)).toEqual([]);
  });

  it('charges tok_chargeSucceedsSlowly, later', async () => {
    const body = chargeBody('tok_chargeSucceedsSlowly');
    const { status, body: charge } = await api.post('/v1/charges', body, { key: randomUUID() });

    expect(status).toBe(200);
    expect(charge).toMatchObject({ status: 'succeeded', metadata: body.metadata });
  });

  it('refuses an unknown token as an invalid source and charges nothing', async () => {
    const body = chargeBody('tok_unknown');
    const { status, body: answer } = await api.post('/v1/charges', body, { key: randomUUID() });

    expect(status).toBe(400);
    expect(answer.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_source', param: 'source' });
    expect(await api.chargesForOrder(body.metadata.orderId)).toEqual([]);
  });

  it.each([
    [{ amount: 0 }, 'parameter_invalid', 'amount'],
    [{ amount: 19.99 }, 'parameter_invalid', 'amount'],
    [{ amount: '1999' }, 'parameter_invalid', 'amount'],
    [{ amount: undefined }, 'parameter_missing', 'amount'],
    [{ currency: 'usdollars' }, 'parameter_invalid', 'currency'],
    [{ currency: 'xyz' }, 'parameter_invalid', 'currency'],
    [{ source: undefined }, 'parameter_missing', 'source'],
    [{ metadata: { orderId: 7 } }, 'parameter_invalid', 'metadata[orderId]'],
    [{ customer: 'cus_1' }, 'parameter_unknown', 'customer'],
  ])('refuses %j with %s naming %s', async (overrides, code, param) => {
    const { status, body } = await api.post('/v1/charges', chargeBody('tok_visa', overrides), { key: randomUUID() });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code, param });
  });

  it('requires an Idempotency-Key header', async () => {
    const { status, body } = await api.post('/v1/charges', chargeBody('tok_visa'));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'idempotency_key_missing' });
  });

  it("answers 404 resource_missing for a charge id it doesn't know", async () => {
    const { status, body } = await api.get('/v1/charges/ch_doesNotExist');
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'id' });
  });

  describe('listing', () => {
    it("lists an order's charges newest first, failed ones included, and nobody else's", async () => {
      const orderId = randomUUID();
      const declined = await api.post('/v1/charges', chargeBody('tok_chargeDeclined', { metadata: { orderId } }), {
        key: randomUUID(),
      });
      const succeeded = await api.post('/v1/charges', chargeBody('tok_visa', { metadata: { orderId } }), { key: randomUUID() });
      await api.post('/v1/charges', chargeBody('tok_visa'), { key: randomUUID() });

      const { status, body } = await api.get(`/v1/charges?${new URLSearchParams({ 'metadata[orderId]': orderId })}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ object: 'list', has_more: false });
      expect(body.data.map((charge: { id: string; status: string }) => [charge.id, charge.status])).toEqual([
        [succeeded.body.id, 'succeeded'],
        [declined.body.error.charge, 'failed'],
      ]);
    });

    it('pages with limit and says when there is more', async () => {
      const orderId = randomUUID();
      for (let i = 0; i < 3; i++) {
        await api.post('/v1/charges', chargeBody('tok_visa', { metadata: { orderId } }), { key: randomUUID() });
      }
      const { body } = await api.get(`/v1/charges?${new URLSearchParams({ 'metadata[orderId]': orderId, limit: '2' })}`);
      expect(body.data).toHaveLength(2);
      expect(body.has_more).toBe(true);
    });

    it('refuses a filter it does not know rather than ignoring it', async () => {
      const { status, body } = await api.get(`/v1/charges?${new URLSearchParams({ 'metadata[order_id]': 'x' })}`);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'parameter_unknown', param: 'metadata[order_id]' });
    });
  });

  describe('authentication', () => {
    it('refuses a request without a secret key with 401 authentication_error', async () => {
      const { status, headers, body } = await api.post('/v1/charges', chargeBody('tok_visa'), {
        key: randomUUID(),
        headers: { authorization: '' },
      });
      expect(status).toBe(401);
      expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(body.error).toMatchObject({ type: 'authentication_error', message: expect.any(String) });
    });

    it('refuses a wrong secret key and charges nothing', async () => {
      const body = chargeBody('tok_visa');
      const answer = await api.post('/v1/charges', body, {
        key: randomUUID(),
        headers: { authorization: 'Bearer sk_test_wrong' },
      });
      expect(answer.status).toBe(401);
      expect(answer.body.error.type).toBe('authentication_error');
      expect(await api.chargesForOrder(body.metadata.orderId)).toEqual([]);
    });

    it('refuses reads without the secret key too', async () => {
      expect((await api.get('/v1/charges', { headers: { authorization: 'Bearer sk_test_wrong' } })).status).toBe(401);
    });

    it('serves /health without a key', async () => {
      const response = await fetch(`${api.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', service: 'payment-sandbox' });
    });
  });
});
