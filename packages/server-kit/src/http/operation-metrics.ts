import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
import type { Response } from 'express';
import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { ServiceMetrics } from '../telemetry/metrics.js';
import type { OperationLabeler } from './graphql-service.js';

/**
 * The HTTP response behind a context, so the operation's name can reach the access log line. A
 * symbol-keyed own property, because Apollo Server copies the context object per operation.
 */
export const HTTP_RESPONSE = Symbol('http response');

/** The `operation` label of a request whose document did not parse or validate (or never came). */
export const INVALID_OPERATION_LABEL = 'invalid';
/** The `operation` label of a valid document without the operation asked for (a wrong or missing operationName). */
export const UNKNOWN_OPERATION_LABEL = 'unknown';
/** The `code` label of an error whose code is malformed, missing, or beyond the first MAX_ERROR_CODES. */
export const OTHER_ERROR_CODE = 'OTHER';
/** How many distinct error codes get a series of their own in a process. */
export const MAX_ERROR_CODES = 64;
const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,63}$/;

/** What the plugin hands back once GraphQL has finished with a request, whatever happened on the way. */
const IN_FLIGHT_RELEASES = Symbol('in-flight releases');

export interface OperationMetricsOptions {
  /** The `operation` label of a resolved operation. Default: its first root field (firstRootFieldLabel). */
  operationLabel?: OperationLabeler;
}

/**
 * Counts and times every operation by `operation` and `outcome`, counts the errors of each response
 * by code, keeps graphql_requests_in_flight, and records the operation's name for the access log.
 */
export function createOperationMetricsPlugin<TContext extends BaseContext>(
  metrics: ServiceMetrics,
  { operationLabel = firstRootFieldLabel }: OperationMetricsOptions = {},
): ApolloServerPlugin<TContext> {
  const countError = createErrorCodeCounter(metrics);
  return {
    async requestDidStart({ contextValue }) {
      const stopTimer = metrics.graphqlDuration.startTimer();
      const leaveInFlight = enterInFlight(metrics, httpResponseOf(contextValue));
      let label = INVALID_OPERATION_LABEL;
      return {
        async didResolveOperation({ operationName, operation, document, contextValue }) {
          // Only reached once the document parsed and validated: the labeler sees valid operations only.
          label = operation ? operationLabel({ operationName, document }) : UNKNOWN_OPERATION_LABEL;
          const res = httpResponseOf(contextValue);
          if (res && operationName) res.locals.operationName = operationName;
        },
        async willSendResponse({ response }) {
          leaveInFlight();
          const errors = errorsOf(response);
          const outcome = errors.length > 0 ? 'error' : 'success';
          stopTimer({ operation: label, outcome });
          metrics.graphqlOperations.inc({ operation: label, outcome });
          for (const error of errors) countError(error.extensions?.code);
        },
      };
    },
  };
}

/**
 * The default `operation` label: the name (not the alias) of the operation's first root field,
 * looking through fragments: `products`, `_entities`, `me`, `__typename`. The schema bounds it, since
 * only validated operations get here.
 */
export function firstRootFieldLabel({ operationName, document }: Parameters<OperationLabeler>[0]): string {
  if (!document) return UNKNOWN_OPERATION_LABEL;
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations[0];
  if (!operation) return UNKNOWN_OPERATION_LABEL;
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return findFirstFieldName(operation.selectionSet, fragments, new Set()) ?? UNKNOWN_OPERATION_LABEL;
}

function findFirstFieldName(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  visited: Set<string>,
): string | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection.name.value;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const name = findFirstFieldName(selection.selectionSet, fragments, visited);
      if (name) return name;
      continue;
    }
    const fragment = fragments.get(selection.name.value);
    // Validation refuses fragment cycles; the visited set keeps this safe for a labeler called on its own.
    if (!fragment || visited.has(fragment.name.value)) continue;
    visited.add(fragment.name.value);
    const name = findFirstFieldName(fragment.selectionSet, fragments, visited);
    if (name) return name;
  }
  return undefined;
}

/**
 * graphql_errors_total by code, with a bounded label. Codes come from this service's own errors, but
 * also from elsewhere: the router relays each subgraph's errors, and a subgraph or a library may put
 * anything in `extensions.code`. Every distinct label value is a series Prometheus keeps for hours,
 * so a code that does not look like one (SCREAMING_CASE, at most 64 characters) counts as OTHER, and
 * so does every code past the first MAX_ERROR_CODES this process has seen: a flood of made-up codes
 * adds one series, not thousands.
 */
function createErrorCodeCounter(metrics: ServiceMetrics): (code: unknown) => void {
  const seen = new Set<string>();
  return (code) => {
    let label = OTHER_ERROR_CODE;
    if (typeof code === 'string' && ERROR_CODE_PATTERN.test(code)) {
      if (seen.has(code)) label = code;
      else if (seen.size < MAX_ERROR_CODES) {
        seen.add(code);
        label = code;
      }
    }
    metrics.graphqlErrors.inc({ code: label });
  };
}

/** The errors a response carries: a single result's, or the initial result's of an incremental one. */
function errorsOf(response: GraphQLResponse): readonly { extensions?: Record<string, unknown> }[] {
  const { body } = response;
  return (body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors) ?? [];
}

function httpResponseOf(contextValue: BaseContext): Response | undefined {
  return (contextValue as { [HTTP_RESPONSE]?: Response })[HTTP_RESPONSE];
}

/**
 * One more request in flight, and the function that takes it out again: at most once, whichever
 * comes first of willSendResponse and releaseInFlight (the HTTP handler settling). Apollo Server
 * calls willSendResponse on every path it finishes normally; a plugin hook that throws can skip it,
 * and the gauge must never creep upward because of that.
 */
function enterInFlight(metrics: ServiceMetrics, res: Response | undefined): () => void {
  metrics.graphqlInFlight.inc();
  let isReleased = false;
  const release = () => {
    if (isReleased) return;
    isReleased = true;
    metrics.graphqlInFlight.dec();
  };
  if (res) {
    const locals = res.locals as { [IN_FLIGHT_RELEASES]?: (() => void)[] };
    (locals[IN_FLIGHT_RELEASES] ??= []).push(release);
  }
  return release;
}

/**
 * Takes this response's requests out of graphql_requests_in_flight if willSendResponse did not:
 * for the GraphQL handler to call once it has settled, however it settled. Not on the client hanging
 * up: GraphQL goes on working for a request whose client left, and that work is in flight.
 */
export function releaseInFlight(res: Response): void {
  const locals = res.locals as { [IN_FLIGHT_RELEASES]?: (() => void)[] };
  for (const release of locals[IN_FLIGHT_RELEASES] ?? []) release();
  delete locals[IN_FLIGHT_RELEASES];
}
