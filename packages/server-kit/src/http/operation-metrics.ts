import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Response } from 'express';
import type { ServiceMetrics } from '../telemetry/metrics.js';

/**
 * The HTTP response behind a context, so the operation's name can reach the access log line. A
 * symbol-keyed own property, because Apollo Server copies the context object per operation.
 */
export const HTTP_RESPONSE = Symbol('http response');

/** Counts and times every operation, and records its name for the access log line. */
export function createOperationMetricsPlugin<TContext extends BaseContext>(
  metrics: ServiceMetrics,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const stopTimer = metrics.graphqlDuration.startTimer();
      return {
        async willSendResponse({ response, errors }) {
          stopTimer();
          const hasErrors =
            (errors?.length ?? 0) > 0 ||
            (response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0);
          metrics.graphqlOperations.inc({ operation: 'unknown', outcome: hasErrors ? 'error' : 'success' });
        },
        async didResolveOperation({ operationName, contextValue }) {
          const res = (contextValue as { [HTTP_RESPONSE]?: Response })[HTTP_RESPONSE];
          if (res && operationName) res.locals.operationName = operationName;
        },
      };
    },
  };
}
