import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEED_OPTIONS,
  DEMO_ADMIN_EMAIL,
  DEMO_CUSTOMER_EMAIL,
  DEMO_EPOCH,
  createDemoUsers,
  getDemoAdminId,
  getDemoCustomerId,
  getDemoUserId,
} from '../src/index.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createDemoUsers', () => {
  it('returns the same users for the same options', () => {
    expect(createDemoUsers(DEFAULT_SEED_OPTIONS)).toEqual(createDemoUsers({ ...DEFAULT_SEED_OPTIONS }));
  });

  it('returns other generated customers and ids for another seed', () => {
    const users = createDemoUsers(DEFAULT_SEED_OPTIONS);
    const others = createDemoUsers({ ...DEFAULT_SEED_OPTIONS, seed: 7 });
    expect(others.map((user) => user.id)).not.toEqual(users.map((user) => user.id));
    expect(others.slice(2).map((user) => user.email)).not.toEqual(users.slice(2).map((user) => user.email));
  });

  it('starts with the admin and customer@example.com, followed by the generated customers', () => {
    const users = createDemoUsers(DEFAULT_SEED_OPTIONS);
    expect(users).toHaveLength(62);
    expect(users[0]).toMatchObject({
      id: getDemoAdminId(DEFAULT_SEED_OPTIONS),
      email: DEMO_ADMIN_EMAIL,
      name: 'Ada Admin',
      role: 'ADMIN',
    });
    expect(users[1]).toMatchObject({
      id: getDemoCustomerId(DEFAULT_SEED_OPTIONS),
      email: DEMO_CUSTOMER_EMAIL,
      name: 'Casey Customer',
      role: 'CUSTOMER',
    });
    expect(users.slice(2).every((user) => user.role === 'CUSTOMER')).toBe(true);
    expect(users.map((user) => user.id)).toEqual(users.map((_, index) => getDemoUserId(DEFAULT_SEED_OPTIONS, index)));
  });

  it('gives every user a unique UUID and a unique lower-case address on an example domain', () => {
    const users = createDemoUsers({ ...DEFAULT_SEED_OPTIONS, customers: 2000 });
    expect(new Set(users.map((user) => user.id)).size).toBe(users.length);
    expect(new Set(users.map((user) => user.email)).size).toBe(users.length);
    for (const user of users) {
      expect(user.id).toMatch(UUID_V5);
      expect(user.email).toMatch(/^[a-z0-9.]+@example\.(com|org|net)$/);
      expect(user.name).toMatch(/^\S+( \S+)+$/);
    }
  });

  it('dates every account before the epoch', () => {
    for (const user of createDemoUsers(DEFAULT_SEED_OPTIONS)) {
      expect(user.createdAt.getTime()).toBeLessThan(DEMO_EPOCH.getTime());
    }
  });

  it('returns only the two fixed accounts when no customers are asked for', () => {
    expect(createDemoUsers({ ...DEFAULT_SEED_OPTIONS, customers: 0 }).map((user) => user.email)).toEqual([
      DEMO_ADMIN_EMAIL,
      DEMO_CUSTOMER_EMAIL,
    ]);
  });

  it('keeps a customer the same whatever the number of customers generated after it', () => {
    const few = createDemoUsers({ ...DEFAULT_SEED_OPTIONS, customers: 5 });
    const many = createDemoUsers(DEFAULT_SEED_OPTIONS);
    expect(many.slice(0, few.length)).toEqual(few);
  });
});
