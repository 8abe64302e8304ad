import type { Logger } from '@supergraph/server-kit/telemetry';
import type { InventoryClient } from '../clients/inventory-client.js';
import type { PaymentProvider } from '../clients/payment-provider.js';
import type { OrdersDatabase } from '../db/client.js';
import type { CrashHook } from './crash-points.js';
import type { CheckoutMetrics } from './metrics.js';

// What the checkout saga runs with: its database, its two remote parties, its clock and timing.

export interface SagaTiming {
  /** How long a driver holds a saga before another may take it over (CHECKOUT_LEASE_MS). */
  leaseMs: number;
  /**
   * How long after checkout started the saga keeps trying to go forward (CHECKOUT_DEADLINE_SECONDS);
   * past it, a saga that has not been charged compensates instead.
   */
  deadlineMs: number;
  /** How long products holds the stock: past the deadline, so it outlives every charge attempt. */
  reservationTtlSeconds: number;
  /**
   * How long after a charge with no answer the provider may still act on it: a compensation that
   * must find out whether money moved waits this long after the last attempt before looking
   * (CHECKOUT_PAYMENT_SETTLE_SECONDS).
   */
  paymentSettleMs: number;
  /**
   * Likewise for a reservation with no answer: products may still be working on it (waiting for a
   * row lock, say), so a release that finds nothing is believed only after this long.
   */
  inventorySettleMs: number;
  /**
   * How long after compensation settled an unknown payment the provider is asked once more for the
   * order's charges (CHECKOUT_LATE_CHARGE_CHECK_SECONDS): one that landed later still is refunded.
   */
  lateChargeCheckMs: number;
  /** The first retry's delay; each further one doubles it, up to maxRetryDelayMs. */
  baseRetryDelayMs: number;
  maxRetryDelayMs: number;
}

export interface SagaDependencies {
  database: OrdersDatabase;
  inventory: InventoryClient;
  payments: PaymentProvider;
  logger: Logger;
  timing: SagaTiming;
  crash: CrashHook;
  now: () => Date;
  /** Counted when given (the running service); tests may leave it out. */
  metrics?: CheckoutMetrics;
}

/**
 * Who drives: a customer's request fails fast when the inventory is unreachable before anything
 * was reserved (the customer is told to retry, nothing is left behind); the recovery loop keeps
 * trying until the deadline.
 */
export type DriverMode = 'request' | 'recovery';
