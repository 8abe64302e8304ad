import { Counter, type Registry } from 'prom-client';

/** What checkout adds to the service's /metrics. */
export interface CheckoutMetrics {
  /** Sagas that reached a final step: outcome CONFIRMED, CANCELLED or REJECTED, and why (`none` when confirmed). */
  finished: Counter<'outcome' | 'reason'>;
  /** Steps that got no definitive answer and were scheduled again, by step: a rising rate means a party is down. */
  retries: Counter<'step'>;
}

export function createCheckoutMetrics(registry: Registry): CheckoutMetrics {
  return {
    finished: new Counter({
      name: 'checkout_sagas_finished_total',
      help: 'Checkout sagas that reached a final step, by outcome and failure reason.',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'checkout_step_retries_total',
      help: 'Checkout saga steps scheduled for another attempt after a failure without a definitive answer.',
      labelNames: ['step'],
      registers: [registry],
    }),
  };
}
