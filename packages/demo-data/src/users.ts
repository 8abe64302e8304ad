import type { Faker } from '@faker-js/faker';
import { DAY_SECONDS, DEMO_EPOCH, createEntityFaker, deriveEntityId, drawDurationMs, seedFakerForEntity } from './entity-seed.js';
import { validateSeedOptions, type SeedOptions } from './seed-options.js';

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  role: 'CUSTOMER' | 'ADMIN';
  createdAt: Date;
}

export const DEMO_ADMIN_EMAIL = 'admin@example.com';
export const DEMO_CUSTOMER_EMAIL = 'customer@example.com';

/** Position of the admin in `createDemoUsers` output, and the index its id is derived from. */
export const DEMO_ADMIN_INDEX = 0;
/** Position of customer@example.com in `createDemoUsers` output, and the index its id is derived from. */
export const DEMO_CUSTOMER_INDEX = 1;
/** Position of the first generated customer; generated customers follow the two fixed accounts. */
export const FIRST_GENERATED_CUSTOMER_INDEX = 2;

const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];

/**
 * Creates the accounts: the admin, then customer@example.com, then `options.customers` generated
 * customers. No password is included: each service hashes `SEED_PASSWORD` itself.
 */
export function createDemoUsers(options: SeedOptions): DemoUser[] {
  return Array.from(generateDemoUsers(options));
}

/** Yields the users of `createDemoUsers(options)` one at a time, in the same order. */
export function* generateDemoUsers(options: SeedOptions): Generator<DemoUser, void, undefined> {
  validateSeedOptions(options);
  const faker = createEntityFaker();
  const count = FIRST_GENERATED_CUSTOMER_INDEX + options.customers;
  for (let index = 0; index < count; index += 1) yield generateUser(faker, options.seed, index);
}

/** How many users `createDemoUsers(options)` returns: the two fixed accounts and the generated customers. */
export function countDemoUsers(options: Pick<SeedOptions, 'customers'>): number {
  return FIRST_GENERATED_CUSTOMER_INDEX + options.customers;
}

/**
 * Derives the id of the user at `index` in `createDemoUsers` output (0 the admin, 1
 * customer@example.com, 2 and up the generated customers) without generating any user.
 */
export function getDemoUserId(options: Pick<SeedOptions, 'seed'>, index: number): string {
  return deriveEntityId(options.seed, 'user', index);
}

/** Derives the id of customer@example.com for this seed, e.g. to paste into a `user(id)` query. */
export function getDemoCustomerId(options: Pick<SeedOptions, 'seed'>): string {
  return getDemoUserId(options, DEMO_CUSTOMER_INDEX);
}

/** Derives the id of admin@example.com for this seed. */
export function getDemoAdminId(options: Pick<SeedOptions, 'seed'>): string {
  return getDemoUserId(options, DEMO_ADMIN_INDEX);
}

/** Generates the user at `index`; it depends on (seed, index) alone, whatever `faker` drew before. */
export function generateUser(faker: Faker, seed: number, index: number): DemoUser {
  const id = getDemoUserId({ seed }, index);
  if (index === DEMO_ADMIN_INDEX) {
    return { id, email: DEMO_ADMIN_EMAIL, name: 'Ada Admin', role: 'ADMIN', createdAt: daysBeforeEpoch(1100) };
  }
  if (index === DEMO_CUSTOMER_INDEX) {
    return { id, email: DEMO_CUSTOMER_EMAIL, name: 'Casey Customer', role: 'CUSTOMER', createdAt: daysBeforeEpoch(400) };
  }
  seedFakerForEntity(faker, seed, 'user', index);
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const domain = faker.helpers.arrayElement(EMAIL_DOMAINS);
  // At least a day old, so every customer has time to place an order before the epoch.
  const age = drawDurationMs(faker, DAY_SECONDS, 720 * DAY_SECONDS);
  return {
    id,
    // The index makes the address unique even when two customers share a name.
    email: `${toEmailPart(firstName, 'customer')}.${toEmailPart(lastName, 'shopper')}.${index}@${domain}`,
    name: `${firstName} ${lastName}`,
    role: 'CUSTOMER',
    createdAt: new Date(DEMO_EPOCH.getTime() - age),
  };
}

function daysBeforeEpoch(days: number): Date {
  return new Date(DEMO_EPOCH.getTime() - days * DAY_SECONDS * 1000);
}

/** Turns a name such as "O'Kon" or "Zoë" into "okon" or "zoe", which every mail validator accepts. */
function toEmailPart(name: string, fallback: string): string {
  const ascii = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return ascii === '' ? fallback : ascii;
}
