import { z } from 'zod';
import type { CheckoutSagaRow } from '../db/tables/index.js';
import { FAILURE_CODES, failureDetailsSchema, type FailureCode, type FailureDetails } from './failures.js';

// The checkout_sagas row as the saga works with it: its JSON columns parsed with zod when read, and
// written back as JSON. Nothing else in checkout sees the columns' text.

/** One requested line, as stored in checkout_sagas.items. */
export interface SagaLine {
  productId: string;
  quantity: number;
}

const sagaLinesSchema = z.array(z.object({ productId: z.string(), quantity: z.number().int() }));
// A code this version does not know (written by a newer one) reads as none, like a missing one.
const failureCodeSchema = z.enum(FAILURE_CODES).nullable().catch(null);

/** A saga as read from checkout_sagas. */
export type Saga = Omit<CheckoutSagaRow, 'items' | 'failureCode' | 'failureDetails'> & {
  items: SagaLine[];
  failureCode: FailureCode | null;
  failureDetails: FailureDetails;
};

/** The columns a step may change. */
export type SagaChange = Partial<
  Pick<
    Saga,
    | 'step'
    | 'paymentState'
    | 'chargeId'
    | 'failureCode'
    | 'failureDetails'
    | 'paymentToken'
    | 'idempotencyKey'
    | 'requestHash'
    | 'attempts'
    | 'nextAttemptAt'
    | 'lastError'
    | 'lateChargeCheckAt'
  >
>;

export function parseSagaRow(row: CheckoutSagaRow): Saga {
  return {
    ...row,
    items: sagaLinesSchema.parse(JSON.parse(row.items)),
    failureCode: failureCodeSchema.parse(row.failureCode),
    failureDetails: parseFailureDetails(row.failureDetails),
  };
}

/** Details that are missing or unreadable read as none: the error then says less, never fails. */
function parseFailureDetails(value: string | null): FailureDetails {
  if (value === null) return {};
  try {
    const parsed = failureDetailsSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function serializeLines(lines: readonly SagaLine[]): string {
  return JSON.stringify(lines.map(({ productId, quantity }) => ({ productId, quantity })));
}

/** A change as the row's columns hold it. */
export function toRowChange({ failureDetails, ...change }: SagaChange): Partial<CheckoutSagaRow> {
  return failureDetails === undefined ? change : { ...change, failureDetails: JSON.stringify(failureDetails) };
}
