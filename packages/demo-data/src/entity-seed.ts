import { createHash } from 'node:crypto';
import { Faker, base, en, type Randomizer } from '@faker-js/faker';

/**
 * The instant all demo dates count back from (2026-01-01T00:00:00Z). A fixed epoch rather than the
 * clock keeps a seed run today and one run next month byte-for-byte the same.
 */
export const DEMO_EPOCH = new Date('2026-01-01T00:00:00.000Z');

export const DAY_SECONDS = 24 * 60 * 60;

/**
 * Derives an entity's id as a UUID (RFC 4122 layout, version 5 and variant bits) from the SHA-1 of
 * `${seed}:${kind}:${key}`. Each service computes the ids of the entities it only references (the
 * orders seed, products and users) from the same key, so they match the rows another service wrote.
 */
export function deriveEntityId(seed: number | string, kind: string, key: number | string): string {
  const bytes = hashEntityKey(seed, kind, key).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Creates the Faker instance a generator reseeds before each entity. */
export function createEntityFaker(): Faker {
  return new Faker({ locale: [en, base], randomizer: createSfc32Randomizer() });
}

/**
 * Reseeds `faker` from `${seed}:${kind}:${key}`, so that what it draws next depends on that entity
 * alone, never on which entities were generated before it or in what order.
 */
export function seedFakerForEntity(faker: Faker, seed: number | string, kind: string, key: number | string): Faker {
  const digest = hashEntityKey(seed, kind, key);
  faker.seed([digest.readUInt32BE(0), digest.readUInt32BE(4), digest.readUInt32BE(8), digest.readUInt32BE(12)]);
  return faker;
}

/**
 * Draws a whole number of seconds in [minSeconds, maxSeconds] and returns it in milliseconds; whole
 * seconds keep dates equal after a round trip through databases that store seconds only.
 */
export function drawDurationMs(faker: Faker, minSeconds: number, maxSeconds: number): number {
  return faker.number.int({ min: minSeconds, max: maxSeconds }) * 1000;
}

function hashEntityKey(seed: number | string, kind: string, key: number | string): Buffer {
  return createHash('sha1').update(`${seed}:${kind}:${key}`).digest();
}

/**
 * A small-state generator (sfc32) in place of Faker's default Mersenne Twister: it is reseeded once
 * per entity, and seeding a Mersenne Twister fills 624 words each time, which made reseeding most of
 * the cost of generating an order. The seed words are SHA-1 output, already well mixed.
 */
function createSfc32Randomizer(): Randomizer {
  const state = new Uint32Array(4);
  const nextUint32 = (): number => {
    const [a = 0, b = 0, c = 0, d = 0] = state;
    const result = (a + b + d) >>> 0;
    state[0] = b ^ (b >>> 9);
    state[1] = c + (c << 3);
    state[2] = ((c << 21) | (c >>> 11)) + result;
    state[3] = d + 1;
    return result;
  };
  return {
    next: () => nextUint32() / 2 ** 32,
    seed(seed) {
      const words = typeof seed === 'number' ? [seed] : seed;
      state.set(
        [words[0] ?? 0, words[1] ?? 0x9e3779b9, words[2] ?? 0x243f6a88, words[3] ?? 0xb7e15162].map((word) => word >>> 0),
      );
      // The customary warm-up, so that states seeded from similar words have drifted apart.
      for (let round = 0; round < 12; round += 1) nextUint32();
    },
  };
}
