import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * The spans of a GraphQL request in this service (decision 025): to be filled in (the operation,
 * parsing, validation). Does nothing while tracing is off.
 */
export function createTracingPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {};
}
