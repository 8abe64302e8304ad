import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Viewer } from '@supergraph/server-kit/auth';
import { ForbiddenError, NotFoundError } from '@supergraph/server-kit/graphql';
import { IdempotencyKeyReusedError, OrderInProgressError, OrderNotCancellableError } from '../errors.js';
import { findOrdersByIds } from '../orders/order-store.js';
import { FINAL_SAGA_STEPS, type CheckoutSagaRow, type OrderRow } from '../db/tables/index.js';
import { hashCheckoutRequest, readCheckoutInput, type CheckoutRequest } from './checkout-input.js';
import {
  isCancellationOfConfirmedOrder,
  readFailureCode,
  readFailureDetails,
  toCheckoutError,
  type FailureCode,
} from './failures.js';
import { driveSaga, type DriverMode, type SagaDependencies } from './saga.js';
import { claimSaga, findSaga, insertSagaOrFindByKey, releaseLease, startCancellation } from './saga-store.js';

/** How often a request waiting for another driver's saga looks again. */
const POLL_INTERVAL_MS = 100;

export interface CheckoutServiceOptions extends SagaDependencies {
  /**
   * How long a request waits for a saga another driver holds (a concurrent retry with the same key)
   * before answering ORDER_IN_PROGRESS (CHECKOUT_WAIT_MS). Below the router's subgraph timeout.
   */
  waitMs: number;
  /** The longest a saga step may take (the slowest remote call's deadline): a waiting request takes over only with this much time left. */
  stepBudgetMs: number;
}

/** What the Mutation resolvers call. Errors are the typed ones the schema documents. */
export interface CheckoutService {
  /** Places an order, or answers as the first request with this idempotency key did. */
  createOrder(viewer: Viewer, input: CheckoutRequest): Promise<OrderRow>;
  /** Cancels a confirmed order (its owner or an admin): refund, then restock. Cancelled already: as it is. */
  cancelOrder(viewer: Viewer, orderId: string): Promise<OrderRow>;
}

export function createCheckoutService(options: CheckoutServiceOptions): CheckoutService {
  const { database, timing, logger, waitMs, stepBudgetMs } = options;

  /** Drives a saga this request holds, then gives the lease back whatever happened. */
  async function drive(saga: CheckoutSagaRow, owner: string, mode: DriverMode): Promise<CheckoutSagaRow> {
    try {
      return await driveSaga(options, saga, { owner, mode });
    } finally {
      await releaseLease(database, { orderId: saga.orderId, owner }).catch((error: unknown) =>
        logger.error({ err: error, orderId: saga.orderId }, 'could not give up a checkout lease; it runs out on its own'),
      );
    }
  }

  async function loadOrder(orderId: string): Promise<OrderRow> {
    const [order] = await findOrdersByIds(database, [orderId]);
    if (!order) throw new Error(`saga ${orderId} has no order`);
    return order;
  }

  /**
   * Runs or waits for a saga until `answer` has an answer: drives it when this request holds it
   * (or can take it: a client's retry of a saga nobody is driving), otherwise polls while another
   * driver works, up to waitMs. A saga that must wait for a retry answers ORDER_IN_PROGRESS.
   */
  async function runToAnswer(
    first: CheckoutSagaRow,
    heldBy: string | null,
    answer: (saga: CheckoutSagaRow) => Promise<OrderRow | null>,
  ): Promise<OrderRow> {
    const waitUntil = Date.now() + waitMs;
    let saga = first;
    let owner = heldBy;
    for (;;) {
      let isWaitingForRetry = false;
      if (owner !== null) {
        saga = await drive(saga, owner, 'request');
        // Not final and no retry scheduled: another driver took the saga over; wait for it like for any other.
        isWaitingForRetry = saga.leaseOwner === null && saga.nextAttemptAt > options.now();
        owner = null;
      }
      const result = await answer(saga);
      if (result) return result;
      if (isWaitingForRetry || Date.now() >= waitUntil) {
        throw new OrderInProgressError({ orderId: saga.orderId });
      }
      await sleep(POLL_INTERVAL_MS);
      saga = (await findSaga(database, saga.orderId)) ?? saga;
      // Take the saga over only when nobody holds it and there is time for a step before the
      // router gives up on this request; otherwise keep reading (a read, not a write, per poll).
      const now = options.now();
      const isFree = saga.leaseUntil === null || saga.leaseUntil < now;
      const hasTimeForAStep = waitUntil - Date.now() >= stepBudgetMs;
      if (isFree && hasTimeForAStep && !FINAL_SAGA_STEPS.includes(saga.step)) {
        const candidate = randomUUID();
        const claimed = await claimSaga(database, {
          orderId: saga.orderId,
          owner: candidate,
          now,
          leaseMs: timing.leaseMs,
          dueOnly: false,
        });
        if (claimed) {
          saga = claimed;
          owner = candidate;
        }
      }
    }
  }

  return {
    async createOrder(viewer, input) {
      const request = readCheckoutInput(input);
      const requestHash = hashCheckoutRequest(request);
      const owner = randomUUID();
      const now = options.now();
      const { saga, isNew } = await insertSagaOrFindByKey(database, {
        orderId: randomUUID(),
        userId: viewer.id,
        idempotencyKey: request.idempotencyKey,
        requestHash,
        items: JSON.stringify(request.items),
        paymentToken: request.paymentToken,
        step: 'RESERVING',
        paymentState: 'NONE',
        attempts: 0,
        nextAttemptAt: now,
        leaseOwner: owner,
        leaseUntil: new Date(now.getTime() + timing.leaseMs),
        createdAt: now,
        updatedAt: now,
      });
      if (!isNew && saga.requestHash !== requestHash) {
        throw new IdempotencyKeyReusedError();
      }
      if (isNew) {
        logger.info({ orderId: saga.orderId, lines: request.items.length }, 'checkout started');
        options.crash('checkout-recorded');
      }
      return runToAnswer(saga, isNew ? owner : null, async (current) => {
        const code = readFailureCode(current.failureCode);
        if (current.step === 'CONFIRMED' || isCancellationOfConfirmedOrder(code)) return loadOrder(current.orderId);
        if (code !== null) throw toCheckoutError(code, readFailureDetails(current.failureDetails), current.orderId);
        return null;
      });
    },

    async cancelOrder(viewer, orderId) {
      const [order] = await findOrdersByIds(database, [orderId]);
      if (!order) throw new NotFoundError(`There is no order ${orderId}.`);
      const isOwner = viewer.id === order.userId;
      if (!isOwner && viewer.role !== 'ADMIN') throw new ForbiddenError('You can cancel only your own orders.');
      if (order.status === 'CANCELLED') return order;
      if (order.status === 'PENDING') {
        throw new OrderNotCancellableError({ orderId });
      }
      const reason: FailureCode = isOwner ? 'CANCELLED_BY_CUSTOMER' : 'CANCELLED_BY_ADMIN';
      const owner = randomUUID();
      const { saga, isOwned } = await startCancellation(database, {
        order,
        reason,
        owner,
        now: options.now(),
        leaseMs: timing.leaseMs,
      });
      if (isOwned) {
        logger.info({ orderId, reason }, 'order cancellation started');
        options.crash('compensation-recorded');
      }
      return runToAnswer(saga, isOwned ? owner : null, async (current) =>
        current.step === 'CANCELLED' ? loadOrder(orderId) : null,
      );
    },
  };
}
