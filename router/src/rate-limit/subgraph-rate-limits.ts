import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import type { GenericErrorCode } from '@supergraph/server-kit/graphql';

const RATE_LIMITED: GenericErrorCode = 'RATE_LIMITED';

/** The headers of a subgraph's rate-limit refusal that the router passes on to the client. */
export const RATE_LIMIT_HEADERS = ['ratelimit', 'ratelimit-policy', 'retry-after'] as const;

/** Where the gateway keeps a subgraph's rate-limit headers for the rest of the request (see gateway.ts). */
export interface SubgraphRateLimitHolder {
  subgraphRateLimit?: Record<string, string>;
}

/**
 * Passes a subgraph's RATE_LIMITED (the users service's login and account limits, decision 022) on
 * as the router answered it when it kept those limits itself: the subgraph's RateLimit and
 * Retry-After headers on the answer (Retry-After from `retryAfter` when the subgraph sent none),
 * and 429 when nothing else was answered (no data). A partial answer stays 200.
 */
export const subgraphRateLimitsPlugin: ApolloServerPlugin<BaseContext> = {
  // The same listener for every request: the hook reads all it needs from the request's context.
  requestDidStart: async () => subgraphRateLimitsListener,
};

const subgraphRateLimitsListener: GraphQLRequestListener<BaseContext> = {
  async willSendResponse({ response, contextValue }) {
    if (response.body.kind !== 'single') return;
    const { data, errors } = response.body.singleResult;
    // The common answer: no errors at all.
    if (!errors) return;
    const limited = errors.filter((error) => error.extensions?.code === RATE_LIMITED);
    if (limited.length === 0) return;
    const retryAfter = Math.max(1, ...limited.map(({ extensions }) => Number(extensions?.retryAfter) || 1));
    const headers = (contextValue as SubgraphRateLimitHolder).subgraphRateLimit ?? {};
    response.http.headers.set('retry-after', String(Math.ceil(retryAfter)));
    for (const [name, value] of Object.entries(headers)) response.http.headers.set(name, value);
    if (data === null || data === undefined) response.http.status = 429;
  },
};
