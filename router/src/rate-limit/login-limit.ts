import { createHash } from 'node:crypto';
import {
  getArgumentValues,
  OperationTypeNode,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { TooManyLoginAttemptsError } from '../errors.js';
import { collectRootFields } from './account-limit.js';
import { rateLimitedError, type RateLimiter } from './rate-limiter.js';

/** The address the users service keys accounts by (it trims and lower-cases too). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The accounts an operation tries to log in to: the normalized `input.email` of every `login` root
 * field, through aliases and fragments, whether the email is a literal, a variable, or inside an
 * input variable. One entry per `login` field, so aliases count as the attempts they are.
 * `variables` must be coerced already (graphql's getVariableValues).
 */
export function findLoginAccounts(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): string[] {
  const login = schema.getMutationType()?.getFields()['login'];
  if (operation.operation !== OperationTypeNode.MUTATION || !login) return [];
  return collectRootFields(document, operation)
    .filter((field) => field.name.value === 'login')
    .flatMap((field) => {
      const email = (getArgumentValues(login, field, variables).input as { email?: unknown } | undefined)?.email;
      return typeof email === 'string' ? [normalizeEmail(email)] : [];
    });
}

/**
 * Takes one token per attempt from each account's bucket, whoever is calling: a password-guessing
 * run against one account from many addresses shares one budget. Throws RATE_LIMITED (429) when an
 * account's bucket is empty, and TOO_MANY_LOGIN_ATTEMPTS (400) when one operation holds more attempts
 * on an account than its bucket can ever hold, which no wait would let through (the router refuses a
 * second account mutation first; this guard does not rely on it). Accounts are keyed by a hash, so
 * the store holds no addresses.
 */
export async function limitLoginAttempts(limiter: RateLimiter, accounts: string[]): Promise<void> {
  const attempts = new Map<string, number>();
  for (const account of accounts) attempts.set(account, (attempts.get(account) ?? 0) + 1);
  const { capacity } = limiter.policy;
  for (const count of attempts.values()) {
    if (count > capacity) throw new TooManyLoginAttemptsError(count, capacity);
  }
  for (const [account, count] of attempts) {
    const key = createHash('sha256').update(account).digest('hex').slice(0, 32);
    const decision = await limiter.take(key, count);
    if (!decision.isAllowed) throw rateLimitedError(decision, 'login attempts for this account');
  }
}
