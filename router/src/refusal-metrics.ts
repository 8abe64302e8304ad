import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import type { Response } from 'express';
import { notedRefusal, RefusalError } from './errors.js';
import { isRefusalCode, type RefusalCode, type RouterMetrics } from './metrics.js';

/** Set on a response once the request got past authentication: from there on, only noted refusals count. */
const PAST_AUTHENTICATION_LOCAL = 'isPastAuthentication';

/** What counts the router's refusals, each once, by code (router_refusals_total); see createRefusalCounting. */
export interface RefusalCounting {
  /** First on /graphql, before the body is read: counts the refusal `res` answers, if any, once it is sent. */
  track(res: Response): void;
  /** Right after authentication on /graphql. */
  markPastAuthentication(res: Response): void;
  /** Counts the refusals Apollo Server answers: those the limits throw before planning. */
  plugin: ApolloServerPlugin<BaseContext>;
}

/**
 * A refusal is answered in one of three places, and counted where it is known:
 *
 * - the router's express middleware (safelist, rate limits, token limit, load shedding) notes its
 *   code on the response (errors.ts noteRefusal), and `track` counts it once the answer is sent;
 * - server-kit answers a body too large (413 PAYLOAD_TOO_LARGE), a body it cannot read (400
 *   BAD_REQUEST) and a bad access token (401 UNAUTHENTICATED) before the request gets past
 *   authentication: `track` counts those by their status, and only those, so that Apollo
 *   Server's own 400s (a syntax error, an invalid operation) are not refusals;
 * - the limits checked before planning (depth, aliases, directives, account mutations, page size,
 *   cost) throw a RefusalError that Apollo Server answers: `plugin` counts it.
 */
export function createRefusalCounting(metrics: RouterMetrics): RefusalCounting {
  // One listener for every response (`this` is the response that finished), one for every request's plugin hooks.
  function countOnFinish(this: Response): void {
    const code = refusalOf(this);
    if (code) metrics.countRefusal(code);
  }
  const listener: GraphQLRequestListener<BaseContext> = {
    async didEncounterErrors({ errors }) {
      for (const error of errors) {
        const refusal = error instanceof RefusalError ? error : error.originalError;
        if (refusal instanceof RefusalError && isRefusalCode(refusal.code)) metrics.countRefusal(refusal.code);
      }
    },
  };
  return {
    track: (res) => void res.once('finish', countOnFinish),
    markPastAuthentication: (res) => void (res.locals[PAST_AUTHENTICATION_LOCAL] = true),
    plugin: { requestDidStart: async () => listener },
  };
}

/** The refusal a finished response answered, if it was one the router's middleware or server-kit sent. */
function refusalOf(res: Response): RefusalCode | null {
  const noted = notedRefusal(res);
  if (noted !== undefined) return isRefusalCode(noted) ? noted : null;
  if (res.locals[PAST_AUTHENTICATION_LOCAL] === true) return null;
  return REFUSALS_BEFORE_AUTHENTICATION[res.statusCode] ?? null;
}

/** What server-kit answers, by status, before a request gets past authentication (json-errors.ts, authenticateRequests). */
const REFUSALS_BEFORE_AUTHENTICATION: Partial<Record<number, RefusalCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  413: 'PAYLOAD_TOO_LARGE',
};
