import { parse as parseUrl } from 'node:url';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, RequestHandler } from 'express';
import { PersistedQueryNotInSafelistError, sendRefusal } from './errors.js';
import type { PersistedOperationsManifest } from './persisted-operations-manifest.js';

/** What a GraphQL request asks to run: its text, or only the hash of a persisted one. */
type RequestedOperation =
  { kind: 'text'; text: string } | { kind: 'hash'; hash: string } | { kind: 'none' } | { kind: 'malformed' };

/**
 * Safelisting, in front of Apollo Server: a request runs only when its operation is in the manifest,
 * named by its hash (`extensions.persistedQuery.sha256Hash`) or sent as its full text. Anything else
 * is answered 400 with `PERSISTED_QUERY_NOT_IN_SAFELIST` before it is parsed, planned or sent to a
 * subgraph. A request with no operation at all (the Sandbox page, a bare GET) goes on to Apollo
 * Server, which answers it without running anything.
 */
export function createSafelistMiddleware(manifest: PersistedOperationsManifest): RequestHandler {
  return (req, res, next) => {
    const operation = readRequestedOperation(req);
    const isAllowed =
      operation.kind === 'none' ||
      (operation.kind === 'text' && manifest.isListedText(operation.text)) ||
      (operation.kind === 'hash' && manifest.findByHash(operation.hash) !== undefined);
    if (isAllowed) {
      next();
      return;
    }
    sendRefusal(res, new PersistedQueryNotInSafelistError());
  };
}

/**
 * Lets a client name a listed operation by hash alone, even before this router instance has seen
 * its text: the text comes from the manifest instead of the automatic-persisted-query cache. It runs
 * before Apollo Server reads the request, which then checks that the hash matches the text as usual.
 */
export function createManifestLookupPlugin<TContext extends object>(
  manifest: PersistedOperationsManifest,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      const persistedQuery = request.extensions?.['persistedQuery'] as { sha256Hash?: unknown } | undefined;
      const hash = persistedQuery?.sha256Hash;
      if (request.query === undefined && typeof hash === 'string') {
        const text = manifest.findByHash(hash);
        if (text !== undefined) request.query = text;
      }
    },
  };
}

// Reads the operation exactly as Apollo Server's Express integration will: POST from the JSON body,
// GET from the query string parsed the same way (legacy url.parse, then URLSearchParams), so the
// text checked here is the text that runs. Batches (a JSON array), repeated parameters and fields of
// the wrong type are `malformed`, hence refused.
function readRequestedOperation(req: Request): RequestedOperation {
  let query: unknown;
  let extensions: unknown;
  if (req.method === 'POST') {
    if (req.body === undefined || req.body === null) return { kind: 'none' };
    if (typeof req.body !== 'object' || Array.isArray(req.body)) return { kind: 'malformed' };
    ({ query, extensions } = req.body as { query?: unknown; extensions?: unknown });
  } else if (req.method === 'GET') {
    const params = new URLSearchParams(parseUrl(req.url).search ?? '');
    if (params.getAll('query').length > 1 || params.getAll('extensions').length > 1) return { kind: 'malformed' };
    query = params.get('query') ?? undefined;
    const rawExtensions = params.get('extensions');
    if (rawExtensions !== null) {
      try {
        extensions = JSON.parse(rawExtensions);
      } catch {
        return { kind: 'malformed' };
      }
    }
  } else {
    return { kind: 'none' };
  }

  if (query !== undefined && query !== null)
    return typeof query === 'string' ? { kind: 'text', text: query } : { kind: 'malformed' };
  if (extensions === undefined || extensions === null) return { kind: 'none' };
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } }).persistedQuery?.sha256Hash;
  if (hash === undefined) return { kind: 'none' };
  return typeof hash === 'string' ? { kind: 'hash', hash } : { kind: 'malformed' };
}
