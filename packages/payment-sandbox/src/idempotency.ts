import { createHash } from 'node:crypto';
import type { ApiResponse } from './api-errors.js';
import type { SandboxStorage } from './storage.js';

/**
 * Decides a request and writes its effects (a charge, a refund), returning the answer. It runs
 * inside the transaction that stores that answer, so an effect is never recorded without the answer
 * that replays it, and what it reads (a charge's refundable amount) cannot change under it.
 */
export type Commit = () => ApiResponse;

/** The answer for a request, or null when the endpoint gave none (a simulated hang). */
export type IdempotentAnswer = (ApiResponse & { isReplayed: boolean }) | null;

export interface IdempotencyKeys {
  /**
   * Runs a request at most once per key and stores its answer, Stripe's way:
   * - a stored answer for the key is replayed when the request is the same (fingerprint), and a
   *   different request gets an `idempotency_error`;
   * - a request arriving while another with its key is in flight waits for that one, then replays
   *   its answer (or runs itself if that one stored none);
   * - 5xx answers and hangs store nothing, so a retry runs again.
   * `prepare` does what takes time (a slow card network) and returns the commit, or null to answer
   * nothing.
   */
  run(key: string, fingerprint: string, prepare: () => Promise<Commit | null>): Promise<IdempotentAnswer>;
  /** Resolves when no request holds a key. */
  whenIdle(): Promise<void>;
}

export interface IdempotencyOptions {
  storage: SandboxStorage;
  /** How long an answer is replayed; older keys count as unused. */
  retentionMs: number;
  now: () => number;
}

/** Identifies a request: method, path and parameters, whatever the key order of the JSON. */
export function fingerprintRequest(method: string, path: string, params: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method, path, params], (_key, value: unknown) => sortKeys(value)))
    .digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function reusedKey(key: string): ApiResponse & { isReplayed: boolean } {
  return {
    status: 400,
    isReplayed: false,
    body: {
      error: {
        type: 'idempotency_error',
        message:
          `Keys for idempotent requests can only be used with the same parameters they were first used with. ` +
          `Try using a key other than '${key}' if you meant to execute a different request.`,
      },
    },
  };
}

export function createIdempotencyKeys({ storage, retentionMs, now }: IdempotencyOptions): IdempotencyKeys {
  const inFlight = new Map<string, { fingerprint: string; done: Promise<void> }>();

  return {
    async run(key, fingerprint, prepare) {
      for (;;) {
        const stored = storage.findStoredResponse(key, now() - retentionMs);
        if (stored) {
          return stored.fingerprint === fingerprint
            ? { status: stored.status, body: stored.body, isReplayed: true }
            : reusedKey(key);
        }
        const running = inFlight.get(key);
        if (!running) break;
        if (running.fingerprint !== fingerprint) return reusedKey(key);
        await running.done;
      }

      let release!: () => void;
      inFlight.set(key, { fingerprint, done: new Promise<void>((resolve) => (release = resolve)) });
      try {
        const commit = await prepare();
        if (!commit) return null;
        const answer = storage.transaction(() => {
          const response = commit();
          if (response.status < 500) {
            storage.saveStoredResponse({ key, fingerprint, status: response.status, body: response.body, createdAt: now() });
          }
          return response;
        });
        return { ...answer, isReplayed: false };
      } finally {
        inFlight.delete(key);
        release();
      }
    },
    async whenIdle() {
      while (inFlight.size > 0) await Promise.all([...inFlight.values()].map((running) => running.done));
    },
  };
}
