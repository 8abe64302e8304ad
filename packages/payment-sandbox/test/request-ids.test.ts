import { describe, expect, it } from 'vitest';
import { chargeBody, useSandbox } from './sandbox-api.js';

// The orders service sends the id of the checkout it works for as x-request-id: the sandbox's log
// lines carry it, so one id finds a checkout in every service's log.

describe('request ids', () => {
  const api = useSandbox();
  const linesOf = (id: string) => api.logLines().filter((line) => line.req?.id === id);

  it("logs (the access line and the route's own) and echoes the caller's x-request-id when it is well-formed", async () => {
    const requestId = `checkout-${Date.now()}:1`;
    const answer = await api.post('/v1/charges', chargeBody('tok_visa'), {
      key: `key-${requestId}`,
      headers: { 'x-request-id': requestId },
    });

    expect(answer.status).toBe(200);
    expect(answer.headers.get('request-id')).toBe(requestId);
    await expect
      .poll(() => linesOf(requestId).map((line) => line.msg))
      .toEqual(expect.arrayContaining(['charge succeeded', 'request completed']));
  });

  it('makes a req_ id of its own when the caller sends none or one that is not well-formed', async () => {
    const withNone = await api.get('/v1/charges?limit=1');
    const withBad = await api.get('/v1/charges?limit=1', { headers: { 'x-request-id': 'two words' } });
    const withLong = await api.get('/v1/charges?limit=1', { headers: { 'x-request-id': 'a'.repeat(129) } });

    for (const answer of [withNone, withBad, withLong]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('request-id')).toMatch(/^req_[0-9a-f]{24}$/);
    }
    expect(linesOf('two words')).toEqual([]);
  });
});
