import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { REQUEST_ID_HEADER, type Logger } from '@supergraph/server-kit';
import type { SupergraphSdlHook } from '@apollo/gateway';

/** What the router knows about each request; the gateway hands it to every subgraph call. */
export interface RouterContext {
  requestId: string;
}

/** A subgraph call: carries the request id so one request can be followed through every log. */
class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    if ('requestId' in context && context.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}

export interface GatewayOptions {
  supergraphSdl: SupergraphSdlHook;
  /** Routing URLs that replace the supergraph's, by subgraph name. */
  subgraphUrls: Record<string, string>;
  logger: Logger;
}

export function createGateway({ supergraphSdl, subgraphUrls, logger }: GatewayOptions): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) => new SubgraphDataSource({ url: subgraphUrls[name] ?? url }),
  });
}
