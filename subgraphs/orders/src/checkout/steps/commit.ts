import type { SagaDependencies } from '../dependencies.js';
import type { Saga } from '../saga-record.js';
import { toInventoryFailure, type CommitOutcome } from '../step-outcomes.js';

/** COMMITTING: makes the paid order's reservation a sale in products (idempotent). */
export async function runCommit(deps: SagaDependencies, saga: Saga): Promise<CommitOutcome> {
  const step = 'COMMITTING';
  const result = await deps.inventory.commit(saga.orderId);
  deps.crash('stock-committed-answered');
  switch (result.status) {
    case 'committed':
      return { step, kind: 'committed', reservationStatus: result.reservation.status };
    case 'released':
    case 'not_found':
      return { step, kind: 'reservation-gone', status: result.status };
    case 'invalid':
    case 'unavailable':
      return { step, ...toInventoryFailure(result) };
  }
}
