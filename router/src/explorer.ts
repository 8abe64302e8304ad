import { Router } from 'express';

/** Where the offline explorer is served in development, beside Apollo Sandbox at /graphql. */
export const EXPLORER_PATH = '/graphiql';

// Imported by a name TypeScript does not follow: the package's types come from graphql-yoga, whose
// DOM typings would otherwise leak into every file of the program (fetch's Response among them).
const RENDER_GRAPHIQL: string = '@graphql-yoga/render-graphiql';

/** The options of renderGraphiQL this router sets (graphql-yoga's GraphiQLOptions). */
interface ExplorerOptions {
  title: string;
  endpoint: string;
  defaultQuery: string;
  shouldPersistHeaders: boolean;
}

const DEFAULT_QUERY = `# GraphiQL, served by the router from node_modules: it works without internet.
# Apollo Sandbox (online) is at /graphql; the reference operations are in operations/.
# Accounts and orders need a signed-in caller: run the Login mutation, then set
# {"authorization": "Bearer <accessToken>"} in Headers below.
{ products(first: 5) { totalCount nodes { id name price { amount currency } } } }
`;

/**
 * GraphiQL for development, with every asset inline in one page (`@graphql-yoga/render-graphiql`
 * bundles GraphiQL, its editor and workers): nothing is fetched from a CDN, so it works offline,
 * where Apollo Sandbox's landing page cannot load. The bundle (about 9 MB) is read on the first
 * request, not at start. Production serves no explorer: index.ts does not mount this.
 */
export function createExplorerRoutes(graphqlPath = '/graphql'): Router {
  let page: Promise<string> | undefined;
  const render = async () => {
    const { renderGraphiQL } = (await import(RENDER_GRAPHIQL)) as { renderGraphiQL: (options: ExplorerOptions) => string };
    return renderGraphiQL({
      title: 'Supergraph GraphiQL',
      endpoint: graphqlPath,
      defaultQuery: DEFAULT_QUERY,
      shouldPersistHeaders: false,
    });
  };
  const routes = Router();
  routes.get(EXPLORER_PATH, async (_req, res) => {
    // Rendered once; a failed render is tried again on the next request instead of failing for good.
    page ??= render().catch((error: unknown) => {
      page = undefined;
      throw error;
    });
    res
      .type('html')
      .set('cache-control', 'no-cache')
      .send(await page);
  });
  return routes;
}
