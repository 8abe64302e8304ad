import { parseArgs } from 'node:util';

/** How much demo data to generate, and from which seed. */
export interface SeedOptions {
  /** Generated customer accounts besides the two fixed ones. Default 60. */
  customers: number;
  /** Products in the catalog. Default 400. */
  products: number;
  /** Orders in all, spread over customers. Default 600. */
  orders: number;
  /** Seed of every random choice; the same seed gives the same data. Default 42. */
  seed: number;
}

/** The options a seed runs with when given no flags: 60 customers, 400 products, 600 orders, seed 42. */
export const DEFAULT_SEED_OPTIONS: SeedOptions = Object.freeze({
  customers: 60,
  products: 400,
  orders: 600,
  seed: 42,
});

/**
 * Told how far a seed has got: `written` of `total` rows of `table`. Seeds call it after each batch
 * they write; the database CLI prints it on stderr.
 */
export type SeedProgress = (table: string, written: number, total: number) => void;

type SeedOptionName = keyof SeedOptions;

const SEED_OPTION_NAMES: readonly SeedOptionName[] = ['customers', 'products', 'orders', 'seed'];

// Caps keep a typo (an extra zero or three) from filling a laptop's disk; the seed only has to stay an
// exact integer because it is written into hash keys as text.
const SEED_OPTION_MAXIMUMS: Record<SeedOptionName, number> = {
  customers: 100_000,
  products: 1_000_000,
  orders: 1_000_000,
  seed: Number.MAX_SAFE_INTEGER,
};

/**
 * Reads `--customers`, `--products`, `--orders` and `--seed` (each `--flag value` or `--flag=value`)
 * from command-line arguments such as `process.argv.slice(2)`; a flag left out keeps its default.
 * Throws an Error naming the flag and the value when a flag is unknown, has no value, is not a
 * non-negative integer, exceeds its cap, or when orders are asked for from an empty catalog.
 */
export function parseSeedOptions(argv: string[]): SeedOptions {
  const options: SeedOptions = { ...DEFAULT_SEED_OPTIONS };
  // strict: false so that an unknown flag reaches us as a token and gets our message, which names it.
  const { tokens } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: Object.fromEntries(SEED_OPTION_NAMES.map((name) => [name, { type: 'string' }])),
  });
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw new Error(`Unexpected argument "${token.value}": seed options are --customers, --products, --orders and --seed`);
    }
    if (!isSeedOptionName(token.name)) {
      throw new Error(`Unknown flag ${token.rawName}: seed options are --customers, --products, --orders and --seed`);
    }
    if (token.value === undefined) {
      throw new Error(`${token.rawName} needs a value, e.g. ${token.rawName} ${DEFAULT_SEED_OPTIONS[token.name]}`);
    }
    options[token.name] = parseCount(token.rawName, token.value);
  }
  validateSeedOptions(options, (name) => `--${name}`);
  return options;
}

/**
 * Throws when options could not produce consistent data: a count that is not a non-negative integer
 * within its cap, or orders without any product to put in them. `describe` names an option in the
 * message (`options.products` for callers in code, `--products` on the command line).
 */
export function validateSeedOptions(
  options: SeedOptions,
  describe: (name: SeedOptionName) => string = (name) => `options.${name}`,
): void {
  for (const name of SEED_OPTION_NAMES) {
    const value = options[name];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`${describe(name)} must be a non-negative integer, got ${String(value)}`);
    }
    if (value > SEED_OPTION_MAXIMUMS[name]) {
      throw new Error(`${describe(name)} must be at most ${SEED_OPTION_MAXIMUMS[name]}, got ${value}`);
    }
  }
  if (options.orders > 0 && options.products < 1) {
    throw new Error(`${describe('products')} must be at least 1 when ${describe('orders')} is above 0, got ${options.products}`);
  }
}

function isSeedOptionName(name: string): name is SeedOptionName {
  return (SEED_OPTION_NAMES as readonly string[]).includes(name);
}

function parseCount(flag: string, text: string): number {
  // Digits only: Number() would also take '', '1e3', '0x10' and ' 7 ', which are more likely typos.
  if (!/^\d+$/.test(text)) {
    throw new Error(`${flag} must be a non-negative integer, got "${text}"`);
  }
  return Number(text);
}
