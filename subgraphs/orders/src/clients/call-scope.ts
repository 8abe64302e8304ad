import { AsyncLocalStorage } from 'node:async_hooks';
import { REQUEST_ID_HEADER } from '@supergraph/server-kit/http';

// The request id that checkout's calls to other services carry (x-request-id), so products' and the
// payment provider's logs show the id of the request that drove the step: the customer's request,
// or for the recovery loop the one stored with the saga. It travels with the async call, as the
// trace context does, so no step and no client method has to pass it along.

const scope = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `run` with every call made inside it sending `requestId`; with null, calls send none (the callee makes its own). */
export function runWithRequestId<T>(requestId: string | null, run: () => Promise<T>): Promise<T> {
  return requestId === null ? scope.exit(run) : scope.run({ requestId }, run);
}

/** The headers a call made now adds: x-request-id inside runWithRequestId, else none. */
export function requestIdHeaders(): Record<string, string> {
  const requestId = scope.getStore()?.requestId;
  return requestId === undefined ? {} : { [REQUEST_ID_HEADER]: requestId };
}
