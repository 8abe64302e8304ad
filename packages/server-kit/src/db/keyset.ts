import { asc, desc, sql, type Column, type SQL } from 'drizzle-orm';
import type { PageWindow } from '../graphql/pagination.js';

/**
 * The order a keyset-paginated list is sorted in: its columns, the last one unique, all ascending
 * or all descending (one row value compares every column the same way), and the column values a
 * cursor of the list stands for, in the columns' order.
 */
export interface SortKey<TCursor> {
  columns: readonly [Column, ...Column[]];
  descending?: boolean;
  valuesOf(cursor: TCursor): readonly unknown[];
}

/** The parts of one page's statement: its condition, its ORDER BY, and its LIMIT. */
export interface KeysetPage {
  /** The rows between the window's cursors; undefined when it has none. */
  where: SQL | undefined;
  /** The list's order forward; the reverse backward, so the LIMIT keeps the rows next to `before`. */
  orderBy: SQL[];
  /** One row more than the page, which only says whether more lie beyond it. */
  limit: number;
}

/**
 * The SQL of one page of a list sorted by `key`, as toConnectionPage takes its rows: cursors
 * compared as row values, `(a, b) > (?, ?)`, which SQLite and Postgres both answer with a seek on
 * an index over the same columns. Every value is bound through its column, so a Date becomes what
 * the dialect stores.
 */
export function readKeysetPage<TCursor>(key: SortKey<TCursor>, window: PageWindow<TCursor>): KeysetPage {
  const ascending = !key.descending;
  const isForward = window.direction === 'forward';
  const conditions = [
    window.after === null ? null : compareRow(key, window.after, ascending ? '>' : '<'),
    window.before === null ? null : compareRow(key, window.before, ascending ? '<' : '>'),
  ].filter((condition) => condition !== null);
  const readsAscending = ascending === isForward;
  return {
    where: conditions.length ? sql.join(conditions, sql` and `) : undefined,
    orderBy: key.columns.map((column) => (readsAscending ? asc(column) : desc(column))),
    limit: window.size + 1,
  };
}

function compareRow<TCursor>(key: SortKey<TCursor>, cursor: TCursor, operator: '<' | '>'): SQL {
  const values = key.valuesOf(cursor);
  const params = key.columns.map((column, i) => sql.param(values[i], column));
  return sql`(${sql.join([...key.columns], sql`, `)}) ${sql.raw(operator)} (${sql.join(params, sql`, `)})`;
}
