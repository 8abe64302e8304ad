import { CombinedGraphQLErrors } from '@apollo/client';

/** What the UI needs of a failed operation: the stable code to branch on and the details beside it. */
export interface OperationError {
  /** `extensions.code` of the first GraphQL error; undefined for a network failure (no response). */
  code: string | undefined;
  message: string;
  /** Every extension of that error: declineCode, productId, retryable, retryAfter, ... */
  extensions: Readonly<Record<string, unknown>>;
}

/**
 * Reads an error from Apollo Client 4. The router's refusals (401, 429, 400) come in
 * application/graphql-response+json, so they arrive as CombinedGraphQLErrors like any GraphQL
 * error; anything else (the router unreachable, CORS refused) is a network error without a code.
 */
export function readOperationError(error: unknown): OperationError {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const extensions = first?.extensions ?? {};
    const code = typeof extensions['code'] === 'string' ? extensions['code'] : undefined;
    return { code, message: first?.message ?? error.message, extensions };
  }
  return { code: undefined, message: error instanceof Error ? error.message : String(error), extensions: {} };
}

/** Whether any GraphQL error in `error` carries `code`. */
export function hasErrorCode(error: unknown, code: string): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((graphQLError) => graphQLError.extensions?.['code'] === code);
}
