import { expect } from 'vitest';
import type { Reservation } from '../src/clients/inventory-client.js';
import type { SagaTiming } from '../src/checkout/dependencies.js';
import type { Saga } from '../src/checkout/saga-record.js';
import type { StepOutcome } from '../src/checkout/step-outcomes.js';
import { decideNext, type NextChange, type TransitionContext } from '../src/checkout/transition.js';

// What the unit tests of the saga's pure transition (src/checkout/transition*.test.ts) share: a
// saga at any step, the context it is decided in, reservations, and matchers for the change decided.

export const CREATED_AT = new Date('2026-01-01T10:00:00.000Z');
export const NOW = new Date(CREATED_AT.getTime() + 5_000);
export const TIMING: SagaTiming = {
  leaseMs: 30_000,
  deadlineMs: 600_000,
  reservationTtlSeconds: 900,
  paymentSettleMs: 120_000,
  inventorySettleMs: 4_000,
  lateChargeCheckMs: 3_600_000,
  baseRetryDelayMs: 1_000,
  maxRetryDelayMs: 60_000,
};

/** A saga at `step` for a cart of 2 lamps and 1 desk, its lease held by driver-1; `more` replaces fields. */
export function sagaAt(step: Saga['step'], more: Partial<Saga> = {}): Saga {
  return {
    orderId: 'order-1',
    userId: 'user-1',
    idempotencyKey: 'key-1',
    requestHash: 'hash-1',
    items: [
      { productId: 'lamp', quantity: 2 },
      { productId: 'desk', quantity: 1 },
    ],
    paymentToken: 'tok_visa',
    step,
    paymentState: 'NONE',
    chargeId: null,
    failureCode: null,
    failureDetails: {},
    attempts: 0,
    nextAttemptAt: CREATED_AT,
    leaseOwner: 'driver-1',
    leaseUntil: new Date(NOW.getTime() + TIMING.leaseMs),
    lastError: null,
    lateChargeCheckAt: null,
    traceParent: null,
    requestId: 'request-1',
    phaseStartedAt: CREATED_AT,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...more,
  };
}

const context = (more: Partial<TransitionContext> = {}): TransitionContext => ({
  now: NOW,
  timing: TIMING,
  mode: 'request',
  ...more,
});

/** What decideNext decides for `outcome` at NOW, in a waiting customer's request unless `more.context` says otherwise. */
export function next(saga: Saga, outcome: StepOutcome, more: { hasOrder?: boolean; context?: Partial<TransitionContext> } = {}) {
  return decideNext({ saga, hasOrder: more.hasOrder ?? false }, outcome, context(more.context));
}

/** order-1's reservation of `lines`. */
export function reservation(lines: Reservation['lines'], status: Reservation['status'] = 'RESERVED'): Reservation {
  return { orderId: 'order-1', status, expiresAt: new Date(NOW.getTime() + 900_000), lines };
}

/** The saga's cart as the inventory reserves it, at the inventory's prices. */
export const LAMP = { productId: 'lamp', name: 'Lamp', quantity: 2, unitPriceMinor: 2_500, currency: 'USD' };
export const DESK = { productId: 'desk', name: 'Desk', quantity: 1, unitPriceMinor: 19_999, currency: 'USD' };
/** What a change that frees the idempotency key records. */
export const FREE_KEY = { idempotencyKey: null, requestHash: null };

/** A change that records `change` (with the attempts reset) and nothing else. */
export function recorded(change: object, more: object = {}) {
  return expect.objectContaining({
    kind: 'record',
    orderWrite: null,
    ...more,
    change: { attempts: 0, lastError: null, ...change },
  }) as unknown;
}

/** A change that schedules attempt number `attempts` in `delayMs`, recording `lastError`. */
export function retried(attempts: number, delayMs: number, lastError: string) {
  return expect.objectContaining({ kind: 'retry', attempts, delayMs, lastError }) as unknown;
}

/** Whether a change leaves the idempotency key as it is. */
export function keyIsKept(change: NextChange): boolean {
  return change.kind === 'record' && !('idempotencyKey' in change.change);
}
