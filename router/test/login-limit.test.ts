import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@supergraph/server-kit';
import { buildSchema, getOperationAST, getVariableValues, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { findLoginAccounts } from '../src/rate-limit/login-limit.js';

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
