import { sql, type Placeholder } from 'drizzle-orm';
import type { DatabaseHandle } from './database.js';

/** Key counts up to this many get a prepared query each (a DataLoader batch is rarely larger); beyond it, built per call. */
export const PREPARED_KEY_COUNT_LIMIT = 100;

/** Prepared queries kept per connection and read; past it they are dropped and prepared again as used. */
const PREPARED_PER_CONNECTION = 1_000;

/**
 * Postgres statement names a read uses at most. A named statement stays on each server connection
 * until it closes, and callers choose page sizes: past this many shapes and key counts, a query is
 * still built once but sent unnamed, so no client can grow the server's memory.
 */
const NAMED_STATEMENTS_PER_READ = 64;

/** What a drizzle query builder offers on either dialect: prepare() (SQLite) or prepare(name) (Postgres). */
interface Preparable {
  prepare(name?: string): unknown;
}

/** drizzle's prepared query: all() gives SQLite's mapped rows, execute() Postgres' (node-postgres). */
interface Prepared {
  all(values: Record<string, unknown>): unknown;
  execute(values: Record<string, unknown>): unknown;
}

/**
 * A read by a list of keys (ids, parent ids: a DataLoader's batch) whose query is built and prepared
 * once per connection and number of keys, then run with the keys as parameters. drizzle otherwise
 * builds the SQL text of every query on every call, a measurable share of a subgraph's CPU per
 * request; SQLite then reuses its prepared statement, Postgres a named statement per connection.
 *
 * `build` receives one placeholder per key and must put them where the keys go (`inArray(column,
 * keys)`), with no other value of the call in it but `shape`: the query it returns serves every later
 * call with that many keys and that shape. `shape` is for what changes the query's text besides the
 * keys (a page's size and direction): a short string of letters, digits and `_` from a small set, or
 * none. `name` names the Postgres statements (`<name>_<shape>_<count>`), unique per service.
 */
export function preparedByKeys<TTables extends Record<string, unknown>, TRow, TShape extends string = string>(
  name: string,
  build: (handle: DatabaseHandle<TTables>, keys: Placeholder[], shape: TShape) => Preparable,
): (handle: DatabaseHandle<TTables>, keys: readonly unknown[], shape?: TShape) => Promise<TRow[]> {
  const byConnection = new WeakMap<object, Map<string, Prepared>>();
  const placeholders = (count: number) => Array.from({ length: count }, (_, index) => sql.placeholder(`k${index}`));
  const named = new Set<string>();
  const prepare = (handle: DatabaseHandle<TTables>, count: number, shape: TShape, key: string | undefined): Prepared => {
    const query = build(handle, placeholders(count), shape);
    if (handle.dialect !== 'postgres' || key === undefined) return query.prepare() as Prepared;
    if (!named.has(key) && named.size >= NAMED_STATEMENTS_PER_READ) return query.prepare() as Prepared;
    named.add(key);
    return query.prepare(`${name}_${key}`) as Prepared;
  };
  return async (handle, keys, shape = '' as TShape) => {
    const values: Record<string, unknown> = {};
    keys.forEach((key, index) => {
      values[`k${index}`] = key;
    });
    let prepared: Prepared;
    if (keys.length > PREPARED_KEY_COUNT_LIMIT) {
      prepared = prepare(handle, keys.length, shape, undefined);
    } else {
      const key = shape ? `${shape}_${keys.length}` : String(keys.length);
      let byKey = byConnection.get(handle.db);
      if (!byKey) byConnection.set(handle.db, (byKey = new Map<string, Prepared>()));
      let cached = byKey.get(key);
      if (!cached) {
        if (byKey.size >= PREPARED_PER_CONNECTION) byKey.clear();
        cached = prepare(handle, keys.length, shape, key);
        byKey.set(key, cached);
      }
      prepared = cached;
    }
    return (handle.dialect === 'sqlite' ? prepared.all(values) : prepared.execute(values)) as TRow[] | Promise<TRow[]>;
  };
}
