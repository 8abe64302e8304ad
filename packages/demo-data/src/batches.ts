/**
 * Groups `items` into arrays of `size` (the last one shorter), pulling from the iterable only as far
 * as the batch being built: a seed streams a generator into multi-row inserts with one batch in memory.
 */
export function* readInBatches<T>(items: Iterable<T>, size: number): Generator<T[], void, undefined> {
  if (!Number.isSafeInteger(size) || size < 1) throw new Error(`A batch size must be a positive integer, got ${size}`);
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
