import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import { refreshSession } from '../auth/session-mutations';
import { createAuthHeaderLink, createTokenRefreshLink } from './auth-links';
import { createCache } from './cache';

/**
 * The one Apollo Client of the app. A request goes through the links in order:
 * 1. token refresh: an UNAUTHENTICATED answer is retried once with a fresh token pair;
 * 2. auth header: `Authorization: Bearer <access token>` when signed in;
 * 3. persisted queries: sends the operation's id from the persisted query list instead of its
 *    text, so a router with PERSISTED_OPERATIONS=safelist runs it;
 * 4. HTTP: POSTs to the router.
 */
export function createApolloClient(graphqlUrl: string): ApolloClient {
  const persistedQueries = new PersistedQueryLink(
    generatePersistedQueryIdsFromManifest({
      // Loaded on first use, in a chunk of its own; `npm run codegen` writes it from operations/.
      loadManifest: () =>
        import('../../../../operations/__generated__/persisted-query-manifest.json').then((module) => module.default),
    }),
  );
  const client: ApolloClient = new ApolloClient({
    link: ApolloLink.from([
      createTokenRefreshLink(() => refreshSession(client)),
      createAuthHeaderLink(),
      persistedQueries,
      new HttpLink({ uri: graphqlUrl }),
    ]),
    cache: createCache(),
  });
  return client;
}
