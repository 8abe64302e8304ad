import type { Viewer } from '@supergraph/server-kit/auth';
import { expect } from 'vitest';
import type { CreateOrderInput } from '../src/__generated__/resolvers-types.js';
import { createCheckoutService, type CheckoutService } from '../src/checkout/checkout.js';
import type { CrashHook, CrashPoint } from '../src/checkout/crash-points.js';
import type { SagaDependencies } from '../src/checkout/dependencies.js';
import { driveSaga } from '../src/checkout/driver.js';
import type { Saga } from '../src/checkout/saga-record.js';
import { findSaga, findSagaByKey } from '../src/checkout/saga-store.js';

/** A driver dying at a crash point: what CHECKOUT_CRASH_POINT does to the process, as an exception. */
export class SimulatedCrash extends Error {}

const crashAt =
  (point: CrashPoint): CrashHook =>
  (reached) => {
    if (reached === point) throw new SimulatedCrash(`crashed at ${point}`);
  };

/**
 * Checkouts and cancellations whose driver dies at a crash point holding its lease, as a killed
 * process leaves them: the saga, the order rows, the reservation and the charge are whatever that
 * driver had done.
 */
export function createInterruptions(deps: SagaDependencies) {
  /**
   * Runs `start` on a checkout service whose request dies at `recordedAt`, the point where it has
   * recorded the saga, then carries the saga on as the driver holding its lease would, until it
   * dies at `point` (`recordedAt` or later).
   */
  async function interrupt(
    start: (service: CheckoutService) => Promise<unknown>,
    recordedAt: CrashPoint,
    findRecorded: () => Promise<Saga | null>,
    point: CrashPoint,
  ): Promise<Saga> {
    const service = createCheckoutService({ ...deps, crash: crashAt(recordedAt), waitMs: 0, stepBudgetMs: 1_000 });
    await expect(start(service)).rejects.toBeInstanceOf(SimulatedCrash);
    const saga = await findRecorded();
    if (!saga) throw new Error(`no saga was recorded before the crash at ${recordedAt}`);
    if (point !== recordedAt) {
      expect(saga.leaseOwner).not.toBeNull();
      await expect(
        driveSaga({ ...deps, crash: crashAt(point) }, saga, { owner: saga.leaseOwner!, mode: 'request' }),
      ).rejects.toBeInstanceOf(SimulatedCrash);
    }
    return saga;
  }

  return {
    /** Starts a checkout whose driver dies at `point` holding its lease. Returns the order id. */
    async interruptCheckout(viewer: Viewer, input: CreateOrderInput, point: CrashPoint): Promise<string> {
      const saga = await interrupt(
        (service) => service.createOrder(viewer, input, { requestId: 'interrupted-checkout' }),
        'checkout-recorded',
        () => findSagaByKey(deps.database, viewer.id, input.idempotencyKey),
        point,
      );
      return saga.orderId;
    },
    /** Like interruptCheckout, for cancelOrder: its driver dies at `point` (compensation-recorded or later). */
    async interruptCancellation(viewer: Viewer, orderId: string, point: CrashPoint): Promise<void> {
      await interrupt(
        (service) => service.cancelOrder(viewer, orderId, { requestId: 'interrupted-cancellation' }),
        'compensation-recorded',
        () => findSaga(deps.database, orderId),
        point,
      );
    },
  };
}
