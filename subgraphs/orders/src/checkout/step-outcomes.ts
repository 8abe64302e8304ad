import type { InventoryRequestInvalid, InventoryUnavailable, Reservation } from '../clients/inventory-client.js';
import type { PaymentState } from '../db/tables/index.js';

// What each step's remote call answered, reduced to what the transition needs to decide the next
// change. Steps produce these (src/checkout/steps/), transition.ts consumes them.

/** Every step: no definitive answer (a timeout, an outage); `delayMs` when the step knows how long to wait. */
export interface NoAnswerYet {
  kind: 'no-answer';
  reason: string;
  delayMs?: number;
}

/** Every step but charging: the inventory refused the request and did nothing (ours to fix). */
export interface InventoryRefused {
  kind: 'inventory-refused';
  code: string;
  message: string;
}

export type ReserveOutcome = { step: 'RESERVING' } & (
  | { kind: 'past-deadline' }
  | { kind: 'reserved'; reservation: Reservation }
  | { kind: 'out-of-stock'; productId: string; available: number; requested: number }
  | { kind: 'unknown-product'; productId: string }
  | InventoryRefused
  | NoAnswerYet
);

export type ChargeOutcome = { step: 'CHARGING' } &
  /** Past the deadline, or the token is gone: no charge is sent. */
  (
    | { kind: 'cannot-charge' }
    | { kind: 'charged'; chargeId: string }
    | { kind: 'declined'; declineCode: string; message: string }
    /** The provider refused the token before anything happened: the customer's to fix, like a decline. */
    | { kind: 'token-invalid' }
    /** The provider refused the request for a reason of ours (a key, a bug). */
    | { kind: 'payment-refused'; reason: string; message: string }
    | NoAnswerYet
  );

export type CommitOutcome = { step: 'COMMITTING' } & (
  | { kind: 'committed'; reservationStatus: Reservation['status'] }
  /** The stock is no longer held for the order (its reservation expired or was released). */
  | { kind: 'reservation-gone'; status: 'released' | 'not_found' }
  | InventoryRefused
  | NoAnswerYet
);

export type CompensateOutcome = { step: 'COMPENSATING' } &
  /** The money step found out where the payment stands now, and it differs from what the saga says. */
  (
    | { kind: 'payment-settled'; paymentState: PaymentState }
    /** The payment was settled already; the stock was released (`found`: a reservation existed). */
    | { kind: 'stock-released'; found: boolean }
    | InventoryRefused
    | NoAnswerYet
  );

export type StepOutcome = ReserveOutcome | ChargeOutcome | CommitOutcome | CompensateOutcome;

/** An inventory call that did nothing (refused) or whose outcome is unknown (no answer), as an outcome. */
export function toInventoryFailure(result: InventoryRequestInvalid | InventoryUnavailable): InventoryRefused | NoAnswerYet {
  return result.status === 'invalid'
    ? { kind: 'inventory-refused', code: result.code, message: result.message }
    : { kind: 'no-answer', reason: result.message };
}
