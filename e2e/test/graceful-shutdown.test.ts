import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdRequest, type HeldRequest } from './support/held-request.js';
import type { ServiceProcess } from './support/processes.js';
import { startStack, type ServiceName, type Stack, type SubgraphName } from './support/stack.js';

// Every service's entry point, in production mode, stopped by a real signal as an orchestrator or
// Ctrl-C stops it: /ready turns 503 while a request it took is still in flight, the request is
// answered, "stopped" is logged and the exit code is 0; a second signal during the stop ends it at once.

const PRODUCTION = { NODE_ENV: 'production' };
/** Production orders charges over https only; nothing here charges, so the provider is never called. */
const PRODUCTION_ORDERS = { ...PRODUCTION, PAYMENT_PROVIDER_URL: 'https://payment-provider.invalid' };
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

describe('stopping a service', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ dialect: 'sqlite', seedArgs: ['--customers', '3', '--products', '10', '--orders', '5'] });
  });

  afterAll(() => stack?.stop());

  /** A GraphQL request the service takes and then waits on for its body: the router's own, or one from the router to a subgraph. */
  const holdGraphQLRequest = (name: ServiceName, service: ServiceProcess): Promise<HeldRequest> =>
    holdRequest(service.port, {
      path: '/graphql',
      body: JSON.stringify({ query: '{ __typename }' }),
      headers: name === 'router' ? {} : { 'x-router-secret': stack.secrets[name as SubgraphName] },
    });

  /** Stops the current process (a graceful stop must exit 0 in test mode too), then starts it in production mode. */
  async function restartInProduction(name: ServiceName): Promise<ServiceProcess> {
    expect(await stack.stopService(name, 'SIGTERM')).toBe(0);
    return stack.startServiceAgain(name, name === 'orders' ? PRODUCTION_ORDERS : PRODUCTION);
  }

  it.each([
    ['users', 'SIGTERM'],
    ['products', 'SIGTERM'],
    ['orders', 'SIGINT'],
    ['router', 'SIGINT'],
  ] as const)('%s on %s: /ready 503 while draining, the held request answered, "stopped", exit 0', async (name, signal) => {
    const service = await restartInProduction(name);
    const held = await holdGraphQLRequest(name, service);

    service.child.kill(signal);
    await service.waitForLog('that it is shutting down', (line) => line.msg === 'shutting down');
    const { statuses, text } = await held.releaseWithReadyProbe();

    expect(statuses).toEqual([100, 200, 503]);
    expect(text).toContain('"status":"stopping"');
    expect(await service.exited).toBe(0);
    expect(service.logs.map((line) => line.msg).slice(-1)).toEqual(['stopped']);
  });

  it.each([
    ['users', 'SIGTERM'],
    ['router', 'SIGINT'],
  ] as const)('%s exits at once on a second %s while a request holds its drain', async (name, signal) => {
    const service = await restartInProduction(name);
    const held = await holdGraphQLRequest(name, service);
    try {
      service.child.kill(signal);
      await service.waitForLog('that it is shutting down', (line) => line.msg === 'shutting down');
      service.child.kill(signal);

      expect(await service.exited).toBe(SIGNAL_EXIT_CODES[signal]);
      // The held request was never answered: the exit did not wait for the drain.
      expect(held.received()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
      expect(service.logs.some((line) => line.msg === 'stopped')).toBe(false);
    } finally {
      held.destroy();
    }
  });

  it('payment sandbox on SIGTERM: "stopped", exit 0', async () => {
    const service = await restartInProduction('paymentSandbox');
    expect((await fetch(`${service.origin}/ready`)).status).toBe(200);

    service.child.kill('SIGTERM');

    expect(await service.exited).toBe(0);
    const messages = service.logs.map((line) => line.msg);
    expect(messages).toContain('shutting down');
    expect(messages.at(-1)).toBe('stopped');
  });
});
