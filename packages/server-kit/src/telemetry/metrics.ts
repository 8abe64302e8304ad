import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics a service exposes on GET /metrics. */
export interface ServiceMetrics {
  registry: Registry;
  /** SQL statements executed, counted by the database layer. */
  dbStatements: Counter;
  /** GraphQL operations handled, by outcome (`success` or `error`). */
  graphqlOperations: Counter<'outcome'>;
  /** GraphQL operation duration in seconds. */
  graphqlDuration: Histogram;
  /** Work refused as OVERLOADED instead of queued (load shedding), by queue and reason (`queue_full`, `wait_timeout`). */
  overloadRefusals: Counter<'queue' | 'reason'>;
  /** Work holding a turn (`active`) and waiting for one (`queued`) in a bounded queue, by queue. */
  queueLoad: Gauge<'queue' | 'state'>;
}

/** One registry per service instance, so several services in one process (tests) stay apart. */
export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    dbStatements: new Counter({
      name: 'db_statements_total',
      help: 'SQL statements executed against this service database.',
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations handled, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time from receiving a GraphQL operation to sending its response.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    overloadRefusals: new Counter({
      name: 'overload_refusals_total',
      help: 'Requests or tasks refused with OVERLOADED because their queue was full or the wait for a turn ran out.',
      labelNames: ['queue', 'reason'],
      registers: [registry],
    }),
    queueLoad: new Gauge({
      name: 'queue_load',
      help: 'Work holding a turn (state="active") or waiting for one (state="queued") in a bounded queue.',
      labelNames: ['queue', 'state'],
      registers: [registry],
    }),
  };
}
