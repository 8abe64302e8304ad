import {
  createDemoUsers,
  DEFAULT_SEED_OPTIONS,
  DEMO_CUSTOMER_EMAIL,
  FIRST_GENERATED_CUSTOMER_INDEX,
  getDemoAdminId,
  getDemoCustomerId,
} from '@supergraph/demo-data';
import type { Viewer } from '@supergraph/server-kit/auth';
import { describeRuleTree, selectConnectionPage, type ExecuteResult } from '@supergraph/server-kit/testing';
import { describe, expect, it } from 'vitest';
import { permissionRules } from '../src/permissions.js';
import { buildSchema } from '../src/schema.js';
import { dataOf, describeUsers, SEED_PASSWORD } from './harness.js';

const seed = { ...DEFAULT_SEED_OPTIONS, customers: 5 };
const demoUsers = createDemoUsers(seed);
const admin: Viewer = { id: getDemoAdminId(seed), role: 'ADMIN' };
/** User A: customer@example.com. */
const userA: Viewer = { id: getDemoCustomerId(seed), role: 'CUSTOMER' };
/** User B: another customer, whose profile A must never see. */
const profileOfB = demoUsers[FIRST_GENERATED_CUSTOMER_INDEX]!;
const userB: Viewer = { id: profileOfB.id, role: 'CUSTOMER' };

/** The distinct error codes of a result. */
const codesOf = (result: ExecuteResult) => [...new Set(result.errors?.map((error) => error.extensions?.code))];

/** Nothing of B's profile (email, name) appears anywhere in the response, errors included. */
function expectNothingOfB(result: ExecuteResult) {
  const text = JSON.stringify(result);
  expect(text).not.toContain(profileOfB.email);
  expect(text).not.toContain(profileOfB.name);
}

const PROFILE = 'id email name role createdAt';

describeRuleTree({ subgraph: 'users', buildSchema, rules: permissionRules, signedIn: userA, sampleField: ['User', 'email'] });

describeUsers('authorization in the users subgraph', seed, (harness) => {
  const USER = `#graphql
    query User($id: ID!) { user(id: $id) { ${PROFILE} } }`;
  const USER_ENTITY = `#graphql
    query UserEntity($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { ${PROFILE} } } }`;
  const USERS = `#graphql
    query Users { users(first: 3) { ${selectConnectionPage(PROFILE)} } }`;
  const representationOfB = { representations: [{ __typename: 'User', id: userB.id }] };

  describe('Query.me', () => {
    it('answers null to an anonymous caller, without an error', async () => {
      expect(await harness.execute(`#graphql\n{ me { ${PROFILE} } }`)).toEqual({ data: { me: null } });
    });

    it.each([
      ['a customer', userA],
      ['an admin', admin],
    ])('shows %s their own profile, email included', async (_who, viewer) => {
      const { me } = dataOf(await harness.execute(`#graphql\n{ me { ${PROFILE} } }`, {}, { viewer }));
      expect(me).toMatchObject({ id: viewer.id, email: demoUsers.find((user) => user.id === viewer.id)!.email });
    });
  });

  describe('Query.user', () => {
    it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
      const result = await harness.execute(USER, { id: userB.id });
      expect(result.data).toEqual({ user: null });
      expect(result.errors).toEqual([expect.objectContaining({ path: ['user'], extensions: { code: 'UNAUTHENTICATED' } })]);
      expectNothingOfB(result);
    });

    it("refuses user A user B's profile with FORBIDDEN on every field and shows nothing of it", async () => {
      const result = await harness.execute(USER, { id: userB.id }, { viewer: userA });
      expect(result.data).toEqual({ user: null });
      expect(codesOf(result)).toEqual(['FORBIDDEN']);
      expectNothingOfB(result);
    });

    it.each([
      ['the user themself', userB],
      ['an admin', admin],
    ])('shows the profile, email included, to %s', async (_who, viewer) => {
      const { user } = dataOf(await harness.execute(USER, { id: userB.id }, { viewer }));
      expect(user).toEqual({
        id: userB.id,
        email: profileOfB.email,
        name: profileOfB.name,
        role: 'CUSTOMER',
        createdAt: profileOfB.createdAt.toISOString(),
      });
    });
  });

  describe('User.email', () => {
    it('is refused to another customer even when it is the only field asked for', async () => {
      const result = await harness.execute(
        `#graphql\nquery ($id: ID!) { user(id: $id) { email } }`,
        { id: userB.id },
        { viewer: userA },
      );
      expect(result.data).toEqual({ user: null });
      expect(result.errors).toEqual([expect.objectContaining({ path: ['user', 'email'], extensions: { code: 'FORBIDDEN' } })]);
      expectNothingOfB(result);
    });

    it.each([
      ['its owner', userB],
      ['an admin', admin],
    ])('is shown to %s', async (_who, viewer) => {
      const { user } = dataOf(
        await harness.execute(`#graphql\nquery ($id: ID!) { user(id: $id) { email } }`, { id: userB.id }, { viewer }),
      );
      expect(user).toEqual({ email: profileOfB.email });
    });
  });

  describe('Query.users', () => {
    it.each([
      ['an anonymous caller', 'UNAUTHENTICATED', null],
      ['a customer', 'FORBIDDEN', userA],
    ] as const)('refuses %s with %s', async (_who, code, viewer) => {
      const result = await harness.execute(USERS, {}, { viewer });
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([expect.objectContaining({ path: ['users'], extensions: { code } })]);
      expect(JSON.stringify(result)).not.toContain('@example');
    });

    it('lists every user, emails included, to an admin', async () => {
      const { users } = dataOf(await harness.execute(USERS, {}, { viewer: admin }));
      expect(users.totalCount).toBe(demoUsers.length);
      expect(users.nodes.map((node: { email: string }) => node.email)).toEqual(
        expect.arrayContaining([expect.stringContaining('@example')]),
      );
    });
  });

  describe('_entities with a User representation', () => {
    it.each([
      ['an anonymous caller', 'UNAUTHENTICATED', null],
      ['another customer', 'FORBIDDEN', userA],
    ] as const)('answers %s %s and a null entity', async (_who, code, viewer) => {
      const result = await harness.execute(USER_ENTITY, representationOfB, { viewer });
      expect(result.data).toEqual({ _entities: [null] });
      expect(codesOf(result)).toEqual([code]);
      expectNothingOfB(result);
    });

    it.each([
      ['the user themself', userB],
      ['an admin', admin],
    ])('resolves the user for %s', async (_who, viewer) => {
      const { _entities } = dataOf(await harness.execute(USER_ENTITY, representationOfB, { viewer }));
      expect(_entities).toEqual([expect.objectContaining({ id: userB.id, email: profileOfB.email })]);
    });
  });

  describe('mutations', () => {
    it('lets an anonymous caller sign in and see the account it signed in to', async () => {
      const { login } = dataOf(
        await harness.execute(
          `#graphql
          mutation ($input: LoginInput!) { login(input: $input) { accessToken user { ${PROFILE} } } }`,
          { input: { email: DEMO_CUSTOMER_EMAIL, password: SEED_PASSWORD } },
        ),
      );
      expect(login.user).toMatchObject({ id: userA.id, email: DEMO_CUSTOMER_EMAIL });
    });

    it.each([
      ['updateProfile', `mutation { updateProfile(input: { name: "Nobody" }) { user { id } } }`],
      [
        'changePassword',
        `mutation { changePassword(input: { currentPassword: "x", newPassword: "a new long passphrase" }) { accessToken } }`,
      ],
    ])('refuses %s to an anonymous caller with UNAUTHENTICATED', async (field, mutation) => {
      const result = await harness.execute(`#graphql\n${mutation}`);
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([expect.objectContaining({ path: [field], extensions: { code: 'UNAUTHENTICATED' } })]);
    });

    it('lets a signed-in customer update their own profile and see it back', async () => {
      const someone = demoUsers[FIRST_GENERATED_CUSTOMER_INDEX + 1]!;
      const { updateProfile } = dataOf(
        await harness.execute(
          `#graphql\nmutation { updateProfile(input: { name: "Renamed" }) { user { id name email } } }`,
          {},
          { viewer: { id: someone.id, role: 'CUSTOMER' } },
        ),
      );
      expect(updateProfile.user).toEqual({ id: someone.id, name: 'Renamed', email: someone.email });
    });
  });

  it.each([
    ['an anonymous caller', null],
    ['a customer', userA],
  ])('publishes the SDL through _service to %s', async (_who, viewer) => {
    const { _service } = dataOf(await harness.execute(`#graphql\n{ _service { sdl } }`, {}, { viewer }));
    expect(_service.sdl).toMatch(/type User\s+@key\(fields: "id"\)/);
  });
});
