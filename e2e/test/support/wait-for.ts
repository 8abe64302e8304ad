import { setTimeout as delay } from 'node:timers/promises';

/** What a condition returns once it holds: any value but false, null, undefined, 0 and ''. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

export interface WaitForOptions<T> {
  /** What is waited for, as the failure names it: "the products access log line of request r-1". */
  what: string;
  /** How long the condition may take before the wait fails, in ms. Default 10 000. */
  timeout?: number;
  /** How often the condition is checked, in ms. Default 50. */
  interval?: number;
  /** What the failure shows of the last value the condition returned. Default: that value as JSON. */
  show?: (lastSeen: T) => string;
}

/**
 * Checks `condition` until it returns a truthy value, and resolves to that value; rejects after
 * `timeout` with an error naming what it waited for and what it saw last. Tests wait for a
 * condition this way, never for a fixed time: processes on a busy 2-core machine take what they take.
 * An error the condition throws ends the wait at once.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitForOptions<T>): Promise<Truthy<T>> {
  const { what, timeout = 10_000, interval = 50, show = (value) => JSON.stringify(value, null, 2) } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value as Truthy<T>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}; last seen: ${show(value)}`);
    await delay(interval);
  }
}
