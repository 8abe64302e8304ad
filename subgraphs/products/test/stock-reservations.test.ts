import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { commitReservation, findReservation, releaseReservation } from '../src/inventory/reservation-service.js';
import { addStockedProduct, newOrderId, readReservationRows } from './inventory-fixtures.js';
import { describeInventory, later, now, refusalOf, TTL_MS } from './inventory-suite.js';

// A reservation's life through the service: reserved at the catalog price, committed or released
// once however often it is asked, and a repeated request answered with the reservation it made.
// Refused requests are in reservation-refusals.test.ts, the expiry sweep in reservation-expiry.test.ts.
describeInventory('stock reservations', (suite) => {
  const { reserve, stockOf } = suite;

  it('reserves every line at the catalog price, takes the units off stock and records RESERVED rows', async () => {
    const lamp = await addStockedProduct(suite.database, { stock: 10, priceMinor: 1999 });
    const chair = await addStockedProduct(suite.database, { stock: 3, priceMinor: 12_500 });
    const orderId = newOrderId();

    const { reservation, isNew } = await reserve(orderId, [
      { productId: chair.id, quantity: 3 },
      { productId: lamp.id, quantity: 2 },
    ]);

    expect(isNew).toBe(true);
    expect(reservation).toEqual({
      orderId,
      status: 'RESERVED',
      expiresAt: later(TTL_MS),
      createdAt: now,
      updatedAt: now,
      lines: [
        { productId: lamp.id, name: lamp.name, quantity: 2, unitPriceMinor: 1999, currency: 'USD' },
        { productId: chair.id, name: chair.name, quantity: 3, unitPriceMinor: 12_500, currency: 'USD' },
      ].sort((a, b) => (a.productId < b.productId ? -1 : 1)),
    });
    expect(await stockOf(lamp, chair)).toEqual([8, 0]);
    const rows = await readReservationRows(suite.database, orderId);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ orderId, status: 'RESERVED', expiresAt: later(TTL_MS), createdAt: now, updatedAt: now });
    }
    expect(rows.find((row) => row.productId === chair.id)).toMatchObject({
      quantity: 3,
      unitPriceMinor: 12_500,
      currency: 'USD',
    });
  });

  it('keeps the price of the moment of reservation when the catalog price changes afterwards', async () => {
    const product = await addStockedProduct(suite.database, { stock: 5, priceMinor: 1000 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: product.id, quantity: 1 }]);
    await suite.database.transaction(({ db, tables: { products } }) =>
      db.update(products).set({ priceMinor: 5000 }).where(eq(products.id, product.id)),
    );

    const reservation = await findReservation(suite.database, orderId);
    expect(reservation.lines[0]).toMatchObject({ unitPriceMinor: 1000 });
  });

  it('commits a reservation: the units stay taken and every row becomes COMMITTED; committing again changes nothing', async () => {
    const product = await addStockedProduct(suite.database, { stock: 4 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: product.id, quantity: 3 }]);

    const committed = await commitReservation(suite.database, { orderId, now: later(1000) });
    expect(committed).toMatchObject({ orderId, status: 'COMMITTED', updatedAt: later(1000) });
    const again = await commitReservation(suite.database, { orderId, now: later(2000) });
    expect(again).toEqual(committed);

    expect(await stockOf(product)).toEqual([1]);
    expect(await readReservationRows(suite.database, orderId)).toEqual([
      expect.objectContaining({ status: 'COMMITTED', quantity: 3, updatedAt: later(1000) }),
    ]);
  });

  it('releases a reservation: the units go back exactly once, however often it is released', async () => {
    const a = await addStockedProduct(suite.database, { stock: 5 });
    const b = await addStockedProduct(suite.database, { stock: 5 });
    const orderId = newOrderId();
    await reserve(orderId, [
      { productId: a.id, quantity: 2 },
      { productId: b.id, quantity: 5 },
    ]);

    const released = await releaseReservation(suite.database, { orderId, now: later(1000) });
    expect(released).toMatchObject({ orderId, status: 'RELEASED', updatedAt: later(1000) });
    await releaseReservation(suite.database, { orderId, now: later(2000) });
    await Promise.all(Array.from({ length: 5 }, () => releaseReservation(suite.database, { orderId, now: later(3000) })));

    expect(await stockOf(a, b)).toEqual([5, 5]);
    expect((await readReservationRows(suite.database, orderId)).map((row) => row.status)).toEqual(['RELEASED', 'RELEASED']);
  });

  it('releases a committed reservation (a cancelled confirmed order) and restocks once', async () => {
    const product = await addStockedProduct(suite.database, { stock: 6 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: product.id, quantity: 4 }]);
    await commitReservation(suite.database, { orderId, now });
    expect(await stockOf(product)).toEqual([2]);

    await releaseReservation(suite.database, { orderId, now });
    await releaseReservation(suite.database, { orderId, now });

    expect(await stockOf(product)).toEqual([6]);
    expect(await readReservationRows(suite.database, orderId)).toEqual([expect.objectContaining({ status: 'RELEASED' })]);
  });

  it('refuses to commit a released reservation with RESERVATION_RELEASED, leaving it released', async () => {
    const product = await addStockedProduct(suite.database, { stock: 2 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: product.id, quantity: 1 }]);
    await releaseReservation(suite.database, { orderId, now });

    expect(await refusalOf(commitReservation(suite.database, { orderId, now }))).toEqual({
      code: 'RESERVATION_RELEASED',
      orderId,
      message: `The stock reservation for order ${orderId} was released; it cannot be committed.`,
    });
    expect(await stockOf(product)).toEqual([2]);
    expect(await readReservationRows(suite.database, orderId)).toEqual([expect.objectContaining({ status: 'RELEASED' })]);
  });

  it('answers RESERVATION_NOT_FOUND for an order without a reservation, on commit, release and read', async () => {
    const orderId = newOrderId();
    const notFound = { code: 'RESERVATION_NOT_FOUND', orderId, message: `There is no stock reservation for order ${orderId}.` };
    expect(await refusalOf(commitReservation(suite.database, { orderId, now }))).toEqual(notFound);
    expect(await refusalOf(releaseReservation(suite.database, { orderId, now }))).toEqual(notFound);
    expect(await refusalOf(findReservation(suite.database, orderId))).toEqual(notFound);
  });

  it('returns the existing reservation for a repeated request with the same items, whatever its status, without touching stock', async () => {
    const a = await addStockedProduct(suite.database, { stock: 10 });
    const b = await addStockedProduct(suite.database, { stock: 10 });
    const orderId = newOrderId();
    const items = [
      { productId: a.id, quantity: 1 },
      { productId: b.id, quantity: 2 },
    ];
    const first = await reserve(orderId, items);

    // Same items in another order, later, with another lifetime: still the first reservation.
    const repeated = await reserve(orderId, [...items].reverse(), { at: later(60_000), ttlMs: 1000 });
    expect(repeated).toEqual({ reservation: first.reservation, isNew: false });
    expect(await stockOf(a, b)).toEqual([9, 8]);

    await commitReservation(suite.database, { orderId, now: later(1000) });
    expect(await reserve(orderId, items)).toMatchObject({ reservation: { status: 'COMMITTED' }, isNew: false });
    expect(await stockOf(a, b)).toEqual([9, 8]);

    await releaseReservation(suite.database, { orderId, now: later(2000) });
    expect(await reserve(orderId, items)).toMatchObject({ reservation: { status: 'RELEASED' }, isNew: false });
    expect(await stockOf(a, b)).toEqual([10, 10]);
  });

  it.each([
    ['another quantity', (a: string) => [{ productId: a, quantity: 2 }]],
    ['another product', (_a: string, b: string) => [{ productId: b, quantity: 1 }]],
    [
      'an extra line',
      (a: string, b: string) => [
        { productId: a, quantity: 1 },
        { productId: b, quantity: 1 },
      ],
    ],
  ])('refuses the same order id with %s as RESERVATION_CONFLICT, changing nothing', async (_case, otherItems) => {
    const a = await addStockedProduct(suite.database, { stock: 10 });
    const b = await addStockedProduct(suite.database, { stock: 10 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: a.id, quantity: 1 }]);
    const rowsBefore = await readReservationRows(suite.database, orderId);

    expect(await refusalOf(reserve(orderId, otherItems(a.id, b.id)))).toEqual({
      code: 'RESERVATION_CONFLICT',
      orderId,
      message: `Order ${orderId} already has a stock reservation for other items; a reservation cannot be changed.`,
    });
    expect(await stockOf(a, b)).toEqual([9, 10]);
    expect(await readReservationRows(suite.database, orderId)).toEqual(rowsBefore);
  });
});
