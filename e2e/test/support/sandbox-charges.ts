// The payment sandbox does not export its charge object's type through its package exports, so the
// type is taken from its source.
import type { toChargeObject } from '../../../packages/payment-sandbox/src/charges.js';

/** A charge as the payment sandbox answers it (Stripe's charge object). */
export type SandboxCharge = ReturnType<typeof toChargeObject>;

/** Every charge the sandbox at `origin` holds for an order (metadata.orderId), newest first, at most 100. */
export async function listSandboxCharges(origin: string, secretKey: string, orderId: string): Promise<SandboxCharge[]> {
  const url = new URL('/v1/charges', origin);
  url.searchParams.set('metadata[orderId]', orderId);
  url.searchParams.set('limit', '100');
  const response = await fetch(url, { headers: { authorization: `Bearer ${secretKey}` } });
  if (!response.ok) throw new Error(`GET /v1/charges answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { data: SandboxCharge[] }).data;
}
