import { randomUUID } from 'node:crypto';
import type { Viewer } from '@supergraph/server-kit/auth';
import { ForbiddenError, NotFoundError } from '@supergraph/server-kit/graphql';
import type { OrderRow } from '../db/tables/index.js';
import { IdempotencyKeyReusedError, OrderNotCancellableError } from '../errors.js';
import { findOrdersByIds } from '../orders/order-store.js';
import { hashCheckoutRequest, readCheckoutInput, type CheckoutRequest } from './checkout-input.js';
import type { SagaDependencies } from './dependencies.js';
import { isCancellationOfConfirmedOrder, toCheckoutError, type FailureCode } from './failures.js';
import { runToAnswer, type RequestTiming } from './run-to-answer.js';
import type { Saga } from './saga-record.js';
import { insertSagaOrFindByKey, startCancellation } from './saga-store.js';
import { currentTraceParent } from './saga-tracing.js';

// createOrder and cancelOrder: record a saga (or find the one this idempotency key started), drive
// it (driver.ts) until it has an outcome, and answer with the order or the stored outcome's error.

export type CheckoutServiceOptions = SagaDependencies & RequestTiming;

/** The request a mutation runs in: its id goes into the saga's log lines and onto its calls to other services. */
export interface CheckoutCall {
  requestId: string;
}

/** What the Mutation resolvers call. Errors are the typed ones the schema documents. */
export interface CheckoutService {
  /** Places an order, or answers as the first request with this idempotency key did. */
  createOrder(viewer: Viewer, input: CheckoutRequest, call: CheckoutCall): Promise<OrderRow>;
  /** Cancels a confirmed order (its owner or an admin): refund, then restock. Cancelled already: as it is. */
  cancelOrder(viewer: Viewer, orderId: string, call: CheckoutCall): Promise<OrderRow>;
}

export function createCheckoutService(options: CheckoutServiceOptions): CheckoutService {
  return {
    createOrder: (viewer, input, call) => placeOrder(options, viewer, input, call),
    cancelOrder: (viewer, orderId, call) => cancelOrder(options, viewer, orderId, call),
  };
}

async function loadOrder(options: CheckoutServiceOptions, orderId: string): Promise<OrderRow> {
  const [order] = await findOrdersByIds(options.database, [orderId]);
  if (!order) throw new Error(`saga ${orderId} has no order`);
  return order;
}

async function placeOrder(
  options: CheckoutServiceOptions,
  viewer: Viewer,
  input: CheckoutRequest,
  { requestId }: CheckoutCall,
): Promise<OrderRow> {
  const request = readCheckoutInput(input);
  const requestHash = hashCheckoutRequest(request);
  const owner = randomUUID();
  const now = options.now();
  const { saga, isNew } = await insertSagaOrFindByKey(options.database, {
    orderId: randomUUID(),
    userId: viewer.id,
    idempotencyKey: request.idempotencyKey,
    requestHash,
    items: request.items,
    paymentToken: request.paymentToken,
    step: 'RESERVING',
    paymentState: 'NONE',
    attempts: 0,
    nextAttemptAt: now,
    leaseOwner: owner,
    leaseUntil: new Date(now.getTime() + options.timing.leaseMs),
    // The recovery loop's trace links back to this request, and its calls carry this request's id.
    traceParent: currentTraceParent(),
    requestId,
    phaseStartedAt: now,
    createdAt: now,
    updatedAt: now,
  });
  if (!isNew && saga.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
  if (isNew) {
    options.metrics?.started.inc();
    options.logger.info({ reqId: requestId, orderId: saga.orderId, lines: request.items.length }, 'checkout started');
    options.crash('checkout-recorded');
  }
  return runToAnswer(options, saga, { heldBy: isNew ? owner : null, requestId }, (current) => answerCheckout(options, current));
}

/** What a createOrder request answers for its saga as it stands: the order, the stored outcome's error, or nothing yet. */
async function answerCheckout(options: CheckoutServiceOptions, saga: Saga): Promise<OrderRow | null> {
  const code = saga.failureCode;
  if (saga.step === 'CONFIRMED' || isCancellationOfConfirmedOrder(code)) return loadOrder(options, saga.orderId);
  if (code !== null) throw toCheckoutError(code, saga.failureDetails, saga.orderId);
  return null;
}

async function cancelOrder(
  options: CheckoutServiceOptions,
  viewer: Viewer,
  orderId: string,
  { requestId }: CheckoutCall,
): Promise<OrderRow> {
  const [order] = await findOrdersByIds(options.database, [orderId]);
  if (!order) throw new NotFoundError(`There is no order ${orderId}.`);
  const isOwner = viewer.id === order.userId;
  if (!isOwner && viewer.role !== 'ADMIN') throw new ForbiddenError('You can cancel only your own orders.');
  if (order.status === 'CANCELLED') return order;
  if (order.status === 'PENDING') throw new OrderNotCancellableError({ orderId });
  const reason: FailureCode = isOwner ? 'CANCELLED_BY_CUSTOMER' : 'CANCELLED_BY_ADMIN';
  const owner = randomUUID();
  const { saga, isOwned } = await startCancellation(options.database, {
    order,
    reason,
    owner,
    now: options.now(),
    leaseMs: options.timing.leaseMs,
    traceParent: currentTraceParent(),
    requestId,
  });
  if (isOwned) {
    options.logger.info({ reqId: requestId, orderId, reason }, 'order cancellation started');
    options.crash('compensation-recorded');
  }
  return runToAnswer(options, saga, { heldBy: isOwned ? owner : null, requestId }, async (current) =>
    current.step === 'CANCELLED' ? loadOrder(options, orderId) : null,
  );
}
