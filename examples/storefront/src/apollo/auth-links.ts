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
    /** Set on a request sent again after a token refresh, so that it is refreshed at most once. */
    isRetryAfterRefresh?: boolean;
  }
}

// Signing in, refreshing and signing out need no access token, and must not carry an expired one:
// the router refuses a bad token with 401 before it looks at the operation.
const SESSION_OPERATIONS = new Set(['Login', 'RefreshToken', 'Logout']);

/** Sends the signed-in customer's access token as `Authorization: Bearer <token>`. */
export function createAuthHeaderLink(): ApolloLink {
  return new SetContextLink((context, operation) => {
    const session = getSession();
    if (!session || SESSION_OPERATIONS.has(operation.operationName ?? '')) return {};
    return { headers: { ...context.headers, authorization: `Bearer ${session.accessToken}` } };
  });
}

/**
 * When a request sent with an access token comes back UNAUTHENTICATED (the token expired or was
 * revoked; the router answers 401), trades the refresh token for a new pair once and sends the
 * request again, which goes through the auth header link with the new token. `refreshTokens`
 * resolves false when that failed; the first answer is then passed on as it was.
 */
export function createTokenRefreshLink(refreshTokens: () => Promise<boolean>): ApolloLink {
  return new ErrorLink(({ error, result, operation, forward }) => {
    const isRetry = operation.getContext().isRetryAfterRefresh === true;
    const canRefresh = getSession() !== null && !SESSION_OPERATIONS.has(operation.operationName ?? '') && !isRetry;
    if (!canRefresh || !hasErrorCode(error, 'UNAUTHENTICATED')) return;
    operation.setContext({ isRetryAfterRefresh: true });
    return from(refreshTokens()).pipe(
      switchMap((isRefreshed) => {
        if (isRefreshed) return forward(operation);
        return result ? of(result) : throwError(() => error);
      }),
    );
  });
}
