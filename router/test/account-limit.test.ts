import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { findAccountMutations } from '../src/rate-limit/account-limit.js';

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
