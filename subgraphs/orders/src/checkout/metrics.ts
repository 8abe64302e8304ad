import { runUncounted } from '@supergraph/server-kit/db';
import type { Logger } from '@supergraph/server-kit/telemetry';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { OrdersDb } from '../db/client.js';
import { readSagaBacklog, type SagaBacklog } from './saga-store.js';

// The checkout funnel on the service's /metrics (decision 025 names the series; ops/ alerts on them):
// counters the saga increments as it goes, and gauges read from the orders database at scrape time,
// so the backlog is right whichever process (or none) is driving the sagas.

/** The compensating actions counted in checkout_compensations_total. */
export const COMPENSATION_ACTIONS = ['refund', 'release_stock'] as const;
export type CompensationAction = (typeof COMPENSATION_ACTIONS)[number];

/** What checkout adds to the service's /metrics. */
export interface CheckoutMetrics {
  /** Checkouts started: a new saga recorded (a retry with the same idempotency key is not a new one). */
  started: Counter;
  /** Sagas that reached a final step: outcome CONFIRMED, CANCELLED or REJECTED, and why (`none` when confirmed). */
  finished: Counter<'outcome' | 'reason'>;
  /** Steps that got no definitive answer and were scheduled again, by step: a rising rate means a party is down. */
  retries: Counter<'step'>;
  /** Compensating actions done: a charge refunded (`refund`), a reservation's stock given back (`release_stock`). */
  compensations: Counter<'action'>;
}

export interface CheckoutBacklogOptions {
  database: OrdersDb;
  /**
   * How long after its checkout or cancellation started a saga is past its deadline
   * (CHECKOUT_DEADLINE_SECONDS): past it, a checkout that has not been charged compensates, so one
   * still pending is stuck.
   */
  deadlineMs: number;
  /** Told when the backlog cannot be read; the gauges then keep their last values. */
  logger: Logger;
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
}

export function createCheckoutMetrics(registry: Registry, backlog: CheckoutBacklogOptions): CheckoutMetrics {
  const registers = [registry];
  const compensations = new Counter({
    name: 'checkout_compensations_total',
    help: 'Compensating actions done by checkout sagas, by action (refund, release_stock).',
    labelNames: ['action'],
    registers,
  });
  // Every action's series exists from the start, so a rate over it is defined before the first one.
  for (const action of COMPENSATION_ACTIONS) compensations.inc({ action }, 0);
  registerBacklogGauges(registers, backlog);
  return {
    started: new Counter({
      name: 'checkout_sagas_started_total',
      help: 'Checkout sagas started (a retry with the same idempotency key is not counted again).',
      registers,
    }),
    finished: new Counter({
      name: 'checkout_sagas_finished_total',
      help: 'Checkout sagas that reached a final step, by outcome and failure reason.',
      labelNames: ['outcome', 'reason'],
      registers,
    }),
    retries: new Counter({
      name: 'checkout_step_retries_total',
      help: 'Checkout saga steps scheduled for another attempt after a failure without a definitive answer.',
      labelNames: ['step'],
      registers,
    }),
    compensations,
  };
}

/** checkout_sagas_pending, checkout_oldest_pending_age_seconds and checkout_sagas_past_deadline, from one query per scrape. */
function registerBacklogGauges(
  registers: Registry[],
  { database, deadlineMs, logger, now = () => new Date() }: CheckoutBacklogOptions,
) {
  // A scrape collects the three gauges at once: they share one read of the database.
  let reading: Promise<{ backlog: SagaBacklog; at: Date } | null> | null = null;
  const readBacklog = () =>
    (reading ??= (async () => {
      const at = now();
      try {
        // Monitoring, not the service's work: kept out of db_statements_total and out of traces.
        const deadlineCutoff = new Date(at.getTime() - deadlineMs);
        return { backlog: await runUncounted(() => readSagaBacklog(database, { deadlineCutoff })), at };
      } catch (error) {
        logger.warn({ err: error }, 'could not read the checkout backlog for /metrics; its gauges keep their last values');
        return null;
      } finally {
        reading = null;
      }
    })());

  new Gauge({
    name: 'checkout_sagas_pending',
    help: 'Checkout sagas (and cancellations) not at a final step yet, read from the orders database.',
    registers,
    async collect() {
      const read = await readBacklog();
      if (read) this.set(read.backlog.pending);
    },
  });
  new Gauge({
    name: 'checkout_oldest_pending_age_seconds',
    help: 'Age of the oldest checkout saga not at a final step, from when its checkout or cancellation started; 0 when there is none.',
    registers,
    async collect() {
      const read = await readBacklog();
      if (!read) return;
      const { oldestPhaseStartedAt } = read.backlog;
      this.set(oldestPhaseStartedAt === null ? 0 : Math.max(0, (read.at.getTime() - oldestPhaseStartedAt.getTime()) / 1000));
    },
  });
  new Gauge({
    name: 'checkout_sagas_past_deadline',
    help: 'Checkout sagas not at a final step whose checkout or cancellation started longer ago than the checkout deadline (CHECKOUT_DEADLINE_SECONDS).',
    registers,
    async collect() {
      const read = await readBacklog();
      if (read) this.set(read.backlog.pastDeadline);
    },
  });
}
