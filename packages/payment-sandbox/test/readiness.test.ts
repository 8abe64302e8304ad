import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startSandbox } from './sandbox-api.js';

// A load balancer polling /ready stops sending charges as soon as the sandbox begins to stop.

describe('GET /ready', () => {
  it('answers 200 while the sandbox serves and 503 from the moment it begins to stop', async () => {
    const api = await startSandbox();
    const ready = await fetch(`${api.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', service: 'payment-sandbox' });

    const closing = api.close();
    // The sandbox's own server takes no new connection now; the same app behind another one shows its state.
    const probe = http.createServer(api.sandbox.app).listen(0, '127.0.0.1');
    await once(probe, 'listening');
    try {
      const stopping = await fetch(`http://127.0.0.1:${(probe.address() as AddressInfo).port}/ready`);
      expect(stopping.status).toBe(503);
      expect(await stopping.json()).toEqual({ status: 'stopping', service: 'payment-sandbox' });
    } finally {
      probe.closeAllConnections();
      probe.close();
      await closing;
    }
  });
});
