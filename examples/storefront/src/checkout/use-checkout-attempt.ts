import { useRef } from 'react';

/**
 * One idempotency key per checkout attempt (crypto.randomUUID). The key stays while the customer
 * sends the same cart and card again after a retryable failure, so a retry never orders or charges
 * twice; a new attempt, with a new key, starts once the last one had an outcome, or when the cart or
 * card changed (the server refuses a key reused for a different request: IDEMPOTENCY_KEY_REUSED).
 */
export function useCheckoutAttempt() {
  const attempt = useRef<{ request: string; key: string } | null>(null);
  return {
    /** The key for `request`: the current attempt's, or a new attempt's when the request differs. */
    keyFor(request: object): string {
      const fingerprint = JSON.stringify(request);
      if (attempt.current?.request !== fingerprint) attempt.current = { request: fingerprint, key: crypto.randomUUID() };
      return attempt.current.key;
    },
    /** The attempt has an outcome; the next checkout is a new one. */
    finish(): void {
      attempt.current = null;
    },
  };
}
