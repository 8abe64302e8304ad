import type * as postgres from './postgres.js';
import * as sqlite from './sqlite.js';

/**
 * The table objects query code is written against (see QueryDb in server-kit): SQLite's, whose
 * twins in postgres.ts have the same names and row types. The assertions below fail to compile
 * when the two definitions drift apart.
 */
export type ProductsTables = typeof sqlite;
export const sqliteTables: ProductsTables = sqlite;

export type CategoryRow = typeof sqlite.categories.$inferSelect;
export type ProductRow = typeof sqlite.products.$inferSelect;
export type StockReservationRow = typeof sqlite.stockReservations.$inferSelect;
export type ReservationStatus = StockReservationRow['status'];

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rowTypesMatch: [
  Same<CategoryRow, typeof postgres.categories.$inferSelect>,
  Same<ProductRow, typeof postgres.products.$inferSelect>,
  Same<typeof sqlite.products.$inferInsert, typeof postgres.products.$inferInsert>,
  Same<StockReservationRow, typeof postgres.stockReservations.$inferSelect>,
  Same<typeof sqlite.stockReservations.$inferInsert, typeof postgres.stockReservations.$inferInsert>,
] = [true, true, true, true, true];
void rowTypesMatch;
