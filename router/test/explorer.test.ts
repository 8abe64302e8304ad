import { describe, expect, it } from 'vitest';
import { keys, startRouter } from './router-harness.js';

// The offline explorer: GraphiQL with every asset in the page, so it loads without internet.

const explorerUrl = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/graphiql');

describe('GET /graphiql', () => {
  it('serves GraphiQL in development with its script, styles and editor workers inline, nothing from another host', async () => {
    const url = await startRouter();

    const response = await fetch(explorerUrl(url));
    const page = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(page).toContain('"endpoint":"/graphql"');
    expect(page).toContain('{ products(first: 5) { totalCount');
    // No <script src>, <link href> or CSS import that leaves this router.
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+rel="stylesheet"|@import\s+url\(\s*["']?https?:/);
  });

  it('is not served in production', async () => {
    const url = await startRouter({ NODE_ENV: 'production', JWT_PUBLIC_KEY: keys.publicKeyPem });

    const response = await fetch(explorerUrl(url));

    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('GraphiQL');
  });
});
