import { DEMO_CUSTOMER_EMAIL } from '@supergraph/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginDocument, OrderHistoryDocument } from '../../operations/__generated__/graphql.js';
import { DEMO_PASSWORD } from './support/example-operations.js';
import { createOperationSender } from './support/graphql-client.js';
import { STACK_SERVICES, startSupervisedStack, type SupervisedStack } from './support/supervised-stack.js';
import { waitFor } from './support/wait-for.js';

// `npm start` as a developer meets it (after the build the CI gate runs before the tests): the
// supervised stack of scripts/stack.ts. A killed service comes back while the others keep serving,
// and Ctrl-C stops every service cleanly.

const STARTUP_MS = 170_000;

describe('the supervised stack (npm start)', () => {
  let stack: SupervisedStack;
  let query: ReturnType<typeof createOperationSender>;
  const readyStatus = async (port: number) => (await fetch(`http://127.0.0.1:${port}/ready`)).status;

  beforeAll(async () => {
    stack = await startSupervisedStack();
    query = createOperationSender(() => `http://127.0.0.1:${stack.ports.router}/graphql`);
    // Every subgraph migrates and seeds its demo data first: minutes on a busy machine.
    await stack.waitForLine('the ready line', (line) => line.text.startsWith('stack ready:'), STARTUP_MS);
  }, STARTUP_MS + 10_000);

  afterAll(() => stack?.cleanUp());

  it('prints one ready line naming the router URL and every service', () => {
    const ready = stack.lines.filter((line) => line.text.startsWith('stack ready:'));
    expect(ready.map((line) => line.text)).toEqual([
      `stack ready: router http://localhost:${stack.ports.router}/graphql (users :${stack.ports.users}, products :${stack.ports.products}, orders :${stack.ports.orders}, payment-sandbox :${stack.ports['payment-sandbox']} up)`,
    ]);
  });

  it('keeps the others serving while a killed products comes back, and the join answers again', async () => {
    const login = await query(LoginDocument, { email: DEMO_CUSTOMER_EMAIL, password: DEMO_PASSWORD });
    const auth = { authorization: `Bearer ${login.body.data!.login.accessToken}` };
    const history = () => query(OrderHistoryDocument, { first: 3 }, auth);
    expect((await history()).body.errors).toBeUndefined();

    process.kill(stack.pidOf('products'), 'SIGKILL');
    await stack.waitForLine(
      'products to be seen dead',
      (line) => line.name === 'products' && /exited with code SIGKILL$/.test(line.text),
    );

    // Users alone: signing in again needs no products.
    const again = await query(LoginDocument, { email: DEMO_CUSTOMER_EMAIL, password: DEMO_PASSWORD });
    expect(again.status).toBe(200);
    expect(again.body.data?.login.user.email).toBe(DEMO_CUSTOMER_EMAIL);
    for (const name of ['users', 'orders', 'payment-sandbox', 'router'] as const) {
      expect({ name, status: await readyStatus(stack.ports[name]) }).toEqual({ name, status: 200 });
    }

    await stack.waitForLine(
      'products to be restarted',
      (line) => line.name === 'products' && /restarted$/.test(line.text),
      30_000,
    );
    await stack.waitForLine('the stack to be ready again', (line) => line.text.startsWith('stack ready again:'), 60_000);
    const joined = await waitFor(
      async () => {
        const answer = await history();
        return answer.body.errors === undefined && answer;
      },
      {
        what: 'the join (orders with their products) to answer again',
        timeout: 30_000,
      },
    );
    expect(joined.body.data?.me?.orders?.nodes[0]?.items[0]?.product?.name).toEqual(expect.any(String));
  });

  it('stops every service on Ctrl-C: each logs "stopped" and exits 0, then the supervisor exits 0', async () => {
    const firstStop = stack.lines.length;
    stack.signalGroup('SIGINT');
    const exitStatus = await stack.exited;

    const after = stack.lines.slice(firstStop);
    for (const name of STACK_SERVICES) {
      const own = after.filter((line) => line.name === name);
      expect({ name, stopped: own.some((line) => line.log?.msg === 'stopped') }).toEqual({ name, stopped: true });
      expect({ name, exit: own.map((line) => /exited with code (\S+)$/.exec(line.text)?.[1]).filter(Boolean) }).toEqual({
        name,
        exit: ['0'],
      });
    }
    expect(after.some((line) => /restarted$/.test(line.text))).toBe(false);
    expect(after.at(-1)?.text).toBe('stack stopped');
    expect(exitStatus).toBe(0);
  });
});
