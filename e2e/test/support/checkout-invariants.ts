import { expect } from 'vitest';
import { FINAL_SAGA_STEPS as FINAL_STEPS } from '../../../subgraphs/orders/src/db/tables/index.js';
import type { CheckoutSagaRow, OrderRow } from '../../../subgraphs/orders/src/db/tables/index.js';
import type { StockReservationRow } from '../../../subgraphs/products/src/db/tables/index.js';
import type { CheckoutRecords } from './checkout-records.js';
import type { SandboxCharge } from './sandbox-charges.js';
import type { Stack } from './stack.js';

const isKept = (charge: SandboxCharge) => charge.status === 'succeeded' && charge.amount_refunded < charge.amount;

/**
 * Every way the three parties disagree once every saga has ended, as sentences (empty when none):
 * - a CONFIRMED order has its reservation COMMITTED and exactly one succeeded, unrefunded charge of
 *   its total;
 * - a CANCELLED order (and a REJECTED checkout, which has no order) has its reservation RELEASED, or
 *   none, and keeps no charge;
 * - every order and every reservation has a saga, and the order's status is its saga's;
 * - for each product, the stock it started with is what is left plus what was sold (COMMITTED).
 */
export async function findInvariantViolations(
  stack: Stack,
  records: CheckoutRecords,
  initialStock: Map<string, number>,
): Promise<string[]> {
  const violations: string[] = [];
  const sagas = await records.listSagas();
  const orders = new Map((await records.listOrders()).map((order) => [order.id, order]));
  const reservations = await records.listReservations();

  for (const saga of sagas) {
    const lines = reservations.filter((line) => line.orderId === saga.orderId);
    const charges = await stack.sandboxCharges(saga.orderId);
    violations.push(...findSagaViolations(saga, orders.get(saga.orderId), lines, charges));
  }
  const sagaIds = new Set(sagas.map((saga) => saga.orderId));
  for (const order of orders.values()) {
    if (!sagaIds.has(order.id)) violations.push(`order ${order.id} (${order.status}) has no saga`);
  }
  for (const line of reservations) {
    if (!sagaIds.has(line.orderId)) violations.push(`a reservation for ${line.orderId} (${line.status}) has no saga`);
  }
  violations.push(...findStockViolations(initialStock, await records.readStock(), reservations));
  return violations;
}

/** How one saga's order, reservation lines and charges disagree with where the saga ended. */
function findSagaViolations(
  saga: CheckoutSagaRow,
  order: OrderRow | undefined,
  lines: StockReservationRow[],
  charges: SandboxCharge[],
): string[] {
  const violations: string[] = [];
  const { orderId, step } = saga;
  const succeeded = charges.filter((charge) => charge.status === 'succeeded');
  const kept = succeeded.filter(isKept);
  const where = `order ${orderId} (saga ${step}, payment ${saga.paymentState}, order ${order?.status ?? 'none'})`;
  if (!FINAL_STEPS.includes(step)) violations.push(`${where}: the saga has not ended`);
  if (step === 'CONFIRMED') {
    if (order?.status !== 'CONFIRMED') violations.push(`${where}: the saga is CONFIRMED and the order is not`);
    if (lines.length === 0 || lines.some((line) => line.status !== 'COMMITTED')) {
      violations.push(`${where}: reservation ${JSON.stringify(lines.map((line) => line.status))}, not COMMITTED`);
    }
    if (succeeded.length !== 1 || kept.length !== 1) {
      violations.push(`${where}: ${succeeded.length} succeeded charges (${kept.length} unrefunded), not exactly one`);
    } else if (order && kept[0]!.amount !== order.totalMinor) {
      violations.push(`${where}: charged ${kept[0]!.amount}, the total is ${order.totalMinor}`);
    }
  }
  if (step === 'CANCELLED' || step === 'REJECTED') {
    if (step === 'CANCELLED' && order?.status !== 'CANCELLED') {
      violations.push(`${where}: the saga is CANCELLED and the order is not`);
    }
    if (step === 'REJECTED' && order) violations.push(`${where}: a REJECTED checkout has an order`);
    if (lines.some((line) => line.status !== 'RELEASED')) {
      violations.push(`${where}: reservation ${JSON.stringify(lines.map((line) => line.status))}, not RELEASED`);
    }
    if (kept.length > 0) violations.push(`${where}: keeps ${kept.length} charges (${kept.map((c) => c.id).join(', ')})`);
  }
  return violations;
}

/** Each product whose stock is negative, or is not what it started with less what was sold (COMMITTED). */
function findStockViolations(
  initialStock: Map<string, number>,
  stock: Map<string, number>,
  reservations: StockReservationRow[],
): string[] {
  const violations: string[] = [];
  for (const [productId, initial] of initialStock) {
    const committed = reservations
      .filter((line) => line.productId === productId && line.status === 'COMMITTED')
      .reduce((sum, line) => sum + line.quantity, 0);
    const left = stock.get(productId) ?? Number.NaN;
    if (left < 0) violations.push(`product ${productId}: stock ${left} is negative`);
    if (initial !== left + committed) {
      violations.push(`product ${productId}: started with ${initial}, has ${left} left and ${committed} sold`);
    }
  }
  return violations;
}

/** Waits for every saga to end, then expects the three parties to agree (see findInvariantViolations). */
export async function expectCheckoutInvariants(
  stack: Stack,
  records: CheckoutRecords,
  initialStock: Map<string, number>,
): Promise<void> {
  await records.waitForAllSagasFinal();
  expect(await findInvariantViolations(stack, records, initialStock)).toEqual([]);
}
