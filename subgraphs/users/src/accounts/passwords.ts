import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { dictionary } from '@zxcvbn-ts/language-common';
import { BadUserInputError, OverloadedError } from '@supergraph/server-kit/graphql';
import { BoundedQueue, QueueRefusedError } from '@supergraph/server-kit/http';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** OWASP's scrypt parameters (N=2^17, r=8, p=1): about 128 MiB and a few hundred milliseconds per hash. */
const COST = { log2N: 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** The common-password list zxcvbn-ts ships (about 49,000 entries), for the "not a common password" rule. */
const COMMON_PASSWORDS = new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));

/** How many password hashes run at once, how many wait, and for how long (PASSWORD_HASH_* in env.ts). */
export interface PasswordHashingLimits {
  /** Hashes at once. Default 2: half of libuv's 4 threads, so file and DNS work still get threads. */
  concurrency: number;
  /** Hashes waiting for a turn; one more is refused at once with OVERLOADED. Default 16. */
  maxQueued: number;
  /**
   * How long a sign-in waits for its hash, queued and running, before it is refused OVERLOADED.
   * Default 8000 ms: inside the router's 10 s subgraph deadline, so the caller hears OVERLOADED rather
   * than a timeout, yet long enough that a busy machine with nobody queued still signs people in.
   */
  maxWaitMs: number;
}

// One queue per process, not per service instance: the threads and memory it rations are the process's.
// Until a service sets limits (the seed command, tests), hashes take turns on libuv's threads unbounded.
let hashing = new BoundedQueue({ concurrency: 4, maxQueued: Number.POSITIVE_INFINITY });
let maxWaitMs: number | null = null;

/**
 * Sets the process's password-hashing limits (index.ts, from the settings; null: unbounded again);
 * hashes already queued keep their places. Returns the new queue, which a test can hold turns of.
 */
export function limitPasswordHashing(limits: PasswordHashingLimits | null): BoundedQueue {
  hashing = new BoundedQueue(limits ?? { concurrency: 4, maxQueued: Number.POSITIVE_INFINITY });
  maxWaitMs = limits?.maxWaitMs ?? null;
  return hashing;
}

/**
 * Each hash holds about 128 MiB and a thread for hundreds of milliseconds, so they take turns; past
 * the queue's bounds, or when the answer would come later than maxWaitMs (a starved CPU), the caller
 * is refused with OVERLOADED (retryable) instead of timing out. A hash already running cannot be
 * stopped: it finishes in the background, keeping its turn, and its result is dropped.
 */
async function deriveKey(password: string, salt: Buffer, cost: typeof COST): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  const hash = hashing.run(() =>
    scryptAsync(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r }),
  );
  let timer: NodeJS.Timeout | undefined;
  const waitMs = maxWaitMs;
  const tooLate = new Promise<never>((_resolve, reject) => {
    if (waitMs !== null) timer = setTimeout(() => reject(new QueueRefusedError('wait_timeout')), waitMs);
  });
  try {
    return await Promise.race([hash, tooLate]);
  } catch (error) {
    if (error instanceof QueueRefusedError) {
      throw new OverloadedError('Too many sign-ins and password changes at once; nothing was done. Try again in 1 s.', 1);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    hash.catch(() => undefined);
  }
}

/** `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await deriveKey(password, salt, COST);
  return `$scrypt$ln=${COST.log2N},r=${COST.r},p=${COST.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

const HASH_FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/;

/** Checks a password against a stored hash in constant time. A missing or unreadable hash never matches. */
export async function verifyPassword(password: string, storedHash: string | null): Promise<boolean> {
  const match = storedHash ? HASH_FORMAT.exec(storedHash) : null;
  if (!match) {
    // Spend the same time as a real check, so "no such account" cannot be told apart by timing.
    await deriveKey(password, randomBytes(SALT_LENGTH), COST);
    return false;
  }
  const [, log2N, r, p, salt, expected] = match;
  const key = await deriveKey(password, Buffer.from(salt!, 'base64url'), { log2N: Number(log2N), r: Number(r), p: Number(p) });
  const expectedKey = Buffer.from(expected!, 'base64url');
  return key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
}

/** The password rules for a new password; the message names the field and says what to do. */
export function validateNewPassword(password: string, { field, email }: { field: string; email: string }): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new BadUserInputError(`${field} must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long.`, field);
  }
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered) || lowered === email.toLowerCase()) {
    throw new BadUserInputError(`${field} is too common or too easy to guess; choose another.`, field);
  }
}
