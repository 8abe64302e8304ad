import { Kind, type FieldNode } from 'graphql';
import { BadUserInputError } from './errors.js';

/** The largest page any connection serves, backward (`last`) as forward (`first`). */
export const MAX_PAGE_SIZE = 100;

/** Relay's PageInfo. */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A Relay connection before its totalCount, which a resolver computes only when asked for. */
export interface ConnectionPage<TNode> {
  edges: { cursor: string; node: TNode }[];
  nodes: TNode[];
  pageInfo: PageInfo;
}

/** A connection field's arguments as its resolver receives them: Relay's forward and backward pairs. */
export interface ConnectionArguments {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * One page of a list, read from a connection's arguments. `forward` is the first `size` items
 * (Relay's `first`), `backward` the last `size` items (`last`), of the part of the list that lies
 * after `after` and before `before`; the page's items are in the list's order either way.
 */
export interface PageWindow<TCursor> {
  direction: 'forward' | 'backward';
  size: number;
  after: TCursor | null;
  before: TCursor | null;
}

type CursorPart = string | number;
type CursorKinds = readonly ('string' | 'number')[];
type CursorValues<K extends CursorKinds> = { [I in keyof K]: K[I] extends 'string' ? string : number };

/** Where a field's arguments were written: a resolver's `info`, or the field and variables the router measures. */
export interface ArgumentSource {
  fieldNodes: readonly FieldNode[];
  variableValues: Record<string, unknown>;
}

/**
 * Whether the operation itself passes `name` to the field (a literal, or a variable the request
 * gives a value, the variable's own default included), rather than leaving the schema's default
 * to stand in for it. graphql-js hands resolvers the default either way.
 */
export function isArgumentGiven({ fieldNodes, variableValues }: ArgumentSource, name: string): boolean {
  const argument = fieldNodes[0]?.arguments?.find((node) => node.name.value === name);
  if (!argument) return false;
  return argument.value.kind !== Kind.VARIABLE || Object.hasOwn(variableValues, argument.value.name.value);
}

/**
 * The arguments without the schema's default of `first` when the operation asks for `last`: the
 * default is the list's usual page forward, so `last: 5` alone reads backward instead of clashing
 * with it. A `first` the operation passes stays, and meets `last` in readPageWindow's refusal.
 */
export function omitDefaultFirst<TArgs extends { first?: unknown; last?: unknown }>(args: TArgs, source: ArgumentSource): TArgs {
  const asksForLast = args.last !== null && args.last !== undefined;
  return asksForLast && !isArgumentGiven(source, 'first') ? { ...args, first: undefined } : args;
}

/**
 * Reads a connection's arguments into the page to serve: `first` pages forward (`defaultSize`
 * when neither `first` nor `last` is given), `last` backward, each a whole number from 0 to
 * MAX_PAGE_SIZE; both together, a bad size or a cursor this list did not give out answer
 * BAD_USER_INPUT naming the argument. `source` tells a passed `first` from the schema's default.
 */
export function readPageWindow<const K extends CursorKinds>(
  args: ConnectionArguments,
  source: ArgumentSource,
  { cursor: kinds, defaultSize = 20 }: { cursor: K; defaultSize?: number },
): PageWindow<CursorValues<K>> {
  const { first, after, last, before } = omitDefaultFirst(args, source);
  const isBackward = last !== null && last !== undefined;
  if (isBackward && first !== null && first !== undefined) {
    throw new BadUserInputError('first and last cannot be given together: first pages forward, last pages backward.', 'last');
  }
  return {
    direction: isBackward ? 'backward' : 'forward',
    size: isBackward ? checkPageSize(last, 'last') : checkPageSize(first ?? defaultSize, 'first'),
    after: after ? decodeCursor(after, kinds, 'after') : null,
    before: before ? decodeCursor(before, kinds, 'before') : null,
  };
}

function checkPageSize(size: number, argumentName: 'first' | 'last'): number {
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${argumentName} must be between 0 and ${MAX_PAGE_SIZE}, got ${size}.`, argumentName);
  }
  return size;
}

/** Opaque cursor: base64url of a JSON array of the sort key's values (numbers are whole: ids, epoch ms). */
export function encodeCursor(values: readonly CursorPart[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * Reads a cursor produced by encodeCursor and checks it has the expected shape; anything else
 * is the client's mistake and answers BAD_USER_INPUT naming the argument it came in
 * (`after` unless told).
 */
export function decodeCursor<const K extends CursorKinds>(
  cursor: string,
  kinds: K,
  argumentName: 'after' | 'before' = 'after',
): CursorValues<K> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  const isValid =
    Array.isArray(values) &&
    values.length === kinds.length &&
    values.every((value, i) => typeof value === kinds[i] && (typeof value !== 'number' || isCursorNumber(value)));
  if (!isValid) throw new BadUserInputError(`${argumentName} is not a cursor this list gave out.`, argumentName);
  return values as CursorValues<K>;
}

/** The largest time a Date holds, in ms: a cursor's numbers (times, amounts) stay within it, so a crafted one cannot become an Invalid Date in SQL. */
const MAX_CURSOR_NUMBER = 8.64e15;

function isCursorNumber(value: number): boolean {
  return Number.isSafeInteger(value) && Math.abs(value) <= MAX_CURSOR_NUMBER;
}

/**
 * Builds a page from the rows a store read for `window`: at most size + 1 of them, in the list's
 * order forward and in reverse backward (the store reads from the far end), the extra row saying
 * only that more items lie beyond the page in the direction read. The other side has items when
 * the client passed a cursor there, which this list gave out for an item on that side.
 */
export function toConnectionPage<TNode>(
  rows: readonly TNode[],
  window: PageWindow<unknown>,
  cursorOf: (node: TNode) => string,
): ConnectionPage<TNode> {
  const isForward = window.direction === 'forward';
  const hasMore = rows.length > window.size;
  const read = rows.slice(0, window.size);
  const nodes = isForward ? read : read.reverse();
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: (isForward && hasMore) || window.before !== null,
      hasPreviousPage: (!isForward && hasMore) || window.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * What a connection resolver returns: the page, plus a thunk that counts the whole list. The
 * `totalCount` field calls it, so the COUNT query runs only when a client asks for it.
 */
export interface Connection<TNode> extends ConnectionPage<TNode> {
  countTotal(): Promise<number>;
}
