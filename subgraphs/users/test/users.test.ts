import {
  createDemoUsers,
  DEFAULT_SEED_OPTIONS,
  DEMO_CUSTOMER_EMAIL,
  getDemoAdminId,
  getDemoCustomerId,
} from '@supergraph/demo-data';
import type { Viewer } from '@supergraph/server-kit/auth';
import { readAllPages, resolveReferences, selectConnectionPage, testPageArgumentRefusals } from '@supergraph/server-kit/testing';
import { describe, expect, it } from 'vitest';
import type { UserRow } from '../src/db/tables/index.js';
import { createUsersHarness, dataOf, describeUsers, type UsersHarness } from './harness.js';

const seed = DEFAULT_SEED_OPTIONS;
const demoUsers = createDemoUsers(seed);
// A user's fields are visible to that user and to admins only (see permissions.test.ts); these tests read as one of them.
const customer: Viewer = { id: getDemoCustomerId(seed), role: 'CUSTOMER' };
const admin: Viewer = { id: getDemoAdminId(seed), role: 'ADMIN' };

describeUsers('the users subgraph', seed, (harness, dialect) => {
  const USERS_PAGE = `#graphql
    query UsersPage($first: Int, $after: String, $last: Int, $before: String) {
      users(first: $first, after: $after, last: $last, before: $before) { ${selectConnectionPage('id email createdAt')} }
    }`;

  /** Oldest account first, then by id: the order `users` promises. */
  function byCreatedAtThenId(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number {
    return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  /** Every user `target` serves, `first` a page forward (or `last` a page backward), read by an admin. */
  const readAllUsers = (target: UsersHarness, size: { first: number } | { last: number }, totalCount: number) =>
    readAllPages(async (page) => dataOf(await target.execute(USERS_PAGE, page, { viewer: admin })).users, {
      ...size,
      totalCount,
    });

  describe('user(id)', () => {
    it('returns customer@example.com as a CUSTOMER with createdAt as an ISO string', async () => {
      const customer = demoUsers.find((user) => user.email === DEMO_CUSTOMER_EMAIL)!;
      const data = dataOf(
        await harness.execute(
          `#graphql
        query ($id: ID!) { user(id: $id) { id email name role createdAt } }`,
          { id: getDemoCustomerId(seed) },
          { viewer: customer },
        ),
      );
      expect(data.user).toEqual({
        id: customer.id,
        email: DEMO_CUSTOMER_EMAIL,
        name: customer.name,
        role: 'CUSTOMER',
        createdAt: customer.createdAt.toISOString(),
      });
    });

    it('returns null for an id that does not exist', async () => {
      const data = dataOf(
        await harness.execute(
          `#graphql
      { user(id: "no-such-user") { id } }`,
          {},
          { viewer: customer },
        ),
      );
      expect(data.user).toBeNull();
    });
  });

  describe('users(first, after, last, before)', () => {
    it('pages through every user, oldest account first, without gaps or repeats', async () => {
      const { ids, pages } = await readAllUsers(harness, { first: 10 }, demoUsers.length);
      expect(pages).toBe(Math.ceil(demoUsers.length / 10));
      expect(ids).toEqual([...demoUsers].sort(byCreatedAtThenId).map((user) => user.id));
    });

    it('pages backward with `last` from the newest account to the oldest, each page in list order, the same users as forward', async () => {
      const backward = await readAllUsers(harness, { last: 7 }, demoUsers.length);
      expect(backward.pages).toBe(Math.ceil(demoUsers.length / 7));
      expect(backward.ids).toEqual([...demoUsers].sort(byCreatedAtThenId).map((user) => user.id));
    });

    it('orders users created at the same instant by id, across page boundaries both ways', async () => {
      const tied = await createUsersHarness(dialect, { ...seed, customers: 0 });
      try {
        const createdAt = new Date('2025-06-01T12:00:00.000Z');
        const extra = Array.from({ length: 23 }, (_, i) => ({
          id: `tied-${String((i * 7) % 23).padStart(2, '0')}`,
          email: `tied.${i}@example.com`,
          name: `Tied ${i}`,
          role: 'CUSTOMER' as const,
          createdAt,
        }));
        await tied.database.transaction((tx) => tx.db.insert(tx.tables.users).values(extra));
        const expected = [...createDemoUsers({ ...seed, customers: 0 }), ...extra].sort(byCreatedAtThenId).map((user) => user.id);
        const { ids } = await readAllUsers(tied, { first: 10 }, expected.length);
        expect(ids).toEqual(expected);
        const backward = await readAllUsers(tied, { last: 10 }, expected.length);
        expect(backward.ids).toEqual(expected);
      } finally {
        await tied.close();
      }
    });

    testPageArgumentRefusals((variables) => harness.execute(USERS_PAGE, variables, { viewer: admin }));
  });

  describe('federation', () => {
    it('resolves User references through _entities in order, null for unknown ids', async () => {
      const [admin, customer] = demoUsers;
      const data = dataOf(
        await harness.execute(
          `#graphql
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) { __typename ... on User { id email role } }
        }`,
          {
            representations: [
              { __typename: 'User', id: customer!.id },
              { __typename: 'User', id: 'missing' },
              { __typename: 'User', id: admin!.id },
            ],
          },
          { viewer: { id: admin!.id, role: 'ADMIN' } },
        ),
      );
      expect(data._entities).toEqual([
        { __typename: 'User', id: customer!.id, email: customer!.email, role: 'CUSTOMER' },
        null,
        { __typename: 'User', id: admin!.id, email: admin!.email, role: 'ADMIN' },
      ]);
    });

    it('loads 50 user references with one SQL statement', async () => {
      const ids = demoUsers.slice(0, 50).map((user) => user.id);
      const { entities, statements } = await resolveReferences(harness, 'User', ids, { viewer: admin });
      expect(entities).toEqual(ids.map((id) => ({ id })));
      expect(statements).toBe(1);
    });

    it('publishes its SDL with the User @key through _service', async () => {
      const data = dataOf(
        await harness.execute(`#graphql
      { _service { sdl } }`),
      );
      expect(data._service.sdl).toMatch(/type User\s+@key\(fields: "id"\)/);
    });
  });

  describe('the users table', () => {
    const newUser = (overrides: Partial<UserRow>): UserRow => ({
      id: 'new-user',
      email: 'new.user@example.com',
      name: 'New User',
      role: 'CUSTOMER',
      createdAt: new Date('2025-01-01T00:00:00.000Z'),
      passwordHash: null,
      ...overrides,
    });

    const insertUser = (row: UserRow) => harness.database.transaction((tx) => tx.db.insert(tx.tables.users).values(row));
    /** The database's refusal, with the driver's cause (drizzle wraps Postgres errors as "Failed query"). */
    const refusalOf = (attempt: Promise<unknown>) =>
      attempt.then(
        () => 'accepted',
        (error: Error) => `${error.message} ${(error.cause as Error | undefined)?.message ?? ''}`,
      );

    it('refuses a role outside CUSTOMER and ADMIN', async () => {
      // The cast gets a value the Role type forbids past the compiler, to reach the CHECK constraint.
      const row = newUser({ role: 'SUPERUSER' as UserRow['role'] });
      expect(await refusalOf(insertUser(row))).toMatch(/users_role_known/);
    });

    it('holds every seeded address lower-case and refuses a second account for the same address', async () => {
      const { db, tables } = harness.database;
      const stored = await db.select({ email: tables.users.email }).from(tables.users);
      expect(stored).toHaveLength(demoUsers.length);
      expect(stored.every(({ email }) => email === email.toLowerCase())).toBe(true);

      // SQLite and Postgres word it differently; both name the constraint.
      expect(await refusalOf(insertUser(newUser({ email: DEMO_CUSTOMER_EMAIL })))).toMatch(/users\.email|users_email_unique/);
      expect(await refusalOf(insertUser(newUser({ email: 'Customer@Example.com' })))).toMatch(/users_email_lower_case/);
    });
  });
});
