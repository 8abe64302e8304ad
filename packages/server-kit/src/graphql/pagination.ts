import { BadUserInputError } from './errors.js';

/** The largest page any connection serves. */
export const MAX_PAGE_SIZE = 100;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A Relay connection before its totalCount, which a resolver computes only when asked for. */
export interface ConnectionPage<TNode> {
  edges: { cursor: string; node: TNode }[];
  nodes: TNode[];
  pageInfo: PageInfo;
}

/** Checks `first`: a whole number from 0 to MAX_PAGE_SIZE; null or absent means `defaultSize`. */
export function resolvePageSize(first: number | null | undefined, defaultSize = 20): number {
  if (first === null || first === undefined) return defaultSize;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE_SIZE}, got ${first}.`, 'first');
  }
  return first;
}

type CursorPart = string | number;
type CursorKinds = readonly ('string' | 'number')[];
type CursorValues<K extends CursorKinds> = { [I in keyof K]: K[I] extends 'string' ? string : number };

/** Opaque cursor: base64url of a JSON array of the sort key's values (numbers are whole: ids, epoch ms). */
export function encodeCursor(values: readonly CursorPart[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * Reads a cursor produced by encodeCursor and checks it has the expected shape; anything else
 * is the client's mistake and answers BAD_USER_INPUT naming the `after` argument.
 */
export function decodeCursor<const K extends CursorKinds>(cursor: string, kinds: K): CursorValues<K> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  const isValid =
    Array.isArray(values) &&
    values.length === kinds.length &&
    values.every((value, i) => typeof value === kinds[i] && (typeof value !== 'number' || Number.isSafeInteger(value)));
  if (!isValid) throw new BadUserInputError('after is not a cursor this list gave out.', 'after');
  return values as CursorValues<K>;
}

/**
 * Builds a page from rows fetched with LIMIT pageSize + 1: the extra row, if present, only says
 * that another page follows.
 */
export function toConnectionPage<TNode>(
  rows: readonly TNode[],
  pageSize: number,
  cursorOf: (node: TNode) => string,
): ConnectionPage<TNode> {
  const nodes = rows.slice(0, pageSize);
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > pageSize, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/**
 * What a connection resolver returns: the page, plus a thunk that counts the whole list. The
 * `totalCount` field calls it, so the COUNT query runs only when a client asks for it.
 */
export interface Connection<TNode> extends ConnectionPage<TNode> {
  countTotal(): Promise<number>;
}
