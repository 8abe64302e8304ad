import { GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  isArgumentGiven,
  omitDefaultFirst,
  readPageWindow,
  toConnectionPage,
  type ArgumentSource,
  type ConnectionArguments,
  type PageWindow,
} from '../src/graphql/pagination.js';

/** Where a field's arguments were written, as a resolver's `info` says: `field` is `list(...)` in an operation. */
function sourceOf(field: string, variableValues: Record<string, unknown> = {}): ArgumentSource {
  const operation = parse(`query ($n: Int, $cursor: String) { ${field} }`).definitions[0] as OperationDefinitionNode;
  const [node] = operation.selectionSet.selections;
  if (node?.kind !== Kind.FIELD) throw new Error(`not a field: ${field}`);
  return { fieldNodes: [node], variableValues };
}

/** The page `args` ask for, read as a resolver reads them; `field` is how the operation wrote the field. */
function windowOf(args: ConnectionArguments, field = 'list', defaultSize?: number) {
  return readPageWindow(args, sourceOf(field), { cursor: ['number'], defaultSize });
}

/** The error `read` throws, for its code and argument. */
function refusalOf(read: () => unknown): GraphQLError {
  try {
    read();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

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
    // A safe integer, but past the last time a Date holds: on Postgres it would reach SQL as an Invalid Date.
    ['a time no Date can hold', encodeCursor([9e15, 'x'])],
  ])('rejects %s with BAD_USER_INPUT naming `after`', (_case, cursor) => {
    const refusal = refusalOf(() => decodeCursor(cursor, ['number', 'string'] as const));
    expect(refusal.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });

  it('names `before` when the cursor came as `before`', () => {
    const refusal = refusalOf(() => decodeCursor('not a cursor!', ['number'] as const, 'before'));
    expect(refusal.message).toBe('before is not a cursor this list gave out.');
    expect(refusal.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'before' });
  });
});

describe('readPageWindow', () => {
  it('pages forward by the default size for `first` null or absent, and accepts 0 to 100', () => {
    expect(windowOf({}, 'list', 20)).toEqual({ direction: 'forward', size: 20, after: null, before: null });
    expect(windowOf({ first: null }, 'list', 10).size).toBe(10);
    expect(windowOf({ first: 0 }).size).toBe(0);
    expect(windowOf({ first: 100 }).size).toBe(100);
    expect(windowOf({ last: 0 }).size).toBe(0);
    expect(windowOf({ last: 100 })).toEqual({ direction: 'backward', size: 100, after: null, before: null });
  });

  it('rejects sizes outside 0 to 100 naming `first` or `last`', () => {
    expect(() => windowOf({ first: 101 })).toThrow('first must be between 0 and 100, got 101.');
    expect(() => windowOf({ first: -1 })).toThrow('first must be between 0 and 100, got -1.');
    expect(() => windowOf({ last: 101 }, 'list(last: 101)')).toThrow('last must be between 0 and 100, got 101.');
    expect(refusalOf(() => windowOf({ last: -1 })).extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'last' });
  });

  it('decodes both cursors, which may bound a page on either side', () => {
    const [after, before] = [encodeCursor([3]), encodeCursor([9])];
    expect(windowOf({ last: 2, after, before })).toEqual({ direction: 'backward', size: 2, after: [3], before: [9] });
    expect(refusalOf(() => windowOf({ before: 'not a cursor!' })).extensions).toMatchObject({ argumentName: 'before' });
  });

  it('reads `last` alone backward, though the schema gives `first` a default', () => {
    // graphql-js passes the default of `first: Int = 20` to the resolver of `list(last: 5)`.
    expect(windowOf({ first: 20, last: 5 }, 'list(last: 5)')).toMatchObject({ direction: 'backward', size: 5 });
    expect(windowOf({ first: 20, last: 5 }, 'list(first: $n, last: 5)')).toMatchObject({ direction: 'backward', size: 5 });
  });

  it('refuses `first` and `last` the operation passes together, naming `last`', () => {
    const refusal = refusalOf(() => windowOf({ first: 20, last: 5 }, 'list(first: 20, last: 5)'));
    expect(refusal.message).toBe('first and last cannot be given together: first pages forward, last pages backward.');
    expect(refusal.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'last' });
  });
});

describe('isArgumentGiven and omitDefaultFirst', () => {
  it('count a literal, null included, and a variable the request gives a value, not an absent argument or variable', () => {
    expect(isArgumentGiven(sourceOf('list(first: 3)'), 'first')).toBe(true);
    expect(isArgumentGiven(sourceOf('list(first: null)'), 'first')).toBe(true);
    expect(isArgumentGiven(sourceOf('list(first: $n)', { n: 3 }), 'first')).toBe(true);
    expect(isArgumentGiven(sourceOf('list(first: $n)'), 'first')).toBe(false);
    expect(isArgumentGiven(sourceOf('list(last: 3)'), 'first')).toBe(false);
  });

  it('drop `first` only where it is the default and `last` is asked for', () => {
    expect(omitDefaultFirst({ first: 20, last: 5 }, sourceOf('list(last: 5)'))).toEqual({ first: undefined, last: 5 });
    expect(omitDefaultFirst({ first: 20, last: 5 }, sourceOf('list(first: 20, last: 5)'))).toEqual({ first: 20, last: 5 });
    expect(omitDefaultFirst({ first: 20, last: null }, sourceOf('list'))).toEqual({ first: 20, last: null });
  });
});

describe('toConnectionPage', () => {
  const forward = (size: number, after: string | null = null): PageWindow<string> => ({
    direction: 'forward',
    size,
    after,
    before: null,
  });
  const backward = (size: number, before: string | null = null): PageWindow<string> => ({
    direction: 'backward',
    size,
    after: null,
    before,
  });

  it('uses the extra row only to say that a next page exists', () => {
    const page = toConnectionPage(['a', 'b', 'c'], forward(2), (node) => `cursor-${node}`);
    expect(page).toEqual({
      nodes: ['a', 'b'],
      edges: [
        { cursor: 'cursor-a', node: 'a' },
        { cursor: 'cursor-b', node: 'b' },
      ],
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: 'cursor-a', endCursor: 'cursor-b' },
    });
    expect(toConnectionPage([], forward(2), String).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it("puts a backward page, read from its far end, back in the list's order, the extra row saying a previous page exists", () => {
    const page = toConnectionPage(['z', 'y', 'x'], backward(2), (node) => `cursor-${node}`);
    expect(page.nodes).toEqual(['y', 'z']);
    expect(page.edges.map((edge) => edge.cursor)).toEqual(['cursor-y', 'cursor-z']);
    expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: 'cursor-y', endCursor: 'cursor-z' });
    expect(toConnectionPage(['z', 'y'], backward(2), String).pageInfo.hasPreviousPage).toBe(false);
  });

  it('says items lie on the side a cursor was passed for', () => {
    expect(toConnectionPage(['c'], forward(2, 'b'), String).pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
    expect(toConnectionPage(['a'], backward(2, 'b'), String).pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
    });
  });
});
