import { DEMO_CUSTOMER_EMAIL } from '@supergraph/demo-data';
import { afterEach, expect, it, vi } from 'vitest';
import { hashPassword, limitPasswordHashing, verifyPassword } from '../src/accounts/passwords.js';
import { dataOf, describeUsers, SEED_PASSWORD } from './harness.js';

// Password hashes take turns on a bounded queue; the tests hold the turns themselves, so what is
// refused does not depend on how fast a hash runs.

const LOGIN = `#graphql
  mutation Login($input: LoginInput!) { login(input: $input) { accessToken user { email } } }`;
const REGISTER = `#graphql
  mutation Register($input: RegisterInput!) { register(input: $input) { user { email } } }`;

afterEach(() => {
  limitPasswordHashing(null);
});

it('refuses a hash at once with OVERLOADED when every turn and place is taken, and runs one queued behind a turn', async () => {
  const queue = limitPasswordHashing({ concurrency: 1, maxQueued: 1, maxWaitMs: 60_000 });
  const release = await queue.acquire();
  const queued = hashPassword('a fine long passphrase');

  await expect(hashPassword('another long passphrase')).rejects.toMatchObject({
    extensions: { code: 'OVERLOADED', retryAfter: 1 },
  });
  release();
  expect(await verifyPassword('a fine long passphrase', await queued)).toBe(true);
  expect(queue.load).toEqual({ active: 0, queued: 0 });
});

it('refuses a hash that waited past maxWaitMs for its turn', async () => {
  const queue = limitPasswordHashing({ concurrency: 1, maxQueued: 4, maxWaitMs: 1 });
  const release = await queue.acquire();

  await expect(verifyPassword('a fine long passphrase', null)).rejects.toMatchObject({ extensions: { code: 'OVERLOADED' } });
  release();
});

it('refuses a sign-in whose hash is still running at maxWaitMs, and keeps the turn until that hash ends', async () => {
  const queue = limitPasswordHashing({ concurrency: 1, maxQueued: 0, maxWaitMs: 1 });

  await expect(hashPassword('a fine long passphrase')).rejects.toMatchObject({ extensions: { code: 'OVERLOADED' } });
  expect(queue.load).toEqual({ active: 1, queued: 0 });
  await vi.waitFor(() => expect(queue.load).toEqual({ active: 0, queued: 0 }), { timeout: 30_000, interval: 20 });
});

describeUsers('password hashing under load', { customers: 1 }, (harness) => {
  it('answers login and register OVERLOADED (retryable, nothing done) while the queue is full, and signs in once it drains', async () => {
    const queue = limitPasswordHashing({ concurrency: 1, maxQueued: 0, maxWaitMs: 60_000 });
    const release = await queue.acquire();
    const credentials = { email: DEMO_CUSTOMER_EMAIL, password: SEED_PASSWORD };

    const refused = await harness.execute(LOGIN, { input: credentials });
    const notRegistered = await harness.execute(REGISTER, {
      input: { email: 'busy@example.com', password: 'a fine long passphrase', name: 'Busy' },
    });

    for (const result of [refused, notRegistered]) {
      expect(result.errors?.map((error) => ({ message: error.message, extensions: error.extensions }))).toEqual([
        {
          message: 'Too many sign-ins and password changes at once; nothing was done. Try again in 1 s.',
          extensions: { code: 'OVERLOADED', retryAfter: 1 },
        },
      ]);
    }
    release();
    expect(dataOf(await harness.execute(LOGIN, { input: credentials })).login.user.email).toBe(DEMO_CUSTOMER_EMAIL);
    expect(
      dataOf(
        await harness.execute(REGISTER, {
          input: { email: 'busy@example.com', password: 'a fine long passphrase', name: 'Busy' },
        }),
      ).register.user.email,
    ).toBe('busy@example.com');
  });
});
