import {
  ApolloGateway,
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
  type SupergraphSdlHook,
} from '@apollo/gateway';
import { ROUTER_SECRET_HEADER } from '@supergraph/server-kit/auth';
import { REQUEST_ID_HEADER } from '@supergraph/server-kit/http';
import { CLIENT_ADDRESS_HEADER } from '@supergraph/server-kit/rate-limit';
import type { Logger } from '@supergraph/server-kit/telemetry';
import { SubgraphFailedError, SubgraphTimeoutError, SubgraphUnavailableError } from './errors.js';
import type { RouterMetrics, SubgraphFetchOutcome } from './metrics.js';
import { RATE_LIMIT_HEADERS, type SubgraphRateLimitHolder } from './rate-limit/subgraph-rate-limits.js';
import { createSubgraphClient, type SubgraphClient } from './subgraph-client.js';

/** What the router knows about each request; the gateway hands it to every subgraph call. */
export interface RouterContext extends SubgraphRateLimitHolder {
  requestId: string;
  /** The caller's access token, verified at the edge; null for anonymous callers. */
  accessToken: string | null;
  /** The client's IP address (express `req.ip`, after TRUST_PROXY), which the users service limits account mutations by. */
  clientAddress?: string | null;
}

/**
 * One subgraph, as the router calls it: with the request id (so one request can be followed
 * through every service's logs) and a deadline. When the call fails, the client learns which
 * service failed and how, never its URL or response body; the operator gets the details in the log.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly secret: string,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    private readonly metrics: RouterMetrics,
    client: SubgraphClient,
  ) {
    super({ url, fetcher: client.fetcher });
  }

  /**
   * The subgraph request starts with no headers of the client's: it gets this subgraph's own secret,
   * the request id, the client's address as the router saw it and, for a signed-in caller, the token
   * the router verified. Nothing else about identity travels, so a header a client invents never
   * reaches a subgraph.
   */
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    headers.set(ROUTER_SECRET_HEADER, this.secret);
    // Health checks and other requests the gateway makes on its own carry no router context.
    const { requestId, accessToken, clientAddress } = context as Partial<RouterContext>;
    if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
    if (clientAddress) headers.set(CLIENT_ADDRESS_HEADER, clientAddress);
    if (accessToken) headers.set('authorization', `Bearer ${accessToken}`);
  }

  /** Keeps a subgraph's rate-limit headers (the users service's RATE_LIMITED) for the client's answer. */
  override didReceiveResponse({
    response,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<RouterContext>['didReceiveResponse']>>[0]) {
    const headers = response.http?.headers;
    if (headers?.has('retry-after')) {
      (context as SubgraphRateLimitHolder).subgraphRateLimit = Object.fromEntries(
        RATE_LIMIT_HEADERS.flatMap((name) => (headers.get(name) === null ? [] : [[name, headers.get(name)!]])),
      );
    }
    return response;
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>) {
    const recordFetch = this.metrics.startSubgraphFetch(this.subgraph);
    try {
      const response = await super.process(options);
      recordFetch((response.errors?.length ?? 0) > 0 ? 'error' : 'success');
      return response;
    } catch (error) {
      const { requestId } = options.context as Partial<RouterContext>;
      this.logger.warn(
        { err: error, subgraph: this.subgraph, url: this.url, reqId: requestId },
        `call to the ${this.subgraph} subgraph failed`,
      );
      const clientError = this.toClientError(error);
      recordFetch(fetchOutcomeOf(clientError));
      throw clientError;
    }
  }

  private toClientError(error: unknown): SubgraphFailedError | SubgraphTimeoutError | SubgraphUnavailableError {
    const status = (error as { extensions?: { response?: { status?: unknown } } }).extensions?.response?.status;
    const failed = { serviceName: this.subgraph };
    if (typeof status === 'number') return new SubgraphFailedError(failed, status);
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return new SubgraphTimeoutError(failed, this.timeoutMs);
    }
    return new SubgraphUnavailableError(failed);
  }
}

/** A failed call's outcome in router_subgraph_fetch_duration_seconds, from the error the client is given. */
function fetchOutcomeOf(error: SubgraphFailedError | SubgraphTimeoutError | SubgraphUnavailableError): SubgraphFetchOutcome {
  if (error instanceof SubgraphFailedError) return 'failed';
  if (error instanceof SubgraphTimeoutError) return 'timeout';
  return 'unavailable';
}

export interface GatewayOptions {
  supergraphSdl: SupergraphSdlHook;
  /** Routing URLs that replace the supergraph's, by subgraph name. */
  subgraphUrls: Record<string, string>;
  /** Deadline of each subgraph call. */
  subgraphTimeoutMs: number;
  /** The secret to present to a subgraph, by name. */
  secretFor: (subgraph: string) => string;
  logger: Logger;
  /** Where each subgraph call's duration and outcome are recorded. */
  metrics: RouterMetrics;
}

export interface RouterGateway {
  gateway: ApolloGateway;
  /** Closes the subgraph clients' connections, once the gateway has stopped. */
  close: () => Promise<void>;
}

export function createGateway({
  supergraphSdl,
  subgraphUrls,
  subgraphTimeoutMs,
  secretFor,
  logger,
  metrics,
}: GatewayOptions): RouterGateway {
  // A new supergraph builds every data source again; a subgraph's connections outlive that.
  const clients = new Map<string, SubgraphClient>();
  const clientFor = (url: string) => {
    let client = clients.get(url);
    if (!client) clients.set(url, (client = createSubgraphClient(url, subgraphTimeoutMs)));
    return client;
  };
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url: supergraphUrl }) => {
      const url = subgraphUrls[name] ?? supergraphUrl ?? '';
      return new SubgraphDataSource(name, url, secretFor(name), logger, subgraphTimeoutMs, metrics, clientFor(url));
    },
  });
  return {
    gateway,
    close: async () => {
      await Promise.all([...clients.values()].map((client) => client.close()));
    },
  };
}
