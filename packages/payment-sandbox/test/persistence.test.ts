import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chargeBody, startSandbox } from './sandbox-api.js';

const HOUR_MS = 60 * 60 * 1000;

describe('what the sandbox keeps', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'payment-sandbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps charges, refunds and idempotency keys across a restart', async () => {
    const dataFile = join(dir, 'nested', 'payment-sandbox.sqlite');
    const key = randomUUID();
    const body = chargeBody('tok_visa');
    const before = await startSandbox({ dataFile });
    const charge = (await before.post('/v1/charges', body, { key })).body;
    await before.post('/v1/refunds', { charge: charge.id, amount: 999 }, { key: randomUUID() });
    await before.close();

    const after = await startSandbox({ dataFile });
    try {
      expect((await after.get(`/v1/charges/${charge.id}`)).body).toMatchObject({ amount_refunded: 999, refunded: false });
      const retry = await after.post('/v1/charges', body, { key });
      expect(retry.body.id).toBe(charge.id);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await after.chargesForOrder(body.metadata.orderId)).toHaveLength(1);
    } finally {
      await after.close();
    }
  });

  it('replays a key for 24 hours, then treats it as new', async () => {
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const api = await startSandbox({ now: () => clock });
    try {
      const key = randomUUID();
      const body = chargeBody('tok_visa');
      const first = await api.post('/v1/charges', body, { key });

      clock += 24 * HOUR_MS - 1;
      expect((await api.post('/v1/charges', body, { key })).body.id).toBe(first.body.id);

      clock += 2;
      const later = await api.post('/v1/charges', body, { key });
      expect(later.status).toBe(200);
      expect(later.body.id).not.toBe(first.body.id);
      expect(await api.chargesForOrder(body.metadata.orderId)).toHaveLength(2);
    } finally {
      await api.close();
    }
  });

  it('ends held requests on close without answering them', async () => {
    const api = await startSandbox();
    const key = randomUUID();
    const held = api.post('/v1/charges', chargeBody('tok_timeout'), { key });
    const outcome = held.then(
      () => 'answered',
      () => 'dropped',
    );
    await api.waitForLog('holding the request without answering', key);
    await api.close();

    expect(await outcome).toBe('dropped');
  });

  it('does not make a slow charge that a shutdown interrupted', async () => {
    const dataFile = join(dir, 'payment-sandbox.sqlite');
    const body = chargeBody('tok_chargeSucceedsSlowly');
    const api = await startSandbox({ dataFile, slowChargeMs: 10_000 });
    const key = randomUUID();
    const slow = api.post('/v1/charges', body, { key }).catch(() => 'dropped');
    await api.waitForLog('charging slowly', key);
    await api.close();
    expect(await slow).toBe('dropped');

    const after = await startSandbox({ dataFile });
    try {
      expect(await after.chargesForOrder(body.metadata.orderId)).toEqual([]);
    } finally {
      await after.close();
    }
  });
});
