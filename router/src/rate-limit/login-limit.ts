import { createHash } from 'node:crypto';
import {
  getArgumentValues,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
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
  if (operation.operation !== 'mutation' || !login) return [];
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition.selectionSet] as const] : [],
    ),
  );
  const loginFields: FieldNode[] = [];
  const collect = (selectionSet: SelectionSetNode, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === 'login') loginFields.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment, new Set([...seen, selection.name.value]));
      }
    }
  };
  collect(operation.selectionSet, new Set());
  return loginFields.flatMap((field) => {
    const email = (getArgumentValues(login, field, variables).input as { email?: unknown } | undefined)?.email;
    return typeof email === 'string' ? [normalizeEmail(email)] : [];
  });
}

/**
 * Takes one token per attempt from each account's bucket, whoever is calling: a password-guessing
 * run against one account from many addresses shares one budget. Throws RATE_LIMITED (429) when an
 * account's bucket is empty. Accounts are keyed by a hash, so the store holds no addresses.
 */
export async function limitLoginAttempts(limiter: RateLimiter, accounts: string[]): Promise<void> {
  const attempts = new Map<string, number>();
  for (const account of accounts) attempts.set(account, (attempts.get(account) ?? 0) + 1);
  for (const [account, count] of attempts) {
    const key = createHash('sha256').update(account).digest('hex').slice(0, 32);
    const decision = await limiter.take(key, count);
    if (!decision.isAllowed) throw rateLimitedError(decision, 'login attempts for this account');
  }
}
