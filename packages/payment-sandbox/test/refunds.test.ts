import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chargeBody, useSandbox } from './sandbox-api.js';

describe('refunds', () => {
  const api = useSandbox();

  const charge = async (amount = 1999) =>
    (await api.post('/v1/charges', chargeBody('tok_visa', { amount }), { key: randomUUID() })).body;
  const chargeNow = async (id: string) => (await api.get(`/v1/charges/${id}`)).body;

  it('refunds the whole charge by default', async () => {
    const { id } = await charge();
    const { status, body } = await api.post('/v1/refunds', { charge: id }, { key: randomUUID() });

    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^re_[A-Za-z0-9]{24}$/),
      object: 'refund',
      status: 'succeeded',
      charge: id,
      amount: 1999,
      currency: 'usd',
    });
    expect(await chargeNow(id)).toMatchObject({ amount_refunded: 1999, refunded: true });
  });

  it('refunds part of a charge, then the rest', async () => {
    const { id } = await charge();
    const part = await api.post('/v1/refunds', { charge: id, amount: 500 }, { key: randomUUID() });
    expect(part.body.amount).toBe(500);
    expect(await chargeNow(id)).toMatchObject({ amount_refunded: 500, refunded: false });

    const rest = await api.post('/v1/refunds', { charge: id }, { key: randomUUID() });
    expect(rest.body.amount).toBe(1499);
    expect(await chargeNow(id)).toMatchObject({ amount_refunded: 1999, refunded: true });
  });

  it('refuses to refund more than remains, and refunds nothing', async () => {
    const { id } = await charge();
    await api.post('/v1/refunds', { charge: id, amount: 1000 }, { key: randomUUID() });
    const { status, body } = await api.post('/v1/refunds', { charge: id, amount: 1000 }, { key: randomUUID() });

    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'amount_too_large', param: 'amount' });
    expect((await chargeNow(id)).amount_refunded).toBe(1000);
  });

  it('refuses to refund a fully refunded charge again', async () => {
    const { id } = await charge();
    await api.post('/v1/refunds', { charge: id }, { key: randomUUID() });
    const { status, body } = await api.post('/v1/refunds', { charge: id }, { key: randomUUID() });

    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'charge_already_refunded' });
  });

  it('refuses to refund a declined charge', async () => {
    const declined = await api.post('/v1/charges', chargeBody('tok_chargeDeclined'), { key: randomUUID() });
    const { status, body } = await api.post('/v1/refunds', { charge: declined.body.error.charge }, { key: randomUUID() });

    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'charge_not_refundable' });
  });

  it("answers 404 resource_missing for a charge it doesn't know", async () => {
    const { status, body } = await api.post('/v1/refunds', { charge: 'ch_doesNotExist' }, { key: randomUUID() });

    expect(status).toBe(404);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'charge' });
  });

  it('answers retries with the same key with the first refund, sequential or concurrent, and refunds once', async () => {
    const { id } = await charge();
    const key = randomUUID();
    const concurrent = await Promise.all(
      Array.from({ length: 3 }, () => api.post('/v1/refunds', { charge: id, amount: 300 }, { key })),
    );
    const sequential = await api.post('/v1/refunds', { charge: id, amount: 300 }, { key });

    const answers = [...concurrent, sequential];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect((await chargeNow(id)).amount_refunded).toBe(300);
  });

  it('requires an Idempotency-Key header', async () => {
    const { id } = await charge();
    const { status, body } = await api.post('/v1/refunds', { charge: id });

    expect(status).toBe(400);
    expect(body.error.code).toBe('idempotency_key_missing');
    expect((await chargeNow(id)).amount_refunded).toBe(0);
  });
});
