import { describe, expect, it } from 'vitest';
import { identityClaimsSchema, ROLES, roleSchema } from '../src/identity.js';

describe('the identity contract', () => {
  it('knows the two roles the users service assigns', () => {
    expect(ROLES).toEqual(['CUSTOMER', 'ADMIN']);
    expect(ROLES.map((role) => roleSchema.parse(role))).toEqual(['CUSTOMER', 'ADMIN']);
  });

  it('reads a token’s subject and role, and drops the registered claims its verifier checks', () => {
    const claims = { sub: 'user-1', role: 'ADMIN', iss: 'users', aud: 'supergraph', exp: 1_900_000_000 };
    expect(identityClaimsSchema.parse(claims)).toEqual({ sub: 'user-1', role: 'ADMIN' });
  });

  it.each([
    ['a role it does not know', { sub: 'user-1', role: 'SUPERUSER' }],
    ['a role in another case', { sub: 'user-1', role: 'admin' }],
    ['no role', { sub: 'user-1' }],
    ['no subject', { role: 'CUSTOMER' }],
    ['a numeric subject', { sub: 1, role: 'CUSTOMER' }],
  ])('refuses claims with %s, rather than reading a lesser role', (_case, claims) => {
    expect(identityClaimsSchema.safeParse(claims).success).toBe(false);
  });
});
