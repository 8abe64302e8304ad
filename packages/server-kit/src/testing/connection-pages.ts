import { expect, it } from 'vitest';
import type { PageInfo } from '../graphql/pagination.js';
import type { ExecuteResult } from './subgraph-harness.js';

/**
 * The selection a connection test asks for: the count, the whole page info, each edge's cursor and
 * node id, and `nodeFields` on every node. readAllPages needs all of it to check a page.
 */
export function selectConnectionPage(nodeFields: string): string {
  return `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } nodes { ${nodeFields} }`;
}

/** One page of a connection as selectConnectionPage asks for it. */
export interface ConnectionPageResult {
  totalCount: number;
  pageInfo: PageInfo;
  edges: readonly { cursor: string; node: { id: string } }[];
  nodes: readonly { id: string }[];
}

/**
 * The arguments of one page: forward, its size and the cursor to continue after; backward, its
 * size and the cursor to continue before. The cursor is null for the page read first.
 */
// Types, not interfaces, so they pass as an operation's variables.
export type ForwardPageArguments = { first: number; after: string | null };
export type BackwardPageArguments = { last: number; before: string | null };
export type PageArguments = ForwardPageArguments | BackwardPageArguments;

/**
 * Reads a whole connection a page at a time: with `first`, from the first page forward following
 * endCursor; with `last`, from the last page backward following startCursor. Every page is checked
 * on the way: the same totalCount, a full page (short only at the far end), edges in step with
 * nodes, startCursor and endCursor those of its first and last edge, hasNextPage and
 * hasPreviousPage exact. Returns the node ids in the list's order and the number of pages, for
 * the caller to hold against the order its connection promises.
 */
export async function readAllPages(
  readPage: (page: PageArguments) => Promise<ConnectionPageResult>,
  size: ({ first: number } | { last: number }) & { totalCount: number },
): Promise<{ ids: string[]; pages: number }> {
  const isForward = 'first' in size;
  const pageSize = 'first' in size ? size.first : size.last;
  const { totalCount } = size;
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 1; ; pages++) {
    const page = await readPage(isForward ? { first: pageSize, after: cursor } : { last: pageSize, before: cursor });
    const pageIds = page.nodes.map((node) => node.id);
    expect(page.totalCount).toBe(totalCount);
    expect(pageIds).toHaveLength(Math.min(pageSize, totalCount - ids.length));
    expect(page.edges.map((edge) => edge.node.id)).toEqual(pageIds);
    if (isForward) ids.push(...pageIds);
    else ids.unshift(...pageIds);
    const isFarEnd = ids.length === totalCount;
    // The direction read ends at the far end; the other side has items once a cursor was passed.
    expect(page.pageInfo.hasNextPage).toBe(isForward ? !isFarEnd : cursor !== null);
    expect(page.pageInfo.hasPreviousPage).toBe(isForward ? cursor !== null : !isFarEnd);
    expect([page.pageInfo.startCursor, page.pageInfo.endCursor]).toEqual([
      page.edges[0]?.cursor ?? null,
      page.edges.at(-1)?.cursor ?? null,
    ]);
    if (isFarEnd) return { ids, pages };
    cursor = isForward ? page.pageInfo.endCursor : page.pageInfo.startCursor;
  }
}

/** The variables of testPageArgumentRefusals' requests: any of a connection's page arguments. */
export type PageVariables = Partial<{ first: number; after: string; last: number; before: string }>;

/**
 * The refusals every connection's arguments share, as tests of the calling suite, each
 * BAD_USER_INPUT naming its argument: a page size over 100 (`first` or `last`), a cursor the
 * service did not give out (`after` or `before`), and `first` and `last` together. `execute` runs
 * the connection's query with the given variables.
 */
export function testPageArgumentRefusals(execute: (variables: PageVariables) => Promise<ExecuteResult>): void {
  it.each(['first', 'last'] as const)('rejects a page size above 100 with BAD_USER_INPUT naming `%s`', async (argument) => {
    const result = await execute({ [argument]: 101 });
    expect(result.errors?.[0]?.message).toBe(`${argument} must be between 0 and 100, got 101.`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: argument });
  });

  it.each(['after', 'before'] as const)(
    'rejects a cursor it did not give out with BAD_USER_INPUT naming `%s`',
    async (argument) => {
      // base64 of "not-a-cursor": well-formed enough to reach the decoder, which refuses it.
      const result = await execute({ [argument]: 'bm90LWEtY3Vyc29y' });
      expect(result.errors?.[0]?.message).toBe(`${argument} is not a cursor this list gave out.`);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: argument });
    },
  );

  it('rejects a crafted cursor whose time no Date can hold with BAD_USER_INPUT, not a failed statement', async () => {
    const crafted = Buffer.from(JSON.stringify([9e15, '00000000-0000-0000-0000-000000000000'])).toString('base64url');
    const result = await execute({ after: crafted });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });

  it('rejects `first` and `last` together with BAD_USER_INPUT naming `last`', async () => {
    const result = await execute({ first: 5, last: 5 });
    expect(result.errors?.[0]?.message).toBe(
      'first and last cannot be given together: first pages forward, last pages backward.',
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'last' });
  });
}
