import { sql, type Placeholder } from 'drizzle-orm';
import type { DatabaseHandle } from './database.js';

/** Key counts up to this many get a prepared query each (a DataLoader batch is rarely larger); beyond it, built per call. */
export const PREPARED_KEY_COUNT_LIMIT = 100;

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
 * keys)`), with no other value of the call in it: the query it returns serves every later call with
 * that many keys. `name` names the Postgres statements (`<name>_<count>`), unique per service.
 */
export function preparedByKeys<TTables extends Record<string, unknown>, TRow>(
  name: string,
  build: (handle: DatabaseHandle<TTables>, keys: Placeholder[]) => Preparable,
): (handle: DatabaseHandle<TTables>, keys: readonly unknown[]) => Promise<TRow[]> {
  const byConnection = new WeakMap<object, Map<number, Prepared>>();
  const placeholders = (count: number) => Array.from({ length: count }, (_, index) => sql.placeholder(`k${index}`));
  const prepare = (handle: DatabaseHandle<TTables>, count: number, isNamed: boolean): Prepared => {
    const query = build(handle, placeholders(count));
    return (handle.dialect === 'postgres' && isNamed ? query.prepare(`${name}_${count}`) : query.prepare()) as Prepared;
  };
  return async (handle, keys) => {
    const values: Record<string, unknown> = {};
    keys.forEach((key, index) => {
      values[`k${index}`] = key;
    });
    let prepared: Prepared;
    if (keys.length > PREPARED_KEY_COUNT_LIMIT) {
      prepared = prepare(handle, keys.length, false);
    } else {
      let byCount = byConnection.get(handle.db);
      if (!byCount) byConnection.set(handle.db, (byCount = new Map<number, Prepared>()));
      prepared = byCount.get(keys.length) ?? prepare(handle, keys.length, true);
      byCount.set(keys.length, prepared);
    }
    return (handle.dialect === 'sqlite' ? prepared.all(values) : prepared.execute(values)) as TRow[] | Promise<TRow[]>;
  };
}
