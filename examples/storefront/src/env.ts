// The storefront's settings, read once. Vite replaces import.meta.env.VITE_* with their values when
// it builds (or serves) the app, so a setting is fixed at build time, not read in the browser.

const DEFAULT_GRAPHQL_URL = 'http://localhost:4000/graphql';

function readGraphQLUrl(value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_GRAPHQL_URL;
  if (!URL.canParse(value)) throw new Error(`VITE_GRAPHQL_URL: "${value}" is not a URL, such as ${DEFAULT_GRAPHQL_URL}`);
  return value;
}

export const env = {
  /** The router's GraphQL endpoint (VITE_GRAPHQL_URL). Default: http://localhost:4000/graphql. */
  graphqlUrl: readGraphQLUrl(import.meta.env.VITE_GRAPHQL_URL),
};
