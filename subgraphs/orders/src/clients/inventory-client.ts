import {
  RESERVATIONS_PATH,
  reservationBodySchema,
  reservationErrorBodySchema,
  type ReservationErrorBody,
  type ReservationLine,
  type ReservationStatus,
  type ReserveRequestBody,
} from '@supergraph/contracts/reservations';
import { callJson, isNoAnswer, noAnswer, type JsonAnswer, type NoAnswer } from './json-call.js';

/**
 * The products service's internal inventory API (subgraphs/products/README.md, "Internal inventory
 * API") as checkout needs it. Like the PaymentProvider, every call answers with a result instead of
 * throwing for anything the network or the other side can do; `unavailable` means the outcome is
 * unknown and the same call (idempotent per order) should be retried.
 */
export interface InventoryClient {
  /** Holds stock for an order's lines, at today's catalog prices. Idempotent per order id. */
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /** Makes a reservation's sale final. Idempotent. */
  commit(orderId: string): Promise<CommitResult>;
  /** Gives a reservation's stock back, committed or not. Idempotent. */
  release(orderId: string): Promise<ReleaseResult>;
}

/** The contract's request, with the lifetime always named. */
export type ReserveRequest = Required<ReserveRequestBody>;

export type { ReservationLine };

/** The contract's reservation as checkout needs it: when it expires, and its lines at their prices. */
export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  expiresAt: Date;
  lines: ReservationLine[];
}

/** The inventory refused the request and did nothing: a bug or a configuration error on our side. */
export interface InventoryRequestInvalid {
  status: 'invalid';
  isRetryable: false;
  /** The inventory's error code, such as BAD_USER_INPUT or FORBIDDEN. */
  code: string;
  message: string;
}

export type InventoryUnavailable = NoAnswer;

export type ReserveResult =
  /** Held (or already held, or already released, by an earlier call for this order: check `status`). */
  | { status: 'reserved'; reservation: Reservation }
  | { status: 'out_of_stock'; productId: string; available: number; requested: number }
  | { status: 'unknown_product'; productId: string }
  | InventoryUnavailable
  | InventoryRequestInvalid;

export type CommitResult =
  | { status: 'committed'; reservation: Reservation }
  /** Released first (by a release or by expiry): the stock is no longer this order's. */
  | { status: 'released' }
  | { status: 'not_found' }
  | InventoryUnavailable
  | InventoryRequestInvalid;

export type ReleaseResult =
  | { status: 'released'; reservation: Reservation }
  /** There was nothing to release: no reservation was ever made for the order. */
  | { status: 'not_found' }
  | InventoryUnavailable
  | InventoryRequestInvalid;

export interface InventoryClientOptions {
  /** The products service's origin, such as `http://127.0.0.1:4002` (PRODUCTS_INTERNAL_URL). */
  baseUrl: string;
  /** Sent as x-service-credential (PRODUCTS_INVENTORY_SECRET). */
  secret: string;
  /** Deadline of each call (INVENTORY_TIMEOUT_MS). */
  timeoutMs: number;
}

/** An error answer's `error` object, as the contract reads it. */
type InventoryError = ReservationErrorBody['error'];

export function createInventoryClient({ baseUrl, secret, timeoutMs }: InventoryClientOptions): InventoryClient {
  const origin = baseUrl.replace(/\/+$/, '');
  const send = (path: string, body?: unknown) =>
    callJson({
      method: 'POST',
      url: `${origin}${RESERVATIONS_PATH}${path}`,
      headers: { 'x-service-credential': secret },
      body: body ?? {},
      timeoutMs,
    });

  return {
    async reserve({ orderId, items, ttlSeconds }) {
      const answer = await send('', { orderId, items, ttlSeconds } satisfies ReserveRequestBody);
      if (isNoAnswer(answer)) return answer;
      if (answer.status === 200 || answer.status === 201) return readReservation(answer, 'reserve', 'reserved');
      const error = readError(answer);
      if (!error) return malformed('reserve', answer);
      if (error.code === 'OUT_OF_STOCK' && error.productId !== undefined) {
        return {
          status: 'out_of_stock',
          productId: error.productId,
          available: error.available ?? 0,
          requested: error.requested ?? 0,
        };
      }
      if (error.code === 'UNKNOWN_PRODUCT' && error.productId !== undefined) {
        return { status: 'unknown_product', productId: error.productId };
      }
      return classify(answer, error);
    },

    async commit(orderId) {
      const answer = await send(`/${encodeURIComponent(orderId)}/commit`);
      if (isNoAnswer(answer)) return answer;
      if (answer.status === 200) return readReservation(answer, 'commit', 'committed');
      const error = readError(answer);
      if (!error) return malformed('commit', answer);
      if (error.code === 'RESERVATION_RELEASED') return { status: 'released' };
      if (error.code === 'RESERVATION_NOT_FOUND') return { status: 'not_found' };
      return classify(answer, error);
    },

    async release(orderId) {
      const answer = await send(`/${encodeURIComponent(orderId)}/release`);
      if (isNoAnswer(answer)) return answer;
      if (answer.status === 200) return readReservation(answer, 'release', 'released');
      const error = readError(answer);
      if (!error) return malformed('release', answer);
      if (error.code === 'RESERVATION_NOT_FOUND') return { status: 'not_found' };
      return classify(answer, error);
    },
  };
}

function readReservation<TStatus extends string>(
  answer: JsonAnswer,
  call: string,
  status: TStatus,
): { status: TStatus; reservation: Reservation } | NoAnswer {
  const parsed = reservationBodySchema.safeParse(answer.body);
  if (!parsed.success) return malformed(call, answer);
  const { orderId, status: reservationStatus, expiresAt, lines } = parsed.data;
  return { status, reservation: { orderId, status: reservationStatus, expiresAt: new Date(expiresAt), lines } };
}

function readError(answer: JsonAnswer): InventoryError | null {
  const parsed = reservationErrorBodySchema.safeParse(answer.body);
  return parsed.success ? parsed.data.error : null;
}

/**
 * 5xx and 429 are the other side's trouble, and 401/403 a credential being rotated or misconfigured
 * (fixed by an operator, not by the customer): retry all of them. Any other 4xx (a conflicting
 * reservation, a request products cannot read) is final.
 */
function classify(answer: JsonAnswer, error: InventoryError): InventoryUnavailable | InventoryRequestInvalid {
  if (answer.status >= 500 || answer.status === 429 || answer.status === 401 || answer.status === 403) {
    return noAnswer('provider_error', `the inventory answered ${answer.status} ${error.code}: ${error.message}`);
  }
  return { status: 'invalid', isRetryable: false, code: error.code, message: error.message };
}

function malformed(call: string, answer: { status: number }): NoAnswer {
  return noAnswer('provider_error', `inventory ${call} answered ${answer.status} with a body of an unexpected shape`);
}
