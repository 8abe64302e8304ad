import { z } from 'zod';
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

export interface ReserveRequest {
  orderId: string;
  items: { productId: string; quantity: number }[];
  /** How long products holds the stock if nobody commits or releases it. */
  ttlSeconds: number;
}

export interface ReservationLine {
  productId: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  currency: string;
}

export interface Reservation {
  orderId: string;
  status: 'RESERVED' | 'COMMITTED' | 'RELEASED';
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

const reservationBody = z.object({
  orderId: z.string(),
  status: z.enum(['RESERVED', 'COMMITTED', 'RELEASED']),
  expiresAt: z.iso.datetime(),
  lines: z.array(
    z.object({
      productId: z.string(),
      name: z.string(),
      quantity: z.number().int().positive(),
      unitPriceMinor: z.number().int().nonnegative(),
      currency: z.string().length(3),
    }),
  ),
});

const errorBody = z.object({
  error: z.looseObject({
    code: z.string(),
    message: z.string().optional(),
    productId: z.string().optional(),
    available: z.number().optional(),
    requested: z.number().optional(),
  }),
});

type InventoryError = z.output<typeof errorBody>['error'];

export function createInventoryClient({ baseUrl, secret, timeoutMs }: InventoryClientOptions): InventoryClient {
  const origin = baseUrl.replace(/\/+$/, '');
  const send = (path: string, body?: unknown) =>
    callJson({
      method: 'POST',
      url: `${origin}/internal/reservations${path}`,
      headers: { 'x-service-credential': secret },
      body: body ?? {},
      timeoutMs,
    });

  return {
    async reserve({ orderId, items, ttlSeconds }) {
      const answer = await send('', { orderId, items, ttlSeconds });
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
  const parsed = reservationBody.safeParse(answer.body);
  if (!parsed.success) return malformed(call, answer);
  return { status, reservation: { ...parsed.data, expiresAt: new Date(parsed.data.expiresAt) } };
}

function readError(answer: JsonAnswer): InventoryError | null {
  const parsed = errorBody.safeParse(answer.body);
  return parsed.success ? parsed.data.error : null;
}

/**
 * 5xx and 429 are the other side's trouble, and 401/403 a credential being rotated or misconfigured
 * (fixed by an operator, not by the customer): retry all of them. Any other 4xx (a conflicting
 * reservation, a request products cannot read) is final.
 */
function classify(answer: JsonAnswer, error: InventoryError): InventoryUnavailable | InventoryRequestInvalid {
  if (answer.status >= 500 || answer.status === 429 || answer.status === 401 || answer.status === 403) {
    return noAnswer('provider_error', `the inventory answered ${answer.status} ${error.code}: ${error.message ?? 'no message'}`);
  }
  return { status: 'invalid', isRetryable: false, code: error.code, message: error.message ?? error.code };
}

function malformed(call: string, answer: { status: number }): NoAnswer {
  return noAnswer('provider_error', `inventory ${call} answered ${answer.status} with a body of an unexpected shape`);
}
