import { runUncounted } from '@supergraph/server-kit/db';
import type { Logger } from '@supergraph/server-kit/telemetry';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ProductsDb } from '../db/client.js';
import { countExpiredReservations } from './reservation-store.js';

// The reservation expiry backlog on the service's /metrics (decision 025 names the series; ops/
// alerts on a backlog that does not drain): a gauge read from the database at scrape time, and a
// counter the expiry sweep increments.

export interface InventoryMetrics {
  /** Reservations (one per order) the expiry sweep released. */
  expired: Counter;
}

export interface InventoryMetricsOptions {
  database: ProductsDb;
  /** Told when the backlog cannot be read; the gauge then keeps its last value. */
  logger: Logger;
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
}

export function createInventoryMetrics(
  registry: Registry,
  { database, logger, now = () => new Date() }: InventoryMetricsOptions,
): InventoryMetrics {
  const registers = [registry];
  new Gauge({
    name: 'inventory_reservations_expired_pending',
    help: 'Stock reservations (one per order) past their expiry and neither released nor committed yet, read from the products database.',
    registers,
    async collect() {
      try {
        // Monitoring, not the service's work: kept out of db_statements_total and out of traces.
        this.set(await runUncounted(() => countExpiredReservations(database, { now: now() })));
      } catch (error) {
        logger.warn({ err: error }, 'could not count expired reservations for /metrics; the gauge keeps its last value');
      }
    },
  });
  return {
    expired: new Counter({
      name: 'inventory_reservations_expired_total',
      help: 'Stock reservations (one per order) released by the expiry sweep because nobody committed or released them in time.',
      registers,
    }),
  };
}
