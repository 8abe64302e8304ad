import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import { context, SpanStatusCode, type Span } from '@opentelemetry/api';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { startChildSpan } from '../tracing/spans.js';
import { isTracingEnabled } from '../tracing/state.js';

/** Span names are for people reading a trace: a client's long operation name is cut. */
const MAX_OPERATION_NAME_LENGTH = 100;
/** Error codes on one span: the distinct ones, at most this many. */
const MAX_ERROR_CODES = 10;
const MAX_CODE_LENGTH = 64;

/**
 * The spans of a GraphQL request in this service (decision 025): `graphql.parse`, `graphql.validate`
 * and the operation (`query products`, `mutation checkout`), children of the HTTP server span.
 * Apollo Server's hooks cannot make a span the active context for execution, so what execution
 * starts (the gateway's spans, SQL statements) is a sibling under the HTTP server span. Errors are
 * recorded by code, never by message (messages can quote what a user sent). Does nothing while
 * tracing is off.
 */
export function createTracingPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      if (!isTracingEnabled()) return;
      // The HTTP server span's context (or a test's span), before Apollo Server runs anything.
      const parent = context.active();
      const operationSpan = startChildSpan('graphql.operation', { parent });
      return {
        async parsingDidStart() {
          const span = startChildSpan('graphql.parse', { parent });
          return async (error) => {
            if (error) failSpan(span, [error], 'GRAPHQL_PARSE_FAILED');
            span.end();
          };
        },
        async validationDidStart() {
          const span = startChildSpan('graphql.validate', { parent });
          return async (errors) => {
            if (errors?.length) failSpan(span, errors, 'GRAPHQL_VALIDATION_FAILED');
            span.end();
          };
        },
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const type = operation.operation;
          const name = operationName ?? firstRootField(operation);
          operationSpan.updateName(name ? `${type} ${name.slice(0, MAX_OPERATION_NAME_LENGTH)}` : type);
          operationSpan.setAttribute('graphql.operation.type', type);
          if (operationName) operationSpan.setAttribute('graphql.operation.name', operationName);
        },
        async willSendResponse(requestContext) {
          const errors = responseErrors(requestContext);
          if (errors.length) failSpan(operationSpan, errors, 'INTERNAL_SERVER_ERROR');
          operationSpan.end();
        },
      };
    },
  };
}

function firstRootField(operation: OperationDefinitionNode): string | undefined {
  const [first] = operation.selectionSet.selections;
  return first?.kind === Kind.FIELD ? first.name.value : undefined;
}

/** Errors of the response (as formatted for the client), or those raised before it had a body. */
function responseErrors<TContext extends BaseContext>(requestContext: GraphQLRequestContext<TContext>): readonly ErrorWithCode[] {
  const { body } = requestContext.response;
  if (body?.kind === 'single' && body.singleResult.errors?.length) return body.singleResult.errors;
  if (body?.kind === 'incremental' && body.initialResult.errors?.length) return body.initialResult.errors;
  return requestContext.errors ?? [];
}

/** A GraphQL error as formatted for the client, or as raised (a parse error). */
type ErrorWithCode = { extensions?: Readonly<Record<string, unknown>> | undefined } | Error;

function codeOf(error: ErrorWithCode, fallbackCode: string): string {
  const code = 'extensions' in error ? error.extensions?.code : undefined;
  return typeof code === 'string' && code !== '' ? code.slice(0, MAX_CODE_LENGTH) : fallbackCode;
}

/** Error status, with the errors' distinct codes (`fallbackCode` for one without a code) and their count. */
function failSpan(span: Span, errors: readonly ErrorWithCode[], fallbackCode: string): void {
  const codes = [...new Set(errors.map((error) => codeOf(error, fallbackCode)))];
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute('graphql.error.codes', codes.slice(0, MAX_ERROR_CODES));
  span.setAttribute('graphql.error.count', errors.length);
}
