import type { InventoryClient } from '../src/clients/inventory-client.js';
import type { PaymentProvider } from '../src/clients/payment-provider.js';
import { CATALOG } from './checkout-fixtures.js';
import { createFakeInventory } from './fake-inventory.js';
import { createRecordingPayments } from './recording-payments.js';

/**
 * What the saga talks to in the checkout tests: a fake inventory with CATALOG's stock, and `provider`
 * behind a recording of its calls. The clients handed to the saga always reach the current fakes,
 * so tests sharing one harness can each start afresh (`reset()`).
 */
export function createCheckoutFakes(provider: PaymentProvider) {
  const createFakes = () => ({ inventory: createFakeInventory(CATALOG), payments: createRecordingPayments(provider) });
  let fakes = createFakes();
  const inventory: InventoryClient = {
    reserve: (request) => fakes.inventory.client.reserve(request),
    commit: (orderId) => fakes.inventory.client.commit(orderId),
    release: (orderId) => fakes.inventory.client.release(orderId),
  };
  const payments: PaymentProvider = {
    charge: (request) => fakes.payments.provider.charge(request),
    refund: (request) => fakes.payments.provider.refund(request),
    findChargesForOrder: (orderId) => fakes.payments.provider.findChargesForOrder(orderId),
  };
  return {
    /** The clients the saga is given. */
    clients: { inventory, payments },
    current: () => fakes,
    reset() {
      fakes = createFakes();
    },
  };
}
