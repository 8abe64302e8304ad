import { expect, it } from 'vitest';
import type { PageInfo } from '../graphql/pagination.js';
import type { ExecuteResult } from './subgraph-harness.js';

/**
 * The selection a connection test asks for: the count, the page info, each edge's cursor and node
 * id, and `nodeFields` on every node. readAllPages needs all of it to check a page.
 */
export function selectConnectionPage(nodeFields: string): string {
  return `totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } nodes { ${nodeFields} }`;
}

/** One page of a connection as selectConnectionPage asks for it. */
export interface ConnectionPageResult {
  totalCount: number;
  pageInfo: PageInfo;
  edges: readonly { cursor: string; node: { id: string } }[];
  nodes: readonly { id: string }[];
}

/** The arguments of one page: its size, and the cursor to continue after (null for the first page). */
// A type, not an interface, so it passes as an operation's variables.
export type PageArguments = {
  first: number;
  after: string | null;
};

/**
 * Follows endCursor from the first page to the last, `first` nodes at a time, checking every page on
 * the way: the same totalCount, `first` nodes (fewer only on the last page), edges in step with nodes,
 * and hasNextPage until the last page only. Returns the node ids in the order served and the number
 * of pages, for the caller to hold against the order its connection promises.
 */
export async function readAllPages(
  readPage: (page: PageArguments) => Promise<ConnectionPageResult>,
  { first, totalCount }: { first: number; totalCount: number },
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const page = await readPage({ first, after });
    expect(page.totalCount).toBe(totalCount);
    expect(page.nodes).toHaveLength(Math.min(first, totalCount - ids.length));
    expect(page.edges.map((edge) => edge.node.id)).toEqual(page.nodes.map((node) => node.id));
    ids.push(...page.nodes.map((node) => node.id));
    expect(page.pageInfo.hasNextPage).toBe(ids.length < totalCount);
    if (!page.pageInfo.hasNextPage) return { ids, pages };
    after = page.pageInfo.endCursor;
  }
}

/**
 * The refusals every connection's arguments share, as two tests of the calling suite: a page size
 * over 100 and a cursor the service did not give out, each BAD_USER_INPUT naming its argument.
 * `execute` runs the connection's query with the given variables.
 */
export function testPageArgumentRefusals(execute: (variables: Partial<PageArguments>) => Promise<ExecuteResult>): void {
  it('rejects a page size above 100 with BAD_USER_INPUT naming `first`', async () => {
    const result = await execute({ first: 101 });
    expect(result.errors?.[0]?.message).toBe('first must be between 0 and 100, got 101.');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });

  it('rejects a cursor it did not give out with BAD_USER_INPUT naming `after`', async () => {
    // base64 of "not-a-cursor": well-formed enough to reach the decoder, which refuses it.
    const result = await execute({ after: 'bm90LWEtY3Vyc29y' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });
}
