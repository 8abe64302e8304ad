import { sql } from 'drizzle-orm';
import { PgDialect, pgTable, text as pgText, timestamp } from 'drizzle-orm/pg-core';
import { integer, SQLiteSyncDialect, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { readKeysetPage, type SortKey } from '../src/db/keyset.js';
import type { PageWindow } from '../src/graphql/pagination.js';

type Cursor = readonly [createdAtMs: number, id: string];

const dialects = {
  sqlite: {
    render: new SQLiteSyncDialect(),
    table: sqliteTable('items', {
      id: text('id').primaryKey(),
      createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    }),
  },
  postgres: {
    render: new PgDialect(),
    table: pgTable('items', {
      id: pgText('id').primaryKey(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    }),
  },
};

/** One page's statement over `items`, as the dialect sends it, for a list sorted by (createdAt, id). */
function statementOf(dialect: keyof typeof dialects, window: PageWindow<Cursor>, descending = false) {
  const { render, table } = dialects[dialect];
  const key: SortKey<Cursor> = {
    columns: [table.createdAt, table.id],
    descending,
    valuesOf: ([createdAtMs, id]) => [new Date(createdAtMs), id],
  };
  const page = readKeysetPage(key, window);
  const where = page.where ? sql` where ${page.where}` : sql``;
  return render.sqlToQuery(
    sql`select ${table.id} from ${table}${where} order by ${sql.join(page.orderBy, sql`, `)} limit ${page.limit}`,
  );
}

const at = (ms: number, id: string): Cursor => [ms, id];

describe('readKeysetPage', () => {
  it('reads a forward page past `after` as a row value, in the list order, one row more than the page', () => {
    const window: PageWindow<Cursor> = { direction: 'forward', size: 10, after: at(1000, 'b'), before: null };
    expect(statementOf('sqlite', window)).toMatchObject({
      sql: 'select "items"."id" from "items" where ("items"."created_at", "items"."id") > (?, ?) order by "items"."created_at" asc, "items"."id" asc limit ?',
      params: [1000, 'b', 11],
    });
    expect(statementOf('postgres', window)).toMatchObject({
      sql: 'select "items"."id" from "items" where ("items"."created_at", "items"."id") > ($1, $2) order by "items"."created_at" asc, "items"."id" asc limit $3',
      params: ['1970-01-01T00:00:01.000Z', 'b', 11],
    });
  });

  it('reads a backward page before `before` in the reverse order, so the LIMIT keeps the rows next to it', () => {
    const window: PageWindow<Cursor> = { direction: 'backward', size: 5, after: null, before: at(2000, 'c') };
    expect(statementOf('sqlite', window)).toMatchObject({
      sql: 'select "items"."id" from "items" where ("items"."created_at", "items"."id") < (?, ?) order by "items"."created_at" desc, "items"."id" desc limit ?',
      params: [2000, 'c', 6],
    });
    expect(statementOf('postgres', window).sql).toBe(
      'select "items"."id" from "items" where ("items"."created_at", "items"."id") < ($1, $2) order by "items"."created_at" desc, "items"."id" desc limit $3',
    );
  });

  it('turns the comparisons and the order around for a list sorted descending, and bounds a page on both sides', () => {
    const forward: PageWindow<Cursor> = { direction: 'forward', size: 3, after: at(9000, 'z'), before: at(1000, 'a') };
    expect(statementOf('sqlite', forward, true).sql).toBe(
      'select "items"."id" from "items" where ("items"."created_at", "items"."id") < (?, ?) and ("items"."created_at", "items"."id") > (?, ?) order by "items"."created_at" desc, "items"."id" desc limit ?',
    );
    const backward: PageWindow<Cursor> = { direction: 'backward', size: 3, after: null, before: at(1000, 'a') };
    expect(statementOf('sqlite', backward, true).sql).toBe(
      'select "items"."id" from "items" where ("items"."created_at", "items"."id") > (?, ?) order by "items"."created_at" asc, "items"."id" asc limit ?',
    );
  });

  it('has no condition for a page without cursors', () => {
    const window: PageWindow<Cursor> = { direction: 'backward', size: 20, after: null, before: null };
    expect(statementOf('sqlite', window)).toMatchObject({
      sql: 'select "items"."id" from "items" order by "items"."created_at" desc, "items"."id" desc limit ?',
      params: [21],
    });
  });
});
