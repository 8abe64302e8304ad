import type { ReservationLine } from '@supergraph/contracts/reservations';
import type { ProductsDatabase, ProductsDb } from '../db/client.js';
import type { ReservationStatus } from '../db/tables/index.js';
import { InventoryError, reservationNotFound } from './inventory-error.js';
import {
  byProductId,
  readOrderId,
  validateReserveStockInput,
  type ReservationItem,
  type ReserveStockInput,
} from './reservation-input.js';
import {
  findExistingProductIds,
  findReservationLines,
  findStock,
  insertReservationLines,
  returnStock,
  takeStock,
  updateReservationStatus,
  type ReservationLineRow,
} from './reservation-store.js';

export type { ReservationLine };

/** An order's stock reservation (the contract's body, with dates). All its lines share the status and the expiry. */
export interface Reservation {
  orderId: string;
  /** RESERVED: stock held until expiresAt; COMMITTED: sold; RELEASED: stock given back. */
  status: ReservationStatus;
  /** When the expiry sweep may release it if it is still RESERVED. */
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
  /** By product id. */
  lines: ReservationLine[];
}

export interface ReserveStockResult {
  reservation: Reservation;
  /** False when the order already had this reservation and it was returned as it is. */
  isNew: boolean;
}

/** How often reserveStock starts over after losing a race for the same order id (then it sees the winner's). */
const MAX_RESERVE_ATTEMPTS = 3;

/** A concurrent call reserved for the same order first; this attempt is rolled back and starts over. */
class ReservationRaceLostError extends Error {}

/**
 * Reserves stock for an order, all lines or none, in one transaction: takes each product's units
 * with a conditional update and records the lines at the current catalog price. A line that cannot
 * be served rolls everything back: UNKNOWN_PRODUCT or OUT_OF_STOCK naming the product (with what is
 * available). Idempotent per order id: the same items again return the existing reservation,
 * whatever its status, without touching stock; other items are RESERVATION_CONFLICT.
 */
export async function reserveStock(database: ProductsDatabase, input: ReserveStockInput): Promise<ReserveStockResult> {
  const { orderId, items, ttlMs, now } = validateReserveStockInput(input);
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.transaction(async (tx) => {
        const existing = await findReservationLines(tx, orderId);
        if (existing.length > 0) return { reservation: matchExistingReservation(orderId, existing, items), isNew: false };
        await assertProductsExist(tx, items);
        const expiresAt = new Date(now.getTime() + ttlMs);
        const lines: ReservationLine[] = [];
        for (const { productId, quantity } of items) {
          const product = await takeStock(tx, productId, quantity);
          if (!product) {
            // On Postgres the units may have gone to a concurrent call for this same order, committed
            // while this one waited for the product's row: then the answer is that reservation.
            if ((await findReservationLines(tx, orderId)).length > 0) throw new ReservationRaceLostError();
            throw await explainShortage(tx, productId, quantity);
          }
          lines.push({ productId, name: product.name, quantity, unitPriceMinor: product.priceMinor, currency: product.currency });
        }
        const inserted = await insertReservationLines(
          tx,
          lines.map(({ name: _name, ...line }) => ({
            ...line,
            orderId,
            status: 'RESERVED' as const,
            expiresAt,
            createdAt: now,
            updatedAt: now,
          })),
        );
        if (inserted < lines.length) throw new ReservationRaceLostError();
        return {
          reservation: { orderId, status: 'RESERVED', expiresAt, createdAt: now, updatedAt: now, lines: lines.sort(byProductId) },
          isNew: true,
        };
      });
    } catch (error) {
      // The stock this attempt took went back with the rollback; the next attempt finds the winner's lines.
      if (!(error instanceof ReservationRaceLostError) || attempt >= MAX_RESERVE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Marks an order's reserved stock as sold: RESERVED -> COMMITTED. Committing again is a no-op. A
 * reservation past its expiry that the sweep has not released yet can still be committed (its
 * stock is still held); a RELEASED one cannot: RESERVATION_RELEASED.
 */
export async function commitReservation(
  database: ProductsDatabase,
  { orderId, now }: { orderId: string; now: Date },
): Promise<Reservation> {
  const id = readOrderId(orderId);
  return database.transaction(async (tx) => {
    await updateReservationStatus(tx, { orderId: id, from: ['RESERVED'], to: 'COMMITTED', now });
    const lines = await findExistingReservationLines(tx, id);
    // A release (or the sweep) won: throwing also undoes any line this call moved.
    if (lines.some((line) => line.status === 'RELEASED')) {
      throw new InventoryError(
        'RESERVATION_RELEASED',
        `The stock reservation for order ${id} was released; it cannot be committed.`,
        { orderId: id },
      );
    }
    return toReservation(id, lines);
  });
}

/**
 * Gives an order's stock back: RESERVED or COMMITTED -> RELEASED, restocking each line exactly once
 * however often or concurrently it is called (cancelling a confirmed order restocks too). Releasing
 * again is a no-op.
 */
export async function releaseReservation(
  database: ProductsDatabase,
  { orderId, now }: { orderId: string; now: Date },
): Promise<Reservation> {
  const id = readOrderId(orderId);
  return database.transaction(async (tx) => {
    await releaseLines(tx, { orderId: id, from: ['RESERVED', 'COMMITTED'], now });
    return toReservation(id, await findExistingReservationLines(tx, id));
  });
}

/** An order's reservation as it is now; RESERVATION_NOT_FOUND when there is none. */
export async function findReservation(db: ProductsDb, orderId: string): Promise<Reservation> {
  const id = readOrderId(orderId);
  return toReservation(id, await findExistingReservationLines(db, id));
}

/** An order's reservation lines; RESERVATION_NOT_FOUND when it has none. */
async function findExistingReservationLines(db: ProductsDb, orderId: string): Promise<ReservationLineRow[]> {
  const lines = await findReservationLines(db, orderId);
  if (lines.length === 0) throw reservationNotFound(orderId);
  return lines;
}

/**
 * Moves an order's lines from one of `from` to RELEASED and puts their units back; returns how
 * many lines it released. The status condition decides races, so stock returns once.
 */
export async function releaseLines(
  tx: ProductsDb,
  options: { orderId: string; from: ReservationStatus[]; now: Date; expiredBy?: Date },
): Promise<number> {
  const released = await updateReservationStatus(tx, { ...options, to: 'RELEASED' });
  // By product id, the order reservations take product locks in, so the two never deadlock.
  for (const { productId, quantity } of released) await returnStock(tx, productId, quantity);
  return released.length;
}

export function toReservation(orderId: string, lines: ReservationLineRow[]): Reservation {
  const [first] = lines;
  if (!first) throw new Error(`reservation ${orderId} has no lines`);
  return {
    orderId,
    status: first.status,
    expiresAt: first.expiresAt,
    createdAt: first.createdAt,
    updatedAt: lines.reduce((latest, line) => (line.updatedAt > latest ? line.updatedAt : latest), first.updatedAt),
    lines: lines
      .map(({ productId, name, quantity, unitPriceMinor, currency }) => ({ productId, name, quantity, unitPriceMinor, currency }))
      .sort(byProductId),
  };
}

/** The existing reservation when it holds exactly these items (any order); else RESERVATION_CONFLICT. */
function matchExistingReservation(
  orderId: string,
  existing: ReservationLineRow[],
  items: readonly ReservationItem[],
): Reservation {
  const quantities = new Map(existing.map((line) => [line.productId, line.quantity]));
  const isSame = existing.length === items.length && items.every((item) => quantities.get(item.productId) === item.quantity);
  if (!isSame) {
    throw new InventoryError(
      'RESERVATION_CONFLICT',
      `Order ${orderId} already has a stock reservation for other items; a reservation cannot be changed.`,
      { orderId },
    );
  }
  return toReservation(orderId, existing);
}

/** UNKNOWN_PRODUCT for the first requested product the catalog does not have, before any stock moves. */
async function assertProductsExist(tx: ProductsDb, items: readonly ReservationItem[]): Promise<void> {
  const existing = await findExistingProductIds(
    tx,
    items.map((item) => item.productId),
  );
  const unknown = items.find((item) => !existing.has(item.productId));
  if (unknown) {
    throw new InventoryError('UNKNOWN_PRODUCT', `There is no product ${unknown.productId} in the catalog.`, {
      productId: unknown.productId,
    });
  }
}

/** The error for a line whose units could not be taken. */
async function explainShortage(tx: ProductsDb, productId: string, requested: number): Promise<InventoryError> {
  const available = await findStock(tx, productId);
  if (available === null) {
    return new InventoryError('UNKNOWN_PRODUCT', `There is no product ${productId} in the catalog.`, { productId });
  }
  return new InventoryError(
    'OUT_OF_STOCK',
    `Product ${productId} has ${available} ${available === 1 ? 'unit' : 'units'} left; ${requested} requested.`,
    { productId, available, requested },
  );
}
