import { describe, expect, it } from 'vitest';
import { encodeCursor, toConnectionPage, type PageWindow } from '../src/graphql/pagination.js';
import {
  readAllPages,
  selectConnectionPage,
  testPageArgumentRefusals,
  type ConnectionPageResult,
  type PageArguments,
} from '../src/testing/connection-pages.js';

const ids = Array.from({ length: 23 }, (_, i) => `node-${String(i).padStart(2, '0')}`);

/** A connection over `list` that pages by index both ways, as a subgraph's resolver would by its sort key. */
function servePages(list: readonly string[]) {
  const indexOf = (cursor: string | null) =>
    cursor === null ? null : Number(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))[0]);
  return async (page: PageArguments): Promise<ConnectionPageResult> => {
    const window: PageWindow<number> =
      'first' in page
        ? { direction: 'forward', size: page.first, after: indexOf(page.after), before: null }
        : { direction: 'backward', size: page.last, after: null, before: indexOf(page.before) };
    const start = window.after === null ? 0 : window.after + 1;
    const end = window.before === null ? list.length : window.before;
    // Read from the far end backward, as a store does: the rows nearest `before` first.
    const slice = list.slice(start, end);
    const read = window.direction === 'forward' ? slice.slice(0, window.size + 1) : slice.reverse().slice(0, window.size + 1);
    const rows = read.map((id) => ({ id }));
    return { totalCount: list.length, ...toConnectionPage(rows, window, (node) => encodeCursor([list.indexOf(node.id)])) };
  };
}

describe('readAllPages', () => {
  it('follows endCursor to the last page and returns every id in the order served, with the pages read', async () => {
    expect(await readAllPages(servePages(ids), { first: 10, totalCount: 23 })).toEqual({ ids, pages: 3 });
    expect(await readAllPages(servePages(ids), { first: 23, totalCount: 23 })).toEqual({ ids, pages: 1 });
  });

  it("follows startCursor back from the last page with `last`, and returns the ids in the list's order", async () => {
    expect(await readAllPages(servePages(ids), { last: 10, totalCount: 23 })).toEqual({ ids, pages: 3 });
    expect(await readAllPages(servePages(ids), { last: 23, totalCount: 23 })).toEqual({ ids, pages: 1 });
  });

  it('reads an empty connection as one page without ids', async () => {
    expect(await readAllPages(servePages([]), { first: 10, totalCount: 0 })).toEqual({ ids: [], pages: 1 });
    expect(await readAllPages(servePages([]), { last: 10, totalCount: 0 })).toEqual({ ids: [], pages: 1 });
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
    [
      'hasPreviousPage on the first page',
      (page: ConnectionPageResult) => ({ ...page, pageInfo: { ...page.pageInfo, hasPreviousPage: true } }),
      /expected true to be false/,
    ],
    [
      "a startCursor that is not the first edge's",
      (page: ConnectionPageResult) => ({ ...page, pageInfo: { ...page.pageInfo, startCursor: page.pageInfo.endCursor } }),
      /deeply equal/,
    ],
  ])('fails on %s', async (_case, spoil, failure) => {
    const serve = servePages(ids);
    await expect(readAllPages(async (page) => spoil(await serve(page)), { first: 10, totalCount: 23 })).rejects.toThrow(failure);
  });

  it('fails on a backward page without hasPreviousPage before the first page', async () => {
    const serve = servePages(ids);
    const spoiled = async (page: PageArguments) => {
      const served = await serve(page);
      return { ...served, pageInfo: { ...served.pageInfo, hasPreviousPage: false } };
    };
    await expect(readAllPages(spoiled, { last: 10, totalCount: 23 })).rejects.toThrow(/expected false to be true/);
  });

  it('fails on a connection that serves the first page again instead of the next', async () => {
    const serve = servePages(ids);
    // The second page says no page precedes it: it is the first again. Were its flags right, the
    // third page would be 10 items where 3 remain.
    await expect(readAllPages((page) => serve({ ...page, after: null }), { first: 10, totalCount: 23 })).rejects.toThrow(
      /expected false to be true/,
    );
    const withFlagsOfTheNextPage = async (page: PageArguments) => {
      const served = await serve({ ...page, after: null });
      return { ...served, pageInfo: { ...served.pageInfo, hasPreviousPage: 'after' in page && page.after !== null } };
    };
    await expect(readAllPages(withFlagsOfTheNextPage, { first: 10, totalCount: 23 })).rejects.toThrow(/length of 3 but got 10/);
  });
});

describe('selectConnectionPage', () => {
  it('asks for the count, the page info, the edges with cursors and ids, and the given node fields', () => {
    expect(selectConnectionPage('id name')).toBe(
      'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } nodes { id name }',
    );
  });
});

describe('testPageArgumentRefusals over a connection that refuses as every subgraph does', () => {
  testPageArgumentRefusals(async ({ first, last, after }) => {
    const refuse = (message: string, argumentName: string) => ({
      data: null,
      errors: [{ message, extensions: { code: 'BAD_USER_INPUT', argumentName } }],
    });
    if (first !== undefined && last !== undefined)
      return refuse('first and last cannot be given together: first pages forward, last pages backward.', 'last');
    if (first !== undefined) return refuse(`first must be between 0 and 100, got ${first}.`, 'first');
    if (last !== undefined) return refuse(`last must be between 0 and 100, got ${last}.`, 'last');
    const cursor = after === undefined ? 'before' : 'after';
    return refuse(`${cursor} is not a cursor this list gave out.`, cursor);
  });
});
