import { join } from 'node:path';
import { DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD, SEARCH_TERM } from './cases.js';
import { runRound, type RequestPlan, type RoundFigures } from './load.js';
import { CATALOG_PAGE, graphqlBody, PRODUCT_DETAILS, signIn, USER_ORDERS } from './operations.js';
import type { BenchOptions } from './options.js';
import { renderTable } from './report.js';
import { startBenchStack, type BenchStack } from './stack.js';
import { DATABASE_PREFIX, type SubgraphName } from './databases.js';

/** How deep the deep page starts, in rows of the catalog's (name, id) order. */
const DEEP_PAGE_ROWS = 50_000;
/** The order count of the "heavy" customer the join is measured for. */
const HEAVY_CUSTOMER_ORDERS = 1_000;
/**
 * Orders per generated customer average orders / (0.85 x customers) (demo-data: about one customer
 * in seven never orders), so this many rows per customer puts the typical buyer near 1,000 orders.
 */
const ROWS_PER_CUSTOMER = 850;

const QUERY_NAMES = [
  'first page',
  'search + totalCount',
  'deep page',
  'product(id)',
  'join, light customer',
  'join, heavy customer',
] as const;
type QueryName = (typeof QUERY_NAMES)[number];

/** What the deep page and the two joins are, at one seed size: the data they read differs between sizes. */
interface Subjects {
  deepPageRow: number;
  lightOrders: number;
  heavyOrders: number;
}

interface SizeFigures {
  seedArgs: string[];
  subjects: Subjects;
  /** Each query's rounds at this size. */
  rounds: Record<QueryName, RoundFigures[]>;
}

export interface ScaleResult {
  small: SizeFigures;
  large: SizeFigures;
  failed: boolean;
}

/** The cursor products(after:) takes to continue after a row: server-kit's encodeCursor of its (name, id) sort key. */
function productCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id]), 'utf8').toString('base64url');
}

/** The one row a statement returns; throws when it returns none. */
async function queryOne<Row>(stack: BenchStack, name: SubgraphName, sql: string, params: unknown[] = []): Promise<Row> {
  const [row] = await stack.databases.query<Row>(name, sql, params);
  if (!row) throw new Error(`no row from ${name}: ${sql}`);
  return row;
}

/** The customer whose order count is nearest `target`, from the orders database, with that count. */
async function findCustomerNear(stack: BenchStack, target: number): Promise<{ userId: string; orders: number }> {
  const counts = await stack.databases.query<{ user_id: string; orders: number | string }>(
    'orders',
    'select user_id, count(*) as orders from orders group by user_id',
  );
  const nearest = counts
    .map((row) => ({ userId: row.user_id, orders: Number(row.orders) }))
    .sort((a, b) => Math.abs(a.orders - target) - Math.abs(b.orders - target))[0];
  if (!nearest) throw new Error('the orders database has no orders');
  return nearest;
}

/** Each query's request, against this stack's data. */
async function planQueries(stack: BenchStack): Promise<{ plans: Record<QueryName, RequestPlan>; subjects: Subjects }> {
  const { count } = await queryOne<{ count: number | string }>(stack, 'products', 'select count(*) as count from products');
  const productCount = Number(count);
  const deepPageRow = Math.max(0, Math.min(DEEP_PAGE_ROWS, productCount - 20));
  const [before] = await stack.databases.query<{ name: string; id: string }>(
    'products',
    'select name, id from products order by name, id limit 1 offset ?',
    [Math.max(0, deepPageRow - 1)],
  );
  const [middle] = await stack.databases.query<{ id: string }>(
    'products',
    'select id from products order by id limit 1 offset ?',
    [Math.floor(productCount / 2)],
  );
  const router = `${stack.router.origin}/graphql`;
  const light = await signIn(router, DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD);
  const { orders: lightOrders } = await queryOne<{ orders: number | string }>(
    stack,
    'orders',
    'select count(*) as orders from orders where user_id = ?',
    [light.userId],
  );
  const heavy = await findCustomerNear(stack, HEAVY_CUSTOMER_ORDERS);
  const { email } = await queryOne<{ email: string }>(stack, 'users', 'select email from users where id = ?', [heavy.userId]);
  const heavySession = await signIn(router, email, DEMO_PASSWORD);
  const anonymous = (variables: object, query = CATALOG_PAGE): RequestPlan => ({
    headers: {},
    body: graphqlBody(query, variables),
  });
  const join = (session: { token: string; userId: string }): RequestPlan => ({
    headers: { authorization: `Bearer ${session.token}` },
    body: graphqlBody(USER_ORDERS, { userId: session.userId }),
  });
  return {
    plans: {
      'first page': anonymous({ first: 20 }),
      'search + totalCount': anonymous({ first: 20, filter: { search: SEARCH_TERM } }),
      'deep page': anonymous({ first: 20, ...(before ? { after: productCursor(before.name, before.id) } : {}) }),
      'product(id)': anonymous({ id: middle!.id }, PRODUCT_DETAILS),
      'join, light customer': join(light),
      'join, heavy customer': join(heavySession),
    },
    subjects: { deepPageRow, lightOrders: Number(lightOrders), heavyOrders: heavy.orders },
  };
}

/** One seed size's stack, what its queries send, and its rounds so far. */
interface SizeRun {
  label: string;
  stack: BenchStack;
  plans: Record<QueryName, RequestPlan>;
  figures: SizeFigures;
}

async function startSize(
  label: string,
  seedArgs: string[],
  databasePrefix: string,
  options: BenchOptions,
  dir: string,
  progress: (line: string) => void,
): Promise<SizeRun> {
  const stack = await startBenchStack({
    dialect: options.dialect,
    seedArgs,
    dir: join(dir, label),
    withStock: false,
    databasePrefix,
    progress: (line) => progress(`${label}: ${line}`),
  });
  const { plans, subjects } = await planQueries(stack);
  const rounds = Object.fromEntries(QUERY_NAMES.map((query) => [query, []])) as unknown as Record<QueryName, RoundFigures[]>;
  return { label, stack, plans, figures: { seedArgs, subjects, rounds } };
}

/** Runs one query's rounds on both sizes, alternating which goes first, so the machine's drift hits both alike. */
async function measureQuery(
  query: QueryName,
  sizes: [SizeRun, SizeRun],
  options: BenchOptions,
  progress: (line: string) => void,
) {
  const roundOf = (size: SizeRun, durationS: number) =>
    runRound({
      target: { name: 'router', url: `${size.stack.router.origin}/graphql`, process: size.stack.router },
      plan: size.plans[query],
      connections: options.connections,
      durationS,
      subgraphs: size.stack.subgraphs,
    });
  for (const size of sizes) await roundOf(size, 1);
  for (let index = 0; index < options.rounds; index++) {
    for (const size of index % 2 === 0 ? sizes : [sizes[1], sizes[0]]) {
      const round = await roundOf(size, options.durationS);
      size.figures.rounds[query].push(round);
      progress(`${size.label}: ${query}: p50 ${round.p50Ms} ms, p99 ${round.p99Ms} ms, ${round.rps.toFixed(1)} rps`);
    }
  }
}

const ratio = (large: number, small: number) => (small > 0 ? `${(large / small).toFixed(2)}x` : '-');
const failuresOf = (round: RoundFigures) => round.non2xx + round.graphqlErrors + round.transportErrors;
const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);
const meanOf = (rounds: RoundFigures[], pick: (round: RoundFigures) => number) =>
  total(rounds.map(pick)) / Math.max(1, rounds.length);
/** SQL statements per request over all rounds. */
const statementsPerRequest = (rounds: RoundFigures[]) =>
  (
    total(rounds.flatMap((round) => Object.values(round.statements))) / Math.max(1, total(rounds.map((round) => round.requests)))
  ).toFixed(2);

function renderScaleTable(rows: number, options: BenchOptions, small: SizeFigures, large: SizeFigures): string {
  const header = [
    'query',
    'default p50',
    'default p99',
    `${rows} p50`,
    `${rows} p99`,
    'p50 ratio',
    'p99 ratio',
    'SQL/req default',
    `SQL/req ${rows}`,
    'failed',
  ];
  const table = renderTable(
    header,
    QUERY_NAMES.map((query) => {
      const [a, b] = [small.rounds[query], large.rounds[query]];
      const [p50a, p99a, p50b, p99b] = [
        meanOf(a, (r) => r.p50Ms),
        meanOf(a, (r) => r.p99Ms),
        meanOf(b, (r) => r.p50Ms),
        meanOf(b, (r) => r.p99Ms),
      ];
      return [
        query,
        p50a.toFixed(1),
        p99a.toFixed(1),
        p50b.toFixed(1),
        p99b.toFixed(1),
        ratio(p50b, p50a),
        ratio(p99b, p99a),
        statementsPerRequest(a),
        statementsPerRequest(b),
        String(total([...a, ...b].map(failuresOf))),
      ];
    }),
  );
  const heavy = large.rounds['join, heavy customer'];
  const light = large.rounds['join, light customer'];
  const heavyToLight = (pick: (round: RoundFigures) => number) => ratio(meanOf(heavy, pick), meanOf(light, pick));
  return [
    `## scale (${options.dialect}): the default seed against ${rows} products and orders, through the router, ${options.connections} connections, ${options.rounds} rounds of ${options.durationS} s, ms`,
    '',
    table,
    '',
    `deep page starts at row ${small.subjects.deepPageRow} (default seed) and ${large.subjects.deepPageRow} (${rows});`,
    `join customers: light ${small.subjects.lightOrders} / ${large.subjects.lightOrders} orders, heavy ${small.subjects.heavyOrders} / ${large.subjects.heavyOrders} orders;`,
    `at ${rows} rows the heavy customer's join takes ${heavyToLight((r) => r.p50Ms)} the light one's p50 (${heavyToLight((r) => r.p99Ms)} p99)`,
  ].join('\n');
}

/**
 * The scale mode (--rows N): two stacks at once, one on the default seed and one on N products and
 * N orders (customers so the typical buyer has about 1,000 orders); each query through each router
 * alone at low concurrency, in rounds alternating between the sizes; prints the latencies side by
 * side with their ratios.
 */
export async function runScale(options: BenchOptions, dir: string, progress: (line: string) => void): Promise<ScaleResult> {
  const rows = options.rows!;
  const largeArgs = [
    '--products',
    String(rows),
    '--orders',
    String(rows),
    '--customers',
    String(Math.max(1, Math.ceil(rows / ROWS_PER_CUSTOMER))),
  ];
  const sizes: SizeRun[] = [];
  try {
    // One after the other: seeding the large size alone takes the machine's every core.
    sizes.push(await startSize('default', [], `${DATABASE_PREFIX}_small`, options, dir, progress));
    sizes.push(await startSize(`rows-${rows}`, largeArgs, DATABASE_PREFIX, options, dir, progress));
    for (const query of QUERY_NAMES) await measureQuery(query, [sizes[0]!, sizes[1]!], options, progress);
  } finally {
    for (const size of sizes) {
      await size.stack.stop();
      await size.stack.databases.drop();
    }
  }
  const [small, large] = [sizes[0]!.figures, sizes[1]!.figures];
  process.stdout.write(`\n${renderScaleTable(rows, options, small, large)}\n`);
  const failed = [small, large].some((size) =>
    Object.values(size.rounds).some((rounds) => rounds.some((round) => failuresOf(round) > 0 || round.requests === 0)),
  );
  for (const [label, size] of [
    ['default', small],
    [String(rows), large],
  ] as const) {
    for (const [query, rounds] of Object.entries(size.rounds)) {
      const failures = total(rounds.map(failuresOf));
      const sample = rounds.find((round) => round.sampleError)?.sampleError;
      if (failures > 0)
        process.stdout.write(`FAILED: ${query} at ${label}: ${failures} failed; first: ${sample ?? '(none kept)'}\n`);
    }
  }
  return { small, large, failed };
}
