import { describe, expect, it } from 'vitest';
import { readInBatches } from '../src/index.js';

describe('readInBatches', () => {
  it('groups items into batches of the size, the last one shorter', () => {
    expect([...readInBatches([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...readInBatches([1, 2, 3, 4], 2)]).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect([...readInBatches([], 3)]).toEqual([]);
  });

  it('pulls items only as far as the batch it yields', () => {
    let pulled = 0;
    function* count() {
      for (;;) {
        pulled += 1;
        yield pulled;
      }
    }
    const batches = readInBatches(count(), 3);
    expect(batches.next().value).toEqual([1, 2, 3]);
    expect(pulled).toBe(3);
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => [...readInBatches([1], 0)]).toThrow(/positive integer, got 0/);
  });
});
