import DataLoader from 'dataloader';
import { withSpan } from '../tracing/spans.js';
import type { PageWindow } from './pagination.js';

/**
 * A DataLoader batch function that shows in a trace: a span `dataloader.batch <name>` with the
 * number of keys (`dataloader.keys`), parent of the statements the batch runs. With tracing off,
 * `batch` itself runs. `name` is the loader's, as in createLoaders (`productById`).
 */
export function tracedBatch<TKey, TValue>(
  name: string,
  batch: DataLoader.BatchLoadFn<TKey, TValue>,
): DataLoader.BatchLoadFn<TKey, TValue> {
  return (keys) =>
    withSpan(`dataloader.batch ${name}`, { attributes: { 'dataloader.keys': keys.length } }, async () => batch(keys));
}

/**
 * Lines rows up with the keys a DataLoader asked for: one entry per key, null where no row
 * matched (DataLoader requires the same length and order as its keys).
 */
export function alignByKey<TRow, TKey>(
  keys: readonly TKey[],
  rows: readonly TRow[],
  keyOf: (row: TRow) => TKey,
): (TRow | null)[] {
  const byKey = new Map<TKey, TRow>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

/** Which page of a parent's children to load. */
export interface PageKey<TCursor> {
  parentId: string;
  window: PageWindow<TCursor>;
}

/** Loads, for many parents at once, the rows of one page window: returns rows per parent id, as toConnectionPage takes them. */
export type FetchPages<TCursor, TRow> = (
  parentIds: readonly string[],
  window: PageWindow<TCursor>,
) => Promise<Map<string, TRow[]>>;

/**
 * A DataLoader for a paginated list field under an entity (Category.products, User.orders):
 * every parent asking for the same window (direction, page size and cursors) is served by one
 * fetch, so the statement count does not grow with the number of parents.
 */
export function createPageLoader<TCursor, TRow>(
  fetchPages: FetchPages<TCursor, TRow>,
  options: {
    /** The loader's name in its batch spans (`dataloader.batch productPageByCategory`). Default `page`. */
    name?: string;
  } = {},
): DataLoader<PageKey<TCursor>, TRow[], string> {
  return new DataLoader<PageKey<TCursor>, TRow[], string>(
    tracedBatch(options.name ?? 'page', async (keys: readonly PageKey<TCursor>[]) => {
      const windows = new Map<string, PageKey<TCursor>[]>();
      for (const key of keys) {
        const windowKey = JSON.stringify(key.window);
        windows.set(windowKey, [...(windows.get(windowKey) ?? []), key]);
      }
      const results = new Map<PageKey<TCursor>, TRow[]>();
      await Promise.all(
        [...windows.values()].map(async (group) => {
          const [first] = group as [PageKey<TCursor>];
          const pages = await fetchPages([...new Set(group.map((key) => key.parentId))], first.window);
          for (const key of group) results.set(key, pages.get(key.parentId) ?? []);
        }),
      );
      return keys.map((key) => results.get(key) ?? []);
    }),
    { cacheKeyFn: (key) => JSON.stringify([key.parentId, key.window]) },
  );
}
