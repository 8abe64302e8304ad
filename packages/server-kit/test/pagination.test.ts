import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, resolvePageSize, toConnectionPage } from '../src/graphql/pagination.js';

describe('cursors', () => {
  it('round-trips the sort key through an opaque string', () => {
    const cursor = encodeCursor([1767225600000, 'f2b8c3e4']);
    expect(cursor).not.toContain('f2b8c3e4');
    expect(decodeCursor(cursor, ['number', 'string'] as const)).toEqual([1767225600000, 'f2b8c3e4']);
  });

  it.each([
    ['not base64 JSON', 'not a cursor!'],
    ['the wrong shape', encodeCursor(['a', 'b'])],
    ['too few parts', encodeCursor([1])],
    ['a fractional number', encodeCursor([1.5, 'x'])],
    ['a number beyond the safe integers', encodeCursor([1e300, 'x'])],
  ])('rejects %s with BAD_USER_INPUT naming `after`', (_case, cursor) => {
    let caught: unknown;
    try {
      decodeCursor(cursor, ['number', 'string'] as const);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GraphQLError);
    expect((caught as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });
});

describe('resolvePageSize', () => {
  it('uses the default for null or absent and accepts 0 to 100', () => {
    expect(resolvePageSize(undefined, 20)).toBe(20);
    expect(resolvePageSize(null, 10)).toBe(10);
    expect(resolvePageSize(0)).toBe(0);
    expect(resolvePageSize(100)).toBe(100);
  });

  it('rejects sizes outside 0 to 100 naming `first`', () => {
    expect(() => resolvePageSize(101)).toThrow('first must be between 0 and 100, got 101.');
    expect(() => resolvePageSize(-1)).toThrow('first must be between 0 and 100, got -1.');
  });
});

describe('toConnectionPage', () => {
  it('uses the extra row only to say that a next page exists', () => {
    const page = toConnectionPage(['a', 'b', 'c'], 2, (node) => `cursor-${node}`);
    expect(page).toEqual({
      nodes: ['a', 'b'],
      edges: [
        { cursor: 'cursor-a', node: 'a' },
        { cursor: 'cursor-b', node: 'b' },
      ],
      pageInfo: { hasNextPage: true, endCursor: 'cursor-b' },
    });
    expect(toConnectionPage([], 2, String).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
