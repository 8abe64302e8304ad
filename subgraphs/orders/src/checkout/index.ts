import type { Logger } from '@supergraph/server-kit/telemetry';
import type { OrdersDatabase } from '../db/client.js';
import type { CheckoutSettings } from '../env.js';
import { createInventoryClient, type InventoryClient } from '../clients/inventory-client.js';
import type { PaymentProvider } from '../clients/payment-provider.js';
import { createSandboxPaymentProvider } from '../clients/sandbox-payment-provider.js';
import { createCheckoutService, type CheckoutService } from './checkout.js';
import { crashAt } from './crash-points.js';
import type { CheckoutMetrics } from './metrics.js';
import { startRecoveryLoop, type RecoveryLoop } from './recovery.js';
import type { SagaDependencies } from './dependencies.js';

export type { CheckoutService } from './checkout.js';
export type { RecoveryLoop } from './recovery.js';

/** How long products holds a checkout's stock beyond its deadline, so every charge attempt fits in it. */
const RESERVATION_MARGIN_SECONDS = 300;

/**
 * The saga's dependencies as the settings describe them: the products inventory API and the payment
 * provider over HTTP, the timing, and the crash hook (crash tests only). `overrides` replaces parts
 * (tests use it for a clock).
 */
export function createSagaDependencies(
  database: OrdersDatabase,
  logger: Logger,
  settings: CheckoutSettings,
  overrides: Partial<{ inventory: InventoryClient; payments: PaymentProvider; now: () => Date; metrics: CheckoutMetrics }> = {},
): SagaDependencies {
  const { saga } = settings;
  return {
    database,
    logger,
    inventory: overrides.inventory ?? createInventoryClient(settings.inventory),
    payments: overrides.payments ?? createSandboxPaymentProvider(settings.payments),
    now: overrides.now ?? (() => new Date()),
    ...(overrides.metrics ? { metrics: overrides.metrics } : {}),
    crash: crashAt(saga.crashPoint, (point) =>
      logger.fatal({ crashPoint: point }, `CHECKOUT_CRASH_POINT ${point}: killing the process`),
    ),
    timing: {
      leaseMs: saga.leaseMs,
      deadlineMs: saga.deadlineMs,
      reservationTtlSeconds: Math.ceil(saga.deadlineMs / 1000) + RESERVATION_MARGIN_SECONDS,
      paymentSettleMs: saga.paymentSettleMs,
      lateChargeCheckMs: saga.lateChargeCheckMs,
      inventorySettleMs: 2 * settings.inventory.timeoutMs,
      baseRetryDelayMs: Math.min(1_000, saga.recoveryIntervalMs),
      maxRetryDelayMs: 60_000,
    },
  };
}

/** The longest one saga step's remote call may take: a request does not start one with less time left. */
export function stepBudgetMs(settings: CheckoutSettings): number {
  return Math.max(settings.inventory.timeoutMs, settings.payments.timeoutMs);
}

/** Checkout as a running service has it: the mutations' service and the recovery loop behind them. */
export function startCheckout(
  deps: SagaDependencies,
  settings: CheckoutSettings,
): { service: CheckoutService; recovery: RecoveryLoop } {
  return {
    service: createCheckoutService({ ...deps, waitMs: settings.saga.waitMs, stepBudgetMs: stepBudgetMs(settings) }),
    recovery: startRecoveryLoop(deps, {
      intervalMs: settings.saga.recoveryIntervalMs,
      idempotencyRetentionMs: settings.saga.idempotencyRetentionMs,
    }),
  };
}
