import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** An error as the router answers it: extensions.code always, the rest per code. */
export interface ResponseError {
  message: string;
  extensions: { code: string; [field: string]: unknown };
}

/** An HTTP answer to a typed document: the data has the document's result type. */
export interface TypedResponse<TData> {
  status: number;
  headers: Headers;
  body: { data?: TData | null; errors?: ResponseError[] };
}

/** An HTTP answer to an operation written inline. */
export interface UntypedResponse {
  status: number;
  headers: Headers;
  // `any`: an inline operation has no generated type; the test walks whatever shape it asked for.
  body: any;
}

/**
 * POSTs an operation to a GraphQL endpoint and resolves to the HTTP status, headers and JSON body:
 * a typed document from operations/ (typed variables and data), or an inline operation text for
 * what the examples do not cover (malformed input, limits, aliases).
 */
export interface OperationSender {
  <TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    headers?: Record<string, string>,
  ): Promise<TypedResponse<TData>>;
  (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<UntypedResponse>;
}

/** An OperationSender for the endpoint `url()` names at each call (so a restarted process's URL is used). */
export function createOperationSender(url: () => string): OperationSender {
  const send = async (
    operation: string | TypedDocumentNode,
    variables: unknown = {},
    headers: Record<string, string> = {},
  ): Promise<UntypedResponse> => {
    const response = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: typeof operation === 'string' ? operation : print(operation), variables }),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };
  return send;
}
