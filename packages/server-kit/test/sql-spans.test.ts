import { buildSubgraphSchema } from '@apollo/subgraph';
import { SpanKind, SpanStatusCode, type SpanContext } from '@opentelemetry/api';
import { count, eq, sql } from 'drizzle-orm';
import { integer as pgInteger, pgTable, text as pgText } from 'drizzle-orm/pg-core';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { parse } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { executeStatement, type ServiceDatabase } from '../src/db/database.js';
import { openServiceDatabase } from '../src/db/open-database.js';
import { runUncounted, summarizeStatement, type ExecutedStatement, type StatementListener } from '../src/db/sql-telemetry.js';
import { createSubgraphService } from '../src/http/subgraph-service.js';
import { createScratchDatabase, createSubgraphHarness, testDialects } from '../src/testing/subgraph-harness.js';
import { withSpan } from '../src/tracing/spans.js';
import { parentIdOf, startSpanRecorder, type SpanRecorder } from './fixtures/span-recorder.js';

// Each SQL statement is timed where it runs and reported once (metrics, statement counts); with
// tracing on it is also a span under the active one, with its SQL text and never its values.

const sqliteTables = {
  accounts: sqliteTable('accounts', { id: integer('id').primaryKey(), email: text('email').notNull().unique() }),
};
const postgresTables = {
  accounts: pgTable('accounts', { id: pgInteger('id').primaryKey(), email: pgText('email').notNull().unique() }),
};
type Tables = typeof sqliteTables;
/** A value no SQL text contains: wherever it shows in a span, a parameter leaked. */
const EMAIL = 'grace.hopper.7f3a@example.test';

let recorder: SpanRecorder;
beforeAll(() => {
  recorder = startSpanRecorder();
});
afterAll(() => recorder.stop());

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  recorder.enableTracing();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openDatabase(location: Parameters<typeof openServiceDatabase>[0]['location'], onStatement?: StatementListener) {
  return openServiceDatabase<Tables>({
    service: 'kit',
    location,
    sqlite: { tables: sqliteTables, migrationsFolder: '/nonexistent' },
    postgres: { tables: postgresTables, migrationsFolder: '/nonexistent' },
    ...(onStatement ? { onStatement } : {}),
  });
}

async function createAccountsTable(database: ServiceDatabase<Tables>): Promise<void> {
  await database.transaction((tx) =>
    executeStatement(tx, sql`create table accounts (id integer primary key, email text not null unique)`),
  );
}

async function openScratch(dialect: 'sqlite' | 'postgres') {
  const scratch = await createScratchDatabase('kit', dialect);
  cleanups.push(() => scratch.drop());
  const statements: ExecutedStatement[] = [];
  const database = await openDatabase(scratch.location, (statement) => statements.push(statement));
  cleanups.push(() => database.close());
  await createAccountsTable(database);
  statements.length = 0;
  recorder.reset();
  return { database, statements, location: scratch.location };
}

describe('summarizeStatement', () => {
  it.each([
    ['select "id", "email" from "accounts" where "accounts"."email" = ?', 'SELECT', 'SELECT', 'accounts'],
    ['insert into "order_items" ("id") values ($1)', 'INSERT', 'INSERT', 'order_items'],
    ['update "public"."products" set "stock" = $1', 'UPDATE', 'UPDATE', 'products'],
    ['delete from `reservations` where `id` = ?', 'DELETE', 'DELETE', 'reservations'],
    [
      'with ids as (select id from users) select count(*) from orders where user_id in (select id from ids)',
      'SELECT',
      'SELECT',
      'orders',
    ],
    ['  -- a comment\n BEGIN immediate', 'OTHER', 'BEGIN', undefined],
    ['pragma journal_mode', 'OTHER', 'PRAGMA', undefined],
  ])('%s is %s (%s %s)', (text, operation, verb, table) => {
    expect(summarizeStatement(text)).toEqual({ operation, verb, table });
  });
});

it('times an iteration over a SQLite statement as one statement, ended when the caller stops early', async () => {
  const { database, statements } = await openScratch('sqlite');
  await database.transaction(({ db, tables }) =>
    db.insert(tables.accounts).values([
      { id: 1, email: 'a@example.test' },
      { id: 2, email: 'b@example.test' },
    ]),
  );
  recorder.reset();
  statements.length = 0;
  // drizzle never iterates; a caller holding the better-sqlite3 connection may.
  const client = (database.db as unknown as { $client: { prepare(source: string): { iterate(): Iterable<unknown> } } }).$client;

  withSpan('test.request', {}, () => {
    for (const row of client.prepare('select id from accounts order by id').iterate()) {
      expect(row).toEqual({ id: 1 });
      break;
    }
  });

  expect(statements.map((statement) => statement.operation)).toEqual(['SELECT']);
  expect(recorder.spans().map((span) => span.name)).toEqual(['SELECT accounts', 'test.request']);
});

describe.each(testDialects())('SQL statements on %s', (dialect) => {
  it('are one CLIENT span each, under the active span, with placeholders and never the values', async () => {
    const { database, statements, location } = await openScratch(dialect);
    const { accounts } = database.tables;

    const parent = await withSpan('test.request', {}, async (span): Promise<SpanContext> => {
      await database.transaction(({ db, tables }) => db.insert(tables.accounts).values({ id: 1, email: EMAIL }));
      expect(await database.db.select().from(accounts).where(eq(accounts.email, EMAIL))).toEqual([{ id: 1, email: EMAIL }]);
      return span.spanContext();
    });

    const spans = recorder.spans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(spans.map((span) => span.name)).toEqual(['BEGIN', 'INSERT accounts', 'COMMIT', 'SELECT accounts']);
    expect(statements.map((statement) => statement.operation)).toEqual(['OTHER', 'INSERT', 'OTHER', 'SELECT']);
    for (const statement of statements) expect(statement.seconds).toBeGreaterThanOrEqual(0);
    const namespace = location.dialect === 'sqlite' ? 'kit.sqlite' : new URL(location.url).pathname.slice(1);
    for (const span of spans) {
      expect(span.spanContext().traceId).toBe(parent.traceId);
      expect(parentIdOf(span)).toBe(parent.spanId);
      expect(span.attributes).toMatchObject({
        'db.system.name': dialect === 'sqlite' ? 'sqlite' : 'postgresql',
        'db.namespace': namespace,
      });
      expect(JSON.stringify(span.attributes)).not.toContain(EMAIL);
      if (location.dialect === 'postgres') {
        const { password } = new URL(location.url);
        if (password) expect(JSON.stringify(span.attributes)).not.toContain(password);
      }
    }
    const [, insert, , select] = spans;
    const placeholder = dialect === 'sqlite' ? '?' : '$1';
    expect(insert!.attributes).toMatchObject({ 'db.operation.name': 'INSERT', 'db.collection.name': 'accounts' });
    expect(insert!.attributes['db.query.text']).toContain(placeholder);
    expect(select!.attributes).toMatchObject({ 'db.operation.name': 'SELECT', 'db.collection.name': 'accounts' });
    expect(select!.attributes['db.query.text']).toContain(placeholder);
  });

  it('marks a failed statement with error status and its code, never the message or the value', async () => {
    const { database, statements } = await openScratch(dialect);
    await database.transaction(({ db, tables }) => db.insert(tables.accounts).values({ id: 1, email: EMAIL }));
    recorder.reset();
    statements.length = 0;

    await withSpan('test.request', {}, async () => {
      await expect(
        database.transaction(({ db, tables }) => db.insert(tables.accounts).values({ id: 2, email: EMAIL })),
      ).rejects.toThrow();
    });

    const spans = recorder.spans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(spans.map((span) => span.name)).toEqual(['BEGIN', 'INSERT accounts', 'ROLLBACK']);
    expect(statements).toHaveLength(3);
    const insert = spans[1]!;
    expect(insert.status.code).toBe(SpanStatusCode.ERROR);
    expect(insert.status.message ?? '').toBe('');
    expect(insert.attributes['error.type']).toBe(dialect === 'sqlite' ? 'SQLITE_CONSTRAINT_UNIQUE' : '23505');
    expect(insert.events).toEqual([]);
    expect(JSON.stringify(insert.attributes)).not.toContain(EMAIL);
  });

  it('with tracing off makes no span, and still reports every statement with its kind and duration', async () => {
    const { database, statements } = await openScratch(dialect);
    recorder.disableTracing();

    await database.transaction(({ db, tables }) => db.insert(tables.accounts).values({ id: 1, email: EMAIL }));
    await database.db.select({ total: count() }).from(database.tables.accounts);
    await database.isReachable();

    expect(recorder.spans()).toEqual([]);
    // The readiness probe is not the service's work: not counted.
    expect(statements.map((statement) => statement.operation)).toEqual(['OTHER', 'INSERT', 'OTHER', 'SELECT']);
    for (const statement of statements) expect(statement.seconds).toBeGreaterThanOrEqual(0);
  });

  it('leaves out what runs in runUncounted (a scrape reading its gauges): no count, no span', async () => {
    const { database, statements } = await openScratch(dialect);

    await withSpan('test.request', {}, async () => {
      const total = await runUncounted(async () => {
        const [row] = await database.db.select({ total: count() }).from(database.tables.accounts);
        return row?.total;
      });
      expect(total).toBe(0);
      await database.db.select({ total: count() }).from(database.tables.accounts);
    });

    expect(statements.map((statement) => statement.operation)).toEqual(['SELECT']);
    expect(recorder.spans().map((span) => span.name)).toEqual(['SELECT accounts', 'test.request']);
  });

  it('makes no span for a statement outside any trace (background work), and still reports it', async () => {
    const { database, statements } = await openScratch(dialect);

    await database.db.select({ total: count() }).from(database.tables.accounts);

    expect(recorder.spans()).toEqual([]);
    expect(statements.map((statement) => statement.operation)).toEqual(['SELECT']);
  });

  it('reaches db_statements_total and db_statement_duration_seconds on /metrics, one per statement', async () => {
    const harness = await createSubgraphHarness<Tables, { database: ServiceDatabase<Tables> }>({
      service: 'kit',
      dialect,
      // No migrations folder: the seed creates the one table.
      openDatabase: async (location, { onStatement }) => ({
        ...(await openDatabase(location, onStatement)),
        migrate: async () => undefined,
      }),
      seed: createAccountsTable,
      createService: (options) =>
        createSubgraphService({
          ...options,
          name: 'kit',
          schema: buildSubgraphSchema([
            {
              typeDefs: parse(`#graphql
              type Query { accountCount: Int! }
            `),
              resolvers: {
                Query: {
                  accountCount: async () => {
                    const [row] = await options.database.db.select({ total: count() }).from(options.database.tables.accounts);
                    return row?.total ?? 0;
                  },
                },
              },
            },
          ]),
          context: async () => ({ database: options.database }),
        }),
      createContext: (database) => async () => ({ database }),
    });
    cleanups.push(() => harness.close());
    const url = await harness.service.listen(0, '127.0.0.1');
    const readMetrics = async () => (await fetch(`${new URL(url).origin}/metrics`)).text();
    const before = await readMetrics();

    const executed = await harness.countStatements(async () => {
      expect(await harness.execute('{ accountCount }')).toEqual({ data: { accountCount: 0 } });
    });

    const after = await readMetrics();
    expect(executed).toBe(1);
    expect(sampleOf(after, 'db_statements_total') - sampleOf(before, 'db_statements_total')).toBe(1);
    const selects = ['db_statement_duration_seconds_count', { operation: 'SELECT', service: 'kit' }] as const;
    expect(sampleOf(after, ...selects) - sampleOf(before, ...selects)).toBe(1);
  });
});

/** The value of the sample `name` whose labels include `labels`, in Prometheus text (0 when absent). */
function sampleOf(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return 0;
}
