import { createHash } from 'node:crypto';
import {
  addressKey,
  createBucketStores,
  perMinute,
  RateLimitedError,
  RateLimiter,
  type RateLimitStore,
} from '@supergraph/server-kit/rate-limit';
import type { Logger } from '@supergraph/server-kit/telemetry';
import { normalizeEmail } from './user-store.js';

/** AUTH_RATE_LIMIT_PER_MINUTE, LOGIN_RATE_LIMIT_PER_MINUTE and REDIS_URL, as env.ts reads them. */
export interface ThrottlingSettings {
  /** Account mutations (register, login, refreshToken, changePassword) per client address. Default 10. */
  perAddressPerMinute: number;
  /** `login` and `register` attempts per email address, whoever calls. Default 5. */
  perAccountPerMinute: number;
  /** Buckets shared by every replica through Redis; null: this process's memory. */
  redisUrl: string | null;
}

export const DEFAULT_THROTTLING: ThrottlingSettings = { perAddressPerMinute: 10, perAccountPerMinute: 5, redisUrl: null };

/** Where the client is, as context.ts reads it (clientAddressOf in server-kit). */
export interface ClientAddress {
  address: string;
  /** Whether the router named it (x-client-address); else it is the router's own address. */
  isForwarded: boolean;
}

/** What an account mutation is charged, and to which account's bucket when it names one. */
export interface ThrottledAttempt {
  client: ClientAddress;
  /** `login` and `register` name an account (the email as sent); refreshToken and changePassword do not. */
  account?: { email: string; attempts: 'login attempts for this account' | 'registrations for this email address' };
}

export interface AccountThrottle {
  /**
   * Takes one token from the client address's bucket, then one from the account's, and throws
   * RATE_LIMITED (with the RateLimit and Retry-After headers on the HTTP answer) at the first empty
   * one, before any password is hashed or row read.
   */
  charge(attempt: ThrottledAttempt): Promise<void>;
  close(): Promise<void>;
}

/** For tests of accounts rather than limits (the subgraph harness): nothing is ever refused. */
export const UNTHROTTLED: AccountThrottle = { charge: async () => undefined, close: async () => undefined };

export interface AccountThrottleOptions {
  settings: ThrottlingSettings;
  logger: Logger;
  /** Epoch milliseconds; tests pass their own. Default Date.now. */
  clock?: () => number;
  /** Where the buckets live; tests pass their own. Default memory, or Redis when settings.redisUrl is set. */
  store?: RateLimitStore;
}

/**
 * Login and registration throttling, in the users service so that it holds behind any router
 * (decision 022): per client address, every account mutation (scrypt or a session write); per
 * account, keyed by a hash of the normalized email, every `login` and `register` whoever calls, so
 * that guessing one account's password from many addresses shares one budget.
 */
export function createAccountThrottle({
  settings,
  logger,
  clock = Date.now,
  store: given,
}: AccountThrottleOptions): AccountThrottle {
  const stores = given
    ? null
    : createBucketStores({
        // Address buckets may be evicted (a new key costs an address); account buckets, keyed by any email, may not.
        kinds: { auth: 'evict-least-recent', login: 'refuse-new' },
        redisUrl: settings.redisUrl,
        logger,
        connectionName: 'supergraph-users-rate-limits',
      });
  const store = given ?? stores!.store;
  const sweeper = setInterval(() => stores?.sweep(clock()), 60_000);
  sweeper.unref();
  // The policy names are the router's of before (decision 012), so the Redis keys stay the same.
  const addresses = new RateLimiter(store, perMinute('auth', settings.perAddressPerMinute), clock);
  const accounts = new RateLimiter(store, perMinute('login', settings.perAccountPerMinute), clock);
  let hasWarned = false;

  return {
    async charge({ client, account }) {
      if (!client.isForwarded && !hasWarned) {
        hasWarned = true;
        logger.warn(
          { peer: client.address },
          'an account mutation came without x-client-address: every client of that router shares one address budget; configure the router to forward it (docs/routers.md)',
        );
      }
      const byAddress = await addresses.take(`ip:${addressKey(client.address)}`);
      if (!byAddress.isAllowed) throw new RateLimitedError(byAddress, 'account operations from this address');
      if (!account) return;
      const key = createHash('sha256').update(normalizeEmail(account.email)).digest('hex').slice(0, 32);
      const byAccount = await accounts.take(key);
      if (!byAccount.isAllowed) throw new RateLimitedError(byAccount, account.attempts);
    },
    async close() {
      clearInterval(sweeper);
      await store.close();
    },
  };
}
