/**
 * Places in the checkout saga where CHECKOUT_CRASH_POINT makes the orders process kill itself
 * (SIGKILL: no cleanup, no graceful shutdown), so the crash tests can stop it exactly between two
 * steps. "…-answered" points fall after a remote party acted and before the orders database recorded
 * it: the hardest cases, where only the remote side knows. Refused in production.
 */
export const CRASH_POINTS = [
  // Forward path, in order.
  'checkout-recorded',
  'stock-reserved-answered',
  'stock-reserved-recorded',
  'payment-captured-answered',
  'payment-captured-recorded',
  'stock-committed-answered',
  // Compensation: a declined payment, or cancelOrder on a confirmed order.
  'payment-declined-answered',
  'compensation-recorded',
  'payment-refunded-answered',
  'stock-released-answered',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Called at each crash point: kills the process when it is the configured one. */
export type CrashHook = (point: CrashPoint) => void;

export const noCrashes: CrashHook = () => {};

export function crashAt(configured: CrashPoint | undefined, log: (point: CrashPoint) => void): CrashHook {
  if (configured === undefined) return noCrashes;
  return (point) => {
    if (point !== configured) return;
    log(point);
    process.kill(process.pid, 'SIGKILL');
  };
}
