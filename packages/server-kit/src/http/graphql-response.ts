import type { Request, Response } from 'express';

/** The GraphQL-over-HTTP response media type; `application/json` is the legacy one. */
export const GRAPHQL_RESPONSE_MEDIA_TYPE = 'application/graphql-response+json';

/**
 * The media type a GraphQL answer is sent in, as the GraphQL-over-HTTP spec negotiates it:
 * `application/graphql-response+json` when the client's Accept prefers it (Apollo Client 4 sends
 * `application/graphql-response+json,application/json;q=0.9`), else `application/json`, which is also
 * the answer to a request with no Accept or with only `*\/*`. A client reading the new type knows a
 * 4xx with a body is a GraphQL response whose `errors[].extensions.code` says why, not a network failure.
 */
export function negotiateGraphQLMediaType(req: Request): string {
  if (!req.headers.accept) return 'application/json';
  return req.accepts(['application/json', GRAPHQL_RESPONSE_MEDIA_TYPE]) === GRAPHQL_RESPONSE_MEDIA_TYPE
    ? GRAPHQL_RESPONSE_MEDIA_TYPE
    : 'application/json';
}

/** One error of a GraphQL response: a message for people and a stable code for programs. */
export interface GraphQLResponseError {
  message: string;
  extensions: { code: string } & Record<string, unknown>;
}

/**
 * Refuses a GraphQL request before it runs, as Apollo Server answers one it refuses: `{ errors }`
 * with the given status and headers, in the media type the client negotiated.
 */
export function sendGraphQLErrors(
  res: Response,
  status: number,
  errors: readonly GraphQLResponseError[],
  headers: Record<string, string> = {},
): void {
  res.status(status).set(headers).type(negotiateGraphQLMediaType(res.req)).json({ errors });
}
