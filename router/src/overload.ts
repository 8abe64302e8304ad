import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import type { GenericErrorCode } from '@supergraph/server-kit/graphql';
import { BoundedQueue, QueueRefusedError, sendGraphQLErrors } from '@supergraph/server-kit/http';
import type { ServiceMetrics } from '@supergraph/server-kit/telemetry';
import type { Request, Response } from 'express';
import { noteRefusal } from './errors.js';
import type { LimitSettings } from './limit-settings.js';

const OVERLOADED: GenericErrorCode = 'OVERLOADED';
/** What a refused client is told to wait: a queue that refuses drains within seconds. */
const RETRY_AFTER_SECONDS = 1;

/** What the router plugs in to bound its concurrent GraphQL work (see createRouter). */
export interface LoadShedding {
  /**
   * The GraphQL service's admission (graphql-service.ts), taken after the body is read, the
   * safelist, authentication and the per-caller rate limits, so a slow upload or a caller past its
   * budget never holds a place: a request runs when one of MAX_CONCURRENT_REQUESTS places is free,
   * waits in a queue of MAX_QUEUED_REQUESTS for at most MAX_QUEUE_WAIT_MS, or is answered 503
   * OVERLOADED with Retry-After (CORS ran first, so a browser can read it). Its place is held until
   * GraphQL is done with it, even if the client hung up. Probes (/health, /ready, /metrics) are
   * outside /graphql and never wait.
   */
  admission: (req: Request, res: Response) => Promise<(() => void) | null>;
  /**
   * Passes a subgraph's OVERLOADED (the users service's password hashing) on as the router's own:
   * Retry-After on the answer, and 503 when nothing else was answered (no data).
   */
  plugin: ApolloServerPlugin<BaseContext>;
}

export function createLoadShedding(settings: LimitSettings['overload'], metrics: ServiceMetrics): LoadShedding {
  const queue = new BoundedQueue({
    concurrency: settings.maxConcurrent,
    maxQueued: settings.maxQueued,
    maxWaitMs: settings.maxWaitMs,
    onChange: ({ active, queued }) => {
      metrics.queueLoad.set({ queue: 'router', state: 'active' }, active);
      metrics.queueLoad.set({ queue: 'router', state: 'queued' }, queued);
    },
  });
  const admission = async (_req: Request, res: Response): Promise<(() => void) | null> => {
    // A free place is taken at once: nothing to wait for, so nothing to leave when the client hangs up.
    if (queue.load.active < settings.maxConcurrent) return queue.acquire();
    // A client that hangs up while waiting leaves the queue; once admitted, its request keeps its place.
    const gone = new AbortController();
    const leave = () => gone.abort();
    res.once('close', leave);
    try {
      return await queue.acquire(gone.signal);
    } catch (error) {
      if (!(error instanceof QueueRefusedError)) throw error;
      // A client that hung up while waiting is not told anything, nor counted as shed.
      if (gone.signal.aborted) return null;
      metrics.overloadRefusals.inc({ queue: 'router', reason: error.reason });
      sendOverloaded(res);
      return null;
    } finally {
      res.off('close', leave);
    }
  };
  return { admission, plugin: overloadedSubgraphPlugin };
}

function sendOverloaded(res: Response): void {
  noteRefusal(res, OVERLOADED);
  sendGraphQLErrors(
    res,
    503,
    [
      {
        message: `The router has too many requests in progress; nothing was done. Try again in ${RETRY_AFTER_SECONDS} s.`,
        extensions: { code: OVERLOADED, retryAfter: RETRY_AFTER_SECONDS },
      },
    ],
    { 'retry-after': String(RETRY_AFTER_SECONDS) },
  );
}

const overloadedSubgraphPlugin: ApolloServerPlugin<BaseContext> = {
  // The same listener for every request: the hook reads all it needs from the request's context.
  requestDidStart: async () => overloadedSubgraphListener,
};

const overloadedSubgraphListener: GraphQLRequestListener<BaseContext> = {
  async willSendResponse({ response }) {
    if (response.body.kind !== 'single') return;
    const { data, errors } = response.body.singleResult;
    // The common answer: no errors at all.
    if (!errors) return;
    const overloaded = errors.filter((error) => error.extensions?.code === OVERLOADED);
    if (overloaded.length === 0) return;
    const retryAfter = Math.max(
      RETRY_AFTER_SECONDS,
      ...overloaded.map(({ extensions }) => Number(extensions?.retryAfter) || RETRY_AFTER_SECONDS),
    );
    response.http.headers.set('retry-after', String(Math.ceil(retryAfter)));
    // A partial answer stays 200: part of it is data the client asked for.
    if (data === null || data === undefined) response.http.status = 503;
  },
};
