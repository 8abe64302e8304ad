import type { ApolloClient } from '@apollo/client';
import { LogoutDocument, RefreshTokenDocument, type LoginMutation } from '../../../../operations/__generated__/graphql';
import { hasErrorCode } from '../errors/graphql-error';
import { getSession, saveSession, saveTokens } from './session';

let refreshInFlight: Promise<boolean> | undefined;

/**
 * Trades the refresh token for a new pair. Requests that fail together share one refresh: a refresh
 * token works once, so a second RefreshToken with it would be refused and end the session.
 * Resolves true when the new pair is saved. A refused refresh token (UNAUTHENTICATED) signs the
 * customer out; any other failure (the router unreachable) keeps the session for a later try.
 */
export function refreshSession(client: ApolloClient): Promise<boolean> {
  refreshInFlight ??= runRefresh(client).finally(() => {
    refreshInFlight = undefined;
  });
  return refreshInFlight;
}

async function runRefresh(client: ApolloClient): Promise<boolean> {
  const session = getSession();
  if (!session) return false;
  try {
    const { data } = await client.mutate({ mutation: RefreshTokenDocument, variables: { refreshToken: session.refreshToken } });
    if (!data) return false;
    saveTokens(data.refreshToken);
    return true;
  } catch (error) {
    // Only signed out here: clearing the cache now would cancel the request that is waiting for this
    // refresh. The cache is cleared before the next sign-in instead (startSession).
    if (hasErrorCode(error, 'UNAUTHENTICATED')) saveSession(null);
    return false;
  }
}

/**
 * Signs out: Logout ends the session on the server (best effort: a token that is already unusable
 * is as good as ended), then the tokens and every cached result are dropped.
 */
export async function signOut(client: ApolloClient): Promise<void> {
  const session = getSession();
  if (session) {
    await client.mutate({ mutation: LogoutDocument, variables: { refreshToken: session.refreshToken } }).catch(() => undefined);
  }
  saveSession(null);
  // The customer's orders must not stay readable in the cache; the catalog is simply fetched again.
  await client.clearStore();
}

/** Signs in with Login's answer, on an empty cache: nothing of a previous customer is shown. */
export async function startSession(client: ApolloClient, login: LoginMutation['login']): Promise<void> {
  await client.clearStore();
  saveSession({ accessToken: login.accessToken, refreshToken: login.refreshToken, user: login.user });
}
