import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics every service exposes on GET /metrics (decision 025 names them and their
 * labels; ops/ alerts and dashboards read them, so a rename is a breaking change). Every label's
 * values are bounded: operation labels come from known names or the schema, never from a client's
 * free text.
 */
export interface ServiceMetrics {
  registry: Registry;
  /** SQL statements executed, counted by the database layer (services with a database only). */
  dbStatements: Counter;
  /** SQL statement duration in seconds, by `operation` (SELECT, INSERT, UPDATE, DELETE, OTHER; services with a database only). */
  dbStatementDuration: Histogram<'operation'>;
  /** GraphQL operations handled, by bounded operation label and `outcome` (`success` or `error`). */
  graphqlOperations: Counter<'operation' | 'outcome'>;
  /** GraphQL operation duration in seconds, by bounded operation label and `outcome`. */
  graphqlDuration: Histogram<'operation' | 'outcome'>;
  /** Errors in GraphQL responses, by `extensions.code` (a closed set; anything else counts as `OTHER`). */
  graphqlErrors: Counter<'code'>;
  /** GraphQL requests being handled now. */
  graphqlInFlight: Gauge;
  /** HTTP responses, by bounded `route` (/graphql, an internal API's route pattern, or `other`) and `status_class` (2xx … 5xx). */
  httpResponses: Counter<'route' | 'status_class'>;
  /** Work refused as OVERLOADED instead of queued (load shedding), by queue and reason (`queue_full`, `wait_timeout`). */
  overloadRefusals: Counter<'queue' | 'reason'>;
  /** Work holding a turn (`active`) and waiting for one (`queued`) in a bounded queue, by queue. */
  queueLoad: Gauge<'queue' | 'state'>;
}

export interface CreateMetricsOptions {
  /** Whether the service has a database: only then are the `db_*` series exported. Default false. */
  database?: boolean;
}

/** Buckets for request and operation latency, in seconds: 5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Buckets for a single SQL statement, in seconds: 0.1 ms to 2.5 s. */
export const STATEMENT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5];

/** One registry per service instance, so several services in one process (tests) stay apart. */
export function createMetrics(service: string, { database = false }: CreateMetricsOptions = {}): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const databaseRegisters = database ? registers : [];
  return {
    registry,
    dbStatements: new Counter({
      name: 'db_statements_total',
      help: 'SQL statements executed against this service database.',
      registers: databaseRegisters,
    }),
    dbStatementDuration: new Histogram({
      name: 'db_statement_duration_seconds',
      help: 'Time to execute one SQL statement against this service database, by statement kind.',
      labelNames: ['operation'],
      buckets: STATEMENT_BUCKETS,
      registers: databaseRegisters,
    }),
    graphqlOperations: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations handled, by operation and outcome.',
      labelNames: ['operation', 'outcome'],
      registers,
    }),
    graphqlDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time from receiving a GraphQL operation to sending its response, by operation and outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    graphqlErrors: new Counter({
      name: 'graphql_errors_total',
      help: 'Errors in GraphQL responses, by error code.',
      labelNames: ['code'],
      registers,
    }),
    graphqlInFlight: new Gauge({
      name: 'graphql_requests_in_flight',
      help: 'GraphQL requests being handled now.',
      registers,
    }),
    httpResponses: new Counter({
      name: 'http_responses_total',
      help: 'HTTP responses sent, by route and status class.',
      labelNames: ['route', 'status_class'],
      registers,
    }),
    overloadRefusals: new Counter({
      name: 'overload_refusals_total',
      help: 'Requests or tasks refused with OVERLOADED because their queue was full or the wait for a turn ran out.',
      labelNames: ['queue', 'reason'],
      registers,
    }),
    queueLoad: new Gauge({
      name: 'queue_load',
      help: 'Work holding a turn (state="active") or waiting for one (state="queued") in a bounded queue.',
      labelNames: ['queue', 'state'],
      registers,
    }),
  };
}
