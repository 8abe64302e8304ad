// @supergraph/server-kit/http: The HTTP side of every service: the GraphQL server, a subgraph's bootstrap, background tasks.
export { startBackgroundTask, type BackgroundTask } from './background-task.js';
export { BoundedQueue, QueueRefusedError, type BoundedQueueOptions, type RefusalReason } from './bounded-queue.js';
export { REQUEST_ID_HEADER, wellFormedRequestId } from './access-log.js';
export { runService, type ListeningService, type RunOptions } from './run-service.js';
export {
  createGraphQLService,
  requestScopeOf,
  type ContextArgs,
  type GraphQLServiceOptions,
  type GraphQLService,
  type OperationLabeler,
  type RequestScope,
} from './graphql-service.js';
export { createSubgraphService, runSubgraph, type SubgraphServiceOptions } from './subgraph-service.js';
export {
  createJsonErrorHandler,
  describeRequestError,
  type JsonErrorHandlerOptions,
  type RequestProblem,
} from './json-errors.js';
export { listenOn } from './listen.js';
export { applyServerTimeouts, createHttpServer, CONNECTIONS_CHECK_INTERVAL_MS } from './server-timeouts.js';
export {
  GRAPHQL_RESPONSE_MEDIA_TYPE,
  negotiateGraphQLMediaType,
  sendGraphQLErrors,
  type GraphQLResponseError,
} from './graphql-response.js';
