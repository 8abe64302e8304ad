import type * as postgres from './postgres.js';
import * as sqlite from './sqlite.js';

export * from './order-status.js';

/**
 * The table objects query code is written against (see QueryDb in server-kit): SQLite's, whose
 * twins in postgres.ts have the same names and row types. The assertions below fail to compile
 * when the two definitions drift apart.
 */
export type OrdersTables = typeof sqlite;
export const sqliteTables: OrdersTables = sqlite;

export type OrderRow = typeof sqlite.orders.$inferSelect;
export type OrderItemRow = typeof sqlite.orderItems.$inferSelect;
export type OrderStatusChangeRow = typeof sqlite.orderStatusChanges.$inferSelect;
export type CheckoutSagaRow = typeof sqlite.checkoutSagas.$inferSelect;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rowTypesMatch: [
  Same<OrderRow, typeof postgres.orders.$inferSelect>,
  Same<OrderItemRow, typeof postgres.orderItems.$inferSelect>,
  Same<typeof sqlite.orders.$inferInsert, typeof postgres.orders.$inferInsert>,
  Same<typeof sqlite.orderItems.$inferInsert, typeof postgres.orderItems.$inferInsert>,
  Same<OrderStatusChangeRow, typeof postgres.orderStatusChanges.$inferSelect>,
  Same<typeof sqlite.orderStatusChanges.$inferInsert, typeof postgres.orderStatusChanges.$inferInsert>,
  Same<CheckoutSagaRow, typeof postgres.checkoutSagas.$inferSelect>,
  Same<typeof sqlite.checkoutSagas.$inferInsert, typeof postgres.checkoutSagas.$inferInsert>,
] = [true, true, true, true, true, true, true, true];
void rowTypesMatch;
