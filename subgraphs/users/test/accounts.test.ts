import { DEMO_CUSTOMER_EMAIL, getDemoCustomerId, DEFAULT_SEED_OPTIONS } from '@supergraph/demo-data';
import { count, eq, isNotNull } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { dataOf, describeUsers, SEED_PASSWORD } from './harness.js';

const SESSION_FIELDS = `accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id email name role }`;
const REGISTER = `#graphql
  mutation Register($input: RegisterInput!) { register(input: $input) { ${SESSION_FIELDS} } }`;
const LOGIN = `#graphql
  mutation Login($input: LoginInput!) { login(input: $input) { ${SESSION_FIELDS} } }`;
const REFRESH = `#graphql
  mutation Refresh($token: String!) { refreshToken(input: { refreshToken: $token }) { ${SESSION_FIELDS} } }`;
const LOGOUT = `#graphql
  mutation Logout($token: String!) { logout(input: { refreshToken: $token }) { loggedOut } }`;
const CHANGE_PASSWORD = `#graphql
  mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ${SESSION_FIELDS} } }`;

const customerId = getDemoCustomerId(DEFAULT_SEED_OPTIONS);

describeUsers('accounts', { customers: 2 }, (harness) => {
  const countUsers = async () => {
    const { db, tables } = harness.database;
    const [row] = await db.select({ total: count() }).from(tables.users);
    return row!.total;
  };
  const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions;

  it('registers a customer: lower-cased email, a scrypt hash stored (never the password), a verifiable token', async () => {
    const password = 'a fine long passphrase';
    const data = dataOf(
      await harness.execute(REGISTER, { input: { email: '  New.Person@Example.COM ', password, name: ' New Person ' } }),
    );
    const session = data.register;
    expect(session.user).toMatchObject({ email: 'new.person@example.com', name: 'New Person', role: 'CUSTOMER' });
    expect(session.refreshToken).toMatch(/^rt_[\w-]{43}$/);
    expect(new Date(session.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(await harness.keys.verify(session.accessToken)).toEqual({ id: session.user.id, role: 'CUSTOMER' });

    const { db, tables } = harness.database;
    const [stored] = await db.select().from(tables.users).where(eq(tables.users.id, session.user.id));
    expect(stored!.passwordHash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
    expect(stored!.passwordHash).not.toContain(password);
  });

  it('refuses an address that is taken in any case, and writes nothing', async () => {
    const before = await countUsers();
    const result = await harness.execute(REGISTER, {
      input: { email: DEMO_CUSTOMER_EMAIL.toUpperCase(), password: 'another long passphrase', name: 'Copycat' },
    });
    expect(result.errors?.[0]?.message).toBe('input.email is already registered; sign in instead.');
    expect(codeOf(result)).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'input.email' });
    expect(await countUsers()).toBe(before);
  });

  it.each([
    [{ email: 'not-an-address', password: 'a fine long passphrase', name: 'X' }, 'input.email'],
    [{ email: 'short@example.com', password: 'too short', name: 'X' }, 'input.password'],
    [{ email: 'common@example.com', password: 'password1234', name: 'X' }, 'input.password'],
    [{ email: 'same.as.email@example.com', password: 'same.as.email@example.com', name: 'X' }, 'input.password'],
    [{ email: 'nameless@example.com', password: 'a fine long passphrase', name: '   ' }, 'input.name'],
  ])('rejects %j naming %s, and writes nothing', async (input, field) => {
    const before = await countUsers();
    const result = await harness.execute(REGISTER, { input });
    expect(codeOf(result)).toEqual({ code: 'BAD_USER_INPUT', argumentName: field });
    expect(await countUsers()).toBe(before);
  });

  it('signs in a seeded customer with the seed password', async () => {
    const data = dataOf(await harness.execute(LOGIN, { input: { email: DEMO_CUSTOMER_EMAIL, password: SEED_PASSWORD } }));
    expect(data.login.user).toMatchObject({ id: customerId, email: DEMO_CUSTOMER_EMAIL, role: 'CUSTOMER' });
    expect(await harness.keys.verify(data.login.accessToken)).toEqual({ id: customerId, role: 'CUSTOMER' });
  });

  it('answers an unknown address and a wrong password exactly the same way', async () => {
    const unknown = await harness.execute(LOGIN, { input: { email: 'nobody@example.com', password: SEED_PASSWORD } });
    const wrong = await harness.execute(LOGIN, { input: { email: DEMO_CUSTOMER_EMAIL, password: 'not the password at all' } });
    expect(unknown).toEqual(wrong);
    expect(wrong.data).toBeNull();
    expect(wrong.errors).toEqual([
      expect.objectContaining({ message: 'Email or password is incorrect.', extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
  });

  it('rotates refresh tokens, and a reused one ends the whole session', async () => {
    const first = dataOf(await harness.execute(LOGIN, { input: { email: DEMO_CUSTOMER_EMAIL, password: SEED_PASSWORD } })).login;
    const second = dataOf(await harness.execute(REFRESH, { token: first.refreshToken })).refreshToken;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.id).toBe(customerId);

    // The first token again, a minute after it was traded: someone copied it. The session ends, so the
    // newest token dies too.
    await harness.database.transaction(({ db, tables }) =>
      db
        .update(tables.refreshTokens)
        .set({ usedAt: new Date(Date.now() - 60_000) })
        .where(isNotNull(tables.refreshTokens.usedAt)),
    );
    const replay = await harness.execute(REFRESH, { token: first.refreshToken });
    expect(codeOf(replay)).toEqual({ code: 'UNAUTHENTICATED' });
    const afterReplay = await harness.execute(REFRESH, { token: second.refreshToken });
    expect(codeOf(afterReplay)).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token presented again within seconds (a second tab, a retry) but keeps the session', async () => {
    const first = dataOf(await harness.execute(LOGIN, { input: { email: DEMO_CUSTOMER_EMAIL, password: SEED_PASSWORD } })).login;
    const second = dataOf(await harness.execute(REFRESH, { token: first.refreshToken })).refreshToken;
    expect(codeOf(await harness.execute(REFRESH, { token: first.refreshToken }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect(dataOf(await harness.execute(REFRESH, { token: second.refreshToken })).refreshToken.user.id).toBe(customerId);
  });

  it('lets exactly one of two concurrent refreshes with the same token win, and the session lives on', async () => {
    const session = dataOf(
      await harness.execute(LOGIN, { input: { email: DEMO_CUSTOMER_EMAIL, password: SEED_PASSWORD } }),
    ).login;
    const results = await Promise.all([
      harness.execute(REFRESH, { token: session.refreshToken }),
      harness.execute(REFRESH, { token: session.refreshToken }),
    ]);
    const winners = results.filter((result) => result.errors === undefined);
    expect(winners).toHaveLength(1);
    const next = winners[0]!.data!.refreshToken.refreshToken as string;
    expect(dataOf(await harness.execute(REFRESH, { token: next })).refreshToken.user.id).toBe(customerId);
  });

  it('logs out: the refresh token stops working, and a second logout reports nothing to end', async () => {
    const session = dataOf(
      await harness.execute(LOGIN, { input: { email: DEMO_CUSTOMER_EMAIL, password: SEED_PASSWORD } }),
    ).login;
    expect(dataOf(await harness.execute(LOGOUT, { token: session.refreshToken })).logout).toEqual({ loggedOut: true });
    expect(codeOf(await harness.execute(REFRESH, { token: session.refreshToken }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect(dataOf(await harness.execute(LOGOUT, { token: session.refreshToken })).logout).toEqual({ loggedOut: false });
  });

  it('answers me with the signed-in user, and null for an anonymous caller', async () => {
    const viewer = { id: customerId, role: 'CUSTOMER' as const };
    expect(dataOf(await harness.execute(`#graphql\n{ me { id email } }`, {}, { viewer })).me).toEqual({
      id: customerId,
      email: DEMO_CUSTOMER_EMAIL,
    });
    expect(dataOf(await harness.execute(`#graphql\n{ me { id } }`)).me).toBeNull();
  });

  it('updates the profile name, and rejects an empty one naming the field', async () => {
    const viewer = { id: customerId, role: 'CUSTOMER' as const };
    const UPDATE = `#graphql\nmutation ($name: String!) { updateProfile(input: { name: $name }) { user { id name } } }`;
    expect(dataOf(await harness.execute(UPDATE, { name: 'Casey C.' }, { viewer })).updateProfile.user).toEqual({
      id: customerId,
      name: 'Casey C.',
    });
    expect(codeOf(await harness.execute(UPDATE, { name: '' }, { viewer }))).toEqual({
      code: 'BAD_USER_INPUT',
      argumentName: 'input.name',
    });
  });

  it('changes the password: the old one stops working and every other session ends', async () => {
    const email = 'changer@example.com';
    const registered = dataOf(
      await harness.execute(REGISTER, { input: { email, password: 'original passphrase 1', name: 'Changer' } }),
    ).register;
    const otherDevice = dataOf(await harness.execute(LOGIN, { input: { email, password: 'original passphrase 1' } })).login;
    const viewer = { id: registered.user.id, role: 'CUSTOMER' as const };

    const wrong = await harness.execute(
      CHANGE_PASSWORD,
      { input: { currentPassword: 'not it at all', newPassword: 'brand new passphrase 2' } },
      { viewer },
    );
    expect(codeOf(wrong)).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'input.currentPassword' });

    const changed = dataOf(
      await harness.execute(
        CHANGE_PASSWORD,
        { input: { currentPassword: 'original passphrase 1', newPassword: 'brand new passphrase 2' } },
        { viewer },
      ),
    ).changePassword;
    expect(changed.user.id).toBe(viewer.id);
    expect(codeOf(await harness.execute(REFRESH, { token: otherDevice.refreshToken }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect(codeOf(await harness.execute(REFRESH, { token: registered.refreshToken }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect(dataOf(await harness.execute(REFRESH, { token: changed.refreshToken })).refreshToken.user.id).toBe(viewer.id);
    expect(codeOf(await harness.execute(LOGIN, { input: { email, password: 'original passphrase 1' } }))).toEqual({
      code: 'UNAUTHENTICATED',
    });
    expect(dataOf(await harness.execute(LOGIN, { input: { email, password: 'brand new passphrase 2' } })).login.user.id).toBe(
      viewer.id,
    );
  });
});
