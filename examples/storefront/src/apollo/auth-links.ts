import type { ApolloLink } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { from, of, switchMap, throwError } from 'rxjs';
import { getSession } from '../auth/session';
import { hasErrorCode } from '../errors/graphql-error';

declare module '@apollo/client' {
  interface DefaultContext {
    /** The request's HTTP headers, which HttpLink sends. */
    headers?: Record<string, string>;
    /** The access token the request was last sent with; undefined when it went without one. */
    sentAccessToken?: string;
    /** Set on a request sent again after a token refresh, so that it is refreshed at most once. */
    isRetryAfterRefresh?: boolean;
  }
}

// Signing in, refreshing and signing out need no access token, and must not carry an expired one:
// the router refuses a bad token with 401 before it looks at the operation.
const SESSION_OPERATIONS = new Set(['Login', 'RefreshToken', 'Logout']);

/**
 * Sends the signed-in customer's access token as `Authorization: Bearer <token>`, and remembers it
 * in the context. A request sent again goes through here again: with the session's token as it is
 * then, or with none once the customer is signed out.
 */
export function createAuthHeaderLink(): ApolloLink {
  return new SetContextLink((context, operation) => {
    const session = getSession();
    const headers = { ...context.headers };
    delete headers['authorization'];
    if (!session || SESSION_OPERATIONS.has(operation.operationName ?? '')) return { headers, sentAccessToken: undefined };
    return { headers: { ...headers, authorization: `Bearer ${session.accessToken}` }, sentAccessToken: session.accessToken };
  });
}

/**
 * When a request sent with an access token comes back UNAUTHENTICATED (the token expired or was
 * revoked; the router answers 401), sends it again once with the session's token as it is then.
 * If the session still holds the refused token, the refresh token is first traded for a new pair
 * (`refreshTokens`). If it already changed, nothing is traded: a refresh finished while the request
 * was on its way, or the customer was signed out (the request then goes without a token). When the
 * refresh fails and the session keeps the refused token (the router unreachable), the first answer
 * is passed on as it was.
 */
export function createTokenRefreshLink(refreshTokens: () => Promise<unknown>): ApolloLink {
  return new ErrorLink(({ error, result, operation, forward }) => {
    const { sentAccessToken, isRetryAfterRefresh } = operation.getContext();
    if (sentAccessToken === undefined || isRetryAfterRefresh === true || !hasErrorCode(error, 'UNAUTHENTICATED')) return;
    operation.setContext({ isRetryAfterRefresh: true });
    const isTokenReplaced = () => getSession()?.accessToken !== sentAccessToken;
    if (isTokenReplaced()) return forward(operation);
    return from(refreshTokens()).pipe(
      switchMap(() => {
        if (isTokenReplaced()) return forward(operation);
        return result ? of(result) : throwError(() => error);
      }),
    );
  });
}
