import { describe, expect, it } from 'vitest';
import { encodeCursor, toConnectionPage } from '../src/graphql/pagination.js';
import {
  readAllPages,
  selectConnectionPage,
  testPageArgumentRefusals,
  type ConnectionPageResult,
  type PageArguments,
} from '../src/testing/connection-pages.js';

const ids = Array.from({ length: 23 }, (_, i) => `node-${String(i).padStart(2, '0')}`);

/** A connection over `list` that pages by index, as a subgraph's resolver would by its sort key. */
function servePages(list: readonly string[]) {
  return async ({ first, after }: PageArguments): Promise<ConnectionPageResult> => {
    const start = after === null ? 0 : Number(JSON.parse(Buffer.from(after, 'base64url').toString('utf8'))[0]) + 1;
    const rows = list.slice(start, start + first + 1).map((id) => ({ id }));
    const page = toConnectionPage(rows, first, (node) => encodeCursor([list.indexOf(node.id)]));
    return { totalCount: list.length, ...page };
  };
}

describe('readAllPages', () => {
  it('follows endCursor to the last page and returns every id in the order served, with the pages read', async () => {
    expect(await readAllPages(servePages(ids), { first: 10, totalCount: 23 })).toEqual({ ids, pages: 3 });
    expect(await readAllPages(servePages(ids), { first: 23, totalCount: 23 })).toEqual({ ids, pages: 1 });
  });

  it('reads an empty connection as one page without ids', async () => {
    expect(await readAllPages(servePages([]), { first: 10, totalCount: 0 })).toEqual({ ids: [], pages: 1 });
  });

  it.each([
    [
      'a totalCount that is not the one expected',
      (page: ConnectionPageResult) => ({ ...page, totalCount: 22 }),
      /expected 22 to be 23/,
    ],
    [
      'a short page before the last',
      (page: ConnectionPageResult) => ({ ...page, nodes: page.nodes.slice(1) }),
      /length of 10 but got 9/,
    ],
    [
      'edges out of step with the nodes',
      (page: ConnectionPageResult) => ({ ...page, edges: page.edges.slice(1) }),
      /deeply equal/,
    ],
    [
      'hasNextPage on the last page',
      (page: ConnectionPageResult) => ({ ...page, pageInfo: { ...page.pageInfo, hasNextPage: true } }),
      /expected true to be false/,
    ],
  ])('fails on %s', async (_case, spoil, failure) => {
    const serve = servePages(ids);
    await expect(readAllPages(async (page) => spoil(await serve(page)), { first: 10, totalCount: 23 })).rejects.toThrow(failure);
  });

  it('fails on a connection that serves the first page again instead of the next', async () => {
    const serve = servePages(ids);
    await expect(readAllPages((page) => serve({ ...page, after: null }), { first: 10, totalCount: 23 })).rejects.toThrow(
      /length of 3 but got 10/,
    );
  });
});

describe('selectConnectionPage', () => {
  it('asks for the count, the page info, the edges with cursors and ids, and the given node fields', () => {
    expect(selectConnectionPage('id name')).toBe(
      'totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } nodes { id name }',
    );
  });
});

describe('testPageArgumentRefusals over a connection that refuses as every subgraph does', () => {
  testPageArgumentRefusals(async ({ first }) => ({
    data: null,
    errors: [
      first === undefined
        ? { message: 'after is not a cursor this list gave out.', extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } }
        : {
            message: `first must be between 0 and 100, got ${first}.`,
            extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
          },
    ],
  }));
});
