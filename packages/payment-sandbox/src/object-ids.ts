import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// The largest multiple of 62 below 256: bytes above it are skipped so every character is equally likely.
const UNBIASED_LIMIT = 248;

/** A random Stripe-style object id: `ch_` or `re_` and 24 letters and digits. */
export function createObjectId(prefix: 'ch' | 're'): string {
  let id = '';
  while (id.length < 24) {
    for (const byte of randomBytes(32)) {
      if (byte < UNBIASED_LIMIT && id.length < 24) id += ALPHABET[byte % ALPHABET.length];
    }
  }
  return `${prefix}_${id}`;
}
