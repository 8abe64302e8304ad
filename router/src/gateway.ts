import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions, type SupergraphSdlHook } from '@apollo/gateway';
import { AppError, REQUEST_ID_HEADER, type Logger } from '@supergraph/server-kit';

/** What the router knows about each request; the gateway hands it to every subgraph call. */
export interface RouterContext {
  requestId: string;
}

type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

/**
 * One subgraph, as the router calls it: with the request id (so one request can be followed
 * through every service's logs) and a deadline. When the call fails, the client learns which
 * service failed and how, never its URL or response body; the operator gets the details in the log.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {
    // Node's fetch, each call aborted after timeoutMs.
    const fetcher = ((input: string, init: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    if ('requestId' in context && context.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>) {
    try {
      return await super.process(options);
    } catch (error) {
      const requestId = 'requestId' in options.context ? options.context.requestId : undefined;
      this.logger.warn({ err: error, subgraph: this.subgraph, url: this.url, reqId: requestId }, `call to the ${this.subgraph} subgraph failed`);
      throw this.toClientError(error);
    }
  }

  private toClientError(error: unknown): AppError {
    const status = (error as { extensions?: { response?: { status?: unknown } } }).extensions?.response?.status;
    const extensions = { serviceName: this.subgraph };
    if (typeof status === 'number') {
      return new AppError(`The ${this.subgraph} service failed to answer (HTTP ${status}).`, 'SUBGRAPH_ERROR', extensions);
    }
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return new AppError(`The ${this.subgraph} service did not answer within ${this.timeoutMs} ms.`, 'SUBGRAPH_TIMEOUT', extensions);
    }
    return new AppError(`The ${this.subgraph} service is unavailable.`, 'SUBGRAPH_UNAVAILABLE', extensions);
  }
}

export interface GatewayOptions {
  supergraphSdl: SupergraphSdlHook;
  /** Routing URLs that replace the supergraph's, by subgraph name. */
  subgraphUrls: Record<string, string>;
  /** Deadline of each subgraph call. */
  subgraphTimeoutMs: number;
  logger: Logger;
}

export function createGateway({ supergraphSdl, subgraphUrls, subgraphTimeoutMs, logger }: GatewayOptions): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) => new SubgraphDataSource(name, subgraphUrls[name] ?? url ?? '', logger, subgraphTimeoutMs),
  });
}
