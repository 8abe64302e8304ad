import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@supergraph/server-kit/settings';
import { buildSchema, getOperationAST, getVariableValues, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { TooManyLoginAttemptsError } from '../src/errors.js';
import { findAccountMutations } from '../src/rate-limit/account-limit.js';
import { findLoginAccounts, limitLoginAttempts } from '../src/rate-limit/login-limit.js';
import { MemoryRateLimitStore } from '../src/rate-limit/memory-store.js';
import { perMinute, RateLimiter } from '../src/rate-limit/rate-limiter.js';

const schema = buildSchema(readFileSync(join(REPO_ROOT, 'api-schema.graphql'), 'utf8'));

function accountsOf(text: string, variables: Record<string, unknown> = {}) {
  const document = parse(text);
  const operation = getOperationAST(document)!;
  const { coerced } = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return findLoginAccounts(schema, document, operation, coerced!);
}

describe('findLoginAccounts', () => {
  it('reads the email of a literal input, trimmed and lower-cased as the users service stores it', () => {
    expect(accountsOf('mutation { login(input: { email: " Customer@Example.COM ", password: "x" }) { accessToken } }')).toEqual([
      'customer@example.com',
    ]);
  });

  it('reads the email from a variable, whether it is the whole input or only the email', () => {
    expect(
      accountsOf('mutation ($input: LoginInput!) { login(input: $input) { accessToken } }', {
        input: { email: 'A@example.com', password: 'x' },
      }),
    ).toEqual(['a@example.com']);
    expect(
      accountsOf('mutation ($email: String!) { login(input: { email: $email, password: "x" }) { accessToken } }', {
        email: 'B@example.com',
      }),
    ).toEqual(['b@example.com']);
  });

  it('counts every aliased attempt, inside fragments too', () => {
    const text = `mutation ($p: String!) {
      one: login(input: { email: "a@example.com", password: $p }) { accessToken }
      ...More
      ... on Mutation { three: login(input: { email: "b@example.com", password: $p }) { accessToken } }
    }
    fragment More on Mutation { two: login(input: { email: "A@example.com", password: $p }) { accessToken } }`;

    expect(accountsOf(text, { p: 'x' }).sort()).toEqual(['a@example.com', 'a@example.com', 'b@example.com']);
  });

  it('finds nothing in queries and other mutations', () => {
    expect(accountsOf('{ me { id } }')).toEqual([]);
    expect(accountsOf('mutation { logout(input: { refreshToken: "t" }) { loggedOut } }')).toEqual([]);
  });
});

describe('findAccountMutations', () => {
  const mutationsOf = (text: string) => {
    const document = parse(text);
    return findAccountMutations(document, getOperationAST(document)!);
  };

  it('names every register, login, refreshToken and changePassword root field by response key, through aliases and fragments', () => {
    const text = `mutation {
      login(input: { email: "a@example.com", password: "x" }) { accessToken }
      again: login(input: { email: "a@example.com", password: "y" }) { accessToken }
      ...Register
      ... on Mutation { refreshToken(input: { refreshToken: "t" }) { refreshToken } }
      changePassword(input: { currentPassword: "x", newPassword: "y" }) { accessToken }
      logout(input: { refreshToken: "t" }) { loggedOut }
    }
    fragment Register on Mutation { register(input: { email: "b@example.com", password: "x", name: "B" }) { accessToken } }`;

    expect(mutationsOf(text)).toEqual(['login', 'again', 'register', 'refreshToken', 'changePassword']);
  });

  it('counts a field repeated under one response key once: GraphQL merges it into one execution', () => {
    expect(
      mutationsOf('mutation { ...L ...L } fragment L on Mutation { refreshToken(input: { refreshToken: "t" }) { accessToken } }'),
    ).toEqual(['refreshToken']);
  });

  it('finds nothing in queries and other mutations', () => {
    expect(mutationsOf('{ me { id } }')).toEqual([]);
    expect(mutationsOf('mutation { logout(input: { refreshToken: "t" }) { loggedOut } }')).toEqual([]);
  });
});

describe('limitLoginAttempts', () => {
  const limiter = () => new RateLimiter(new MemoryRateLimitStore(), perMinute('login', 3), () => Date.UTC(2026, 0, 1));

  it('refuses with 400, not 429, more attempts on one account than its bucket can ever hold, and spends nothing', async () => {
    const logins = limiter();

    const refusal = await limitLoginAttempts(logins, Array(4).fill('victim@example.com')).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(TooManyLoginAttemptsError);
    expect(refusal).toMatchObject({
      status: 400,
      message: 'The operation makes 4 login attempts for one account; at most 3 fit in its budget.',
      extensions: { code: 'TOO_MANY_LOGIN_ATTEMPTS', limit: 3 },
    });
    await expect(limitLoginAttempts(logins, Array(3).fill('victim@example.com'))).resolves.toBeUndefined();
  });
});
