import { randomUUID } from 'node:crypto';
import { DEMO_CUSTOMER_EMAIL, getDemoCustomerId, parseSeedOptions } from '@supergraph/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listPanelQueries,
  readDashboard,
  readRecordingRules,
  substituteDashboardVariables,
} from '../../deploy/monitoring-kit.js';
import { LoginDocument, UserOrdersDocument } from '../../operations/__generated__/graphql.js';
import { useCheckoutStack } from './support/checkout.js';
import { DEMO_PASSWORD } from './support/example-operations.js';
import { locatePrometheus, startPrometheus, type PrometheusServer } from './support/prometheus.js';
import { waitFor } from './support/wait-for.js';

// The monitoring kit in ops/ against the real thing: a Prometheus process scrapes the e2e stack every
// second with the kit's rules loaded, and after a little traffic every recording rule and every query
// of the Grafana dashboard must return data. promtool's checks and the alerts' unit tests are
// deploy/check-monitoring.ts's (npm run ops:check).

const seedArgs = ['--customers', '3', '--products', '10', '--orders', '5'];
const customerId = getDemoCustomerId(parseSeedOptions(seedArgs));
const PRODUCT = { id: 'e2e-prometheus', stock: 100, priceMinor: 1_250 };
/** What Grafana puts for $__rate_interval: four scrape intervals at least; 30 s is plenty at 1 s. */
const RATE_INTERVAL = '30s';
/** How long series may take to appear: a scrape and a rule evaluation each second, on a busy machine. */
const DATA_DEADLINE_MS = 150_000;

const prometheusBinary = locatePrometheus();
if ('missing' in prometheusBinary) console.log(`The Prometheus suite is SKIPPED: ${prometheusBinary.missing}.`);

describe.skipIf('missing' in prometheusBinary)('the monitoring kit against a real Prometheus scraping the stack', () => {
  const suite = useCheckoutStack({ dialect: 'sqlite', seedArgs, products: [PRODUCT] });
  let prometheus: PrometheusServer | undefined;

  beforeAll(async () => {
    const { stack } = suite;
    prometheus = await startPrometheus({
      path: (prometheusBinary as { path: string }).path,
      targets: [
        { job: 'router', service: 'router', origin: stack.router.origin },
        ...(['users', 'products', 'orders'] as const).map((name) => ({
          job: name,
          service: name,
          origin: stack.subgraphs[name].origin,
        })),
      ],
    });
    await sendTraffic();
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  /** A customer's day, as the dashboard would show it: sign-in, the join, a paid and a declined checkout, a refused request. */
  async function sendTraffic() {
    const { stack } = suite;
    // The users service answers OVERLOADED when a busy machine keeps the password hash waiting: sign in again.
    const login = await waitFor(
      async () => {
        const { body } = await stack.query(LoginDocument, { email: DEMO_CUSTOMER_EMAIL, password: DEMO_PASSWORD });
        return (
          body.data?.login ?? (body.errors?.[0]?.extensions?.code === 'OVERLOADED' ? null : expect.fail(JSON.stringify(body)))
        );
      },
      { what: 'a sign-in the users service is not too busy for', timeout: 60_000, interval: 500 },
    );
    const asCustomer = { authorization: `Bearer ${login.accessToken}` };
    const join = await stack.query(UserOrdersDocument, { userId: customerId }, asCustomer);
    expect(join.body.errors).toBeUndefined();

    const item = { productId: PRODUCT.id, quantity: 1 };
    const paid = await suite.createOrder(customerId, { items: [item], idempotencyKey: randomUUID(), paymentToken: 'tok_visa' });
    expect(paid.data?.createOrder.status).toBe('CONFIRMED');
    const declined = await suite.createOrder(customerId, {
      items: [item],
      idempotencyKey: randomUUID(),
      paymentToken: 'tok_chargeDeclined',
    });
    expect(declined.errors?.[0]?.extensions?.code).toBe('PAYMENT_DECLINED');

    const refused = await stack.query(UserOrdersDocument, { userId: customerId }, { authorization: 'Bearer not-a-token' });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }

  /**
   * Waits until each of `queries` has returned data at least once (a scrape that times out on a busy
   * machine leaves a series stale for a second, so they need not all answer in the same round); then
   * expects the list of those that never did to be [], so a failure names every query without data.
   * A query Prometheus refuses (not PromQL) fails at once.
   */
  async function expectEveryQueryAnswered(queries: { name: string; expr: string }[]) {
    let unanswered = queries;
    await waitFor(
      async () => {
        const results = await Promise.all(unanswered.map(({ expr }) => prometheus!.query(expr)));
        unanswered = unanswered.filter((_, index) => results[index]!.length === 0);
        return unanswered.length === 0;
      },
      { what: 'every query to return data', timeout: DATA_DEADLINE_MS, interval: 1_000 },
    ).catch((error: unknown) => {
      // Out of time: the expectation below names the queries; anything else (a query refused) is the failure.
      if (!(error instanceof Error && error.message.startsWith('timed out'))) throw error;
    });
    expect(unanswered.map(({ name, expr }) => `${name}: ${expr}`)).toEqual([]);
  }

  it('scrapes the router and the three subgraphs', { timeout: DATA_DEADLINE_MS + 10_000 }, async () => {
    // Each target seen up once is enough: a scrape that times out on a busy machine is not the point here.
    const seenUp = new Map<string, string>();
    await waitFor(
      async () => {
        for (const sample of await prometheus!.query('up == 1')) seenUp.set(sample.metric.job!, sample.metric.service!);
        return seenUp.size === 4;
      },
      { what: 'up == 1 for the four targets', timeout: DATA_DEADLINE_MS, interval: 500, show: () => JSON.stringify([...seenUp]) },
    );
    expect([...seenUp].sort()).toEqual([
      ['orders', 'orders'],
      ['products', 'products'],
      ['router', 'router'],
      ['users', 'users'],
    ]);
    // honor_labels: the services' own `service` label stays, never renamed exported_service.
    expect(await prometheus!.query('graphql_requests_in_flight{exported_service!=""}')).toEqual([]);
  });

  it('has data for every recording rule in ops/prometheus/rules', { timeout: DATA_DEADLINE_MS + 10_000 }, async () => {
    const rules = readRecordingRules();
    expect(rules.length).toBeGreaterThan(0);
    await expectEveryQueryAnswered(rules.map((rule) => ({ name: rule.record, expr: rule.record })));
  });

  it('has data for every query of the Grafana dashboard', { timeout: DATA_DEADLINE_MS + 10_000 }, async () => {
    const dashboard = readDashboard();
    const queries = listPanelQueries(dashboard).map(({ panel, refId, expr }) => ({
      name: `"${panel}" ${refId}`,
      expr: substituteDashboardVariables(expr, dashboard, RATE_INTERVAL),
    }));
    expect(queries.length).toBeGreaterThan(0);
    await expectEveryQueryAnswered(queries);
  });
});
