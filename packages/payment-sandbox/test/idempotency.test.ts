import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chargeBody, useSandbox } from './sandbox-api.js';

describe('idempotency keys', () => {
  const api = useSandbox();

  it('answers five sequential retries with the first charge and charges once', async () => {
    const key = randomUUID();
    const body = chargeBody('tok_visa');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await api.post('/v1/charges', body, { key }));

    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(answers.map((answer) => answer.headers.get('idempotent-replayed'))).toEqual([null, 'true', 'true', 'true', 'true']);
    expect(await api.chargesForOrder(body.metadata.orderId)).toHaveLength(1);
  });

  it('answers five concurrent requests with one charge', async () => {
    const key = randomUUID();
    const body = chargeBody('tok_visa');
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.post('/v1/charges', body, { key })));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(await api.chargesForOrder(body.metadata.orderId)).toHaveLength(1);
  });

  it('makes concurrent retries wait for the request in flight and replay its answer', async () => {
    const key = randomUUID();
    const body = chargeBody('tok_chargeSucceedsSlowly');
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.post('/v1/charges', body, { key })));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(await api.chargesForOrder(body.metadata.orderId)).toHaveLength(1);
  });

  it('replays a decline with the same failed charge', async () => {
    const key = randomUUID();
    const body = chargeBody('tok_chargeDeclined');
    const first = await api.post('/v1/charges', body, { key });
    const retry = await api.post('/v1/charges', body, { key });

    expect([first.status, retry.status]).toEqual([402, 402]);
    expect(retry.body).toEqual(first.body);
    expect(await api.chargesForOrder(body.metadata.orderId)).toHaveLength(1);
  });

  it('treats the same parameters in another order or currency case as the same request', async () => {
    const key = randomUUID();
    const orderId = randomUUID();
    const first = await api.post(
      '/v1/charges',
      { amount: 500, currency: 'usd', source: 'tok_visa', metadata: { orderId } },
      { key },
    );
    const retry = await api.post(
      '/v1/charges',
      { metadata: { orderId }, source: 'tok_visa', currency: 'USD', amount: 500 },
      { key },
    );

    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
  });

  it('refuses the same key with other parameters with idempotency_error and charges nothing more', async () => {
    const key = randomUUID();
    const body = chargeBody('tok_visa');
    await api.post('/v1/charges', body, { key });
    const reused = await api.post('/v1/charges', { ...body, amount: 2999 }, { key });

    expect(reused.status).toBe(400);
    expect(reused.body.error).toMatchObject({ type: 'idempotency_error', message: expect.stringContaining(key) });
    expect(await api.chargesForOrder(body.metadata.orderId)).toHaveLength(1);
  });

  it('refuses another request with the key of one still in flight', async () => {
    const key = randomUUID();
    const body = chargeBody('tok_chargeSucceedsSlowly');
    const first = api.post('/v1/charges', body, { key });
    await api.waitForLog('charging slowly', key);
    const reused = await api.post('/v1/charges', { ...body, amount: 1 }, { key });

    expect(reused.status).toBe(400);
    expect(reused.body.error.type).toBe('idempotency_error');
    expect((await first).status).toBe(200);
    expect(await api.chargesForOrder(body.metadata.orderId)).toHaveLength(1);
  });

  it('refuses a charge key reused for a refund', async () => {
    const key = randomUUID();
    const charge = await api.post('/v1/charges', chargeBody('tok_visa'), { key });
    const refund = await api.post('/v1/refunds', { charge: charge.body.id }, { key });

    expect(refund.status).toBe(400);
    expect(refund.body.error.type).toBe('idempotency_error');
    expect((await api.get(`/v1/charges/${charge.body.id}`)).body.amount_refunded).toBe(0);
  });

  it('stores no 500, so a retry with the key runs again', async () => {
    const key = randomUUID();
    const body = chargeBody('tok_providerError');
    const failed = await api.post('/v1/charges', body, { key });
    const again = await api.post('/v1/charges', body, { key });
    const succeeded = await api.post('/v1/charges', { ...body, source: 'tok_visa' }, { key });

    expect([failed.status, again.status, succeeded.status]).toEqual([500, 500, 200]);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(await api.chargesForOrder(body.metadata.orderId)).toHaveLength(1);
  });

  it('stores no refusal of malformed parameters, so the corrected request can use the key', async () => {
    const key = randomUUID();
    const body = chargeBody('tok_visa');
    const refused = await api.post('/v1/charges', { ...body, amount: -5 }, { key });
    const accepted = await api.post('/v1/charges', body, { key });

    expect([refused.status, accepted.status]).toEqual([400, 200]);
  });

  it('runs a tok_timeout retry again after the client gave up: nothing was stored or charged', async () => {
    const key = randomUUID();
    const body = chargeBody('tok_timeout');
    await expect(api.post('/v1/charges', body, { key, signal: AbortSignal.timeout(200) })).rejects.toThrow();
    await expect(api.post('/v1/charges', body, { key, signal: AbortSignal.timeout(200) })).rejects.toThrow();
    // The sandbox lets go of the key when it sees the connection close, a moment after the client aborts.
    await api.waitForLog('stopped holding the request; nothing charged', key, 2);
    const succeeded = await api.post('/v1/charges', { ...body, source: 'tok_visa' }, { key });

    expect(succeeded.status).toBe(200);
    expect(await api.chargesForOrder(body.metadata.orderId)).toHaveLength(1);
  });

  it('lets go of a tok_timeout key when a retry that waited for it was abandoned too', async () => {
    const key = randomUUID();
    const body = chargeBody('tok_timeout');
    const first = api.post('/v1/charges', body, { key, signal: AbortSignal.timeout(400) });
    await api.waitForLog('holding the request without answering', key);
    // This retry waits behind the first and its client gives up first.
    const retry = api.post('/v1/charges', body, { key, signal: AbortSignal.timeout(200) });
    await Promise.all([expect(first).rejects.toThrow(), expect(retry).rejects.toThrow()]);
    await api.waitForLog('stopped holding the request; nothing charged', key, 2);

    expect((await api.post('/v1/charges', { ...body, source: 'tok_visa' }, { key })).status).toBe(200);
  });
});
