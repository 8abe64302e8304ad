import type { Logger } from 'pino';
import { describeErrorSafely } from '../telemetry/error-serializer.js';
import { createLogger } from '../telemetry/logger.js';
import { openOrExit, type DatabaseLocation, type ServiceDatabase } from './database.js';

/** Told that `written` of `total` rows of `table` are written (the shape of demo-data's SeedProgress). */
type SeedProgressListener = (table: string, written: number, total: number) => void;

/** A refusal the operator can act on: printed as a message, without a stack trace. */
export class DatabaseCliRefusal extends Error {}

export interface DatabaseCliOptions {
  service: string;
  logger: Logger;
  isProduction: boolean;
  migrate(): void | Promise<void>;
  /** True when the service's tables hold no rows yet. */
  isEmpty(): boolean | Promise<boolean>;
  /** Deletes every row (keeps the tables). */
  reset(): void | Promise<void>;
  /**
   * Writes the demo data; `argv` holds the seed-size flags (--customers, --products, --orders, --seed).
   * The seed tells `onProgress` how many rows it has written; the CLI prints that on stderr.
   */
  seed(argv: string[], onProgress: SeedProgressListener): void | Promise<void>;
  close(): void | Promise<void>;
}

const USAGE = `usage: cli <command> [options]
  migrate                 apply pending migrations
  seed [--reset] [sizes]  write the demo data (refuses a non-empty database unless --reset, and production)
  setup [sizes]           migrate, then seed if the database is empty (never seeds in production)
sizes: --customers N --products N --orders N --seed N (the same for every service)`;

/**
 * The `migrate | seed | setup` command every subgraph ships. Exits non-zero with a message that
 * says what to do when something is wrong.
 */
export async function runDatabaseCli(argv: string[], options: DatabaseCliOptions): Promise<void> {
  const [command, ...rest] = argv;
  const { logger } = options;
  try {
    switch (command) {
      case 'migrate':
        await options.migrate();
        logger.info('migrations applied');
        break;
      case 'seed': {
        if (options.isProduction) {
          throw new DatabaseCliRefusal('NODE_ENV=production: the demo data is never written to a production database');
        }
        const isReset = rest.includes('--reset');
        const sizeArgs = rest.filter((arg) => arg !== '--reset');
        await options.migrate();
        if (!(await options.isEmpty())) {
          if (!isReset)
            throw new DatabaseCliRefusal(`the ${options.service} database already has data; pass --reset to replace it`);
          await options.reset();
        }
        await options.seed(sizeArgs, createSeedProgressPrinter(options.service));
        logger.info('demo data written');
        break;
      }
      case 'setup':
        await options.migrate();
        if (options.isProduction) {
          logger.info('migrations applied; NODE_ENV=production, so no demo data is seeded');
        } else if (await options.isEmpty()) {
          await options.seed(rest, createSeedProgressPrinter(options.service));
          logger.info('migrations applied and demo data written');
        } else {
          logger.info('migrations applied; database already has data');
        }
        break;
      default:
        process.stderr.write(`${command ? `unknown command: ${command}\n` : ''}${USAGE}\n`);
        process.exitCode = 2;
    }
  } catch (error) {
    if (error instanceof DatabaseCliRefusal) logger.error(error.message);
    else logger.error({ err: error }, describeErrorSafely(error));
    process.exitCode = 1;
  } finally {
    await options.close();
  }
}

/**
 * Prints a seed's progress on stderr, e.g. `products: products 250000/1000000 rows`: a line each
 * time another twentieth of a table (and at least 10,000 rows) is written, and one when it is done.
 */
function createSeedProgressPrinter(service: string, stream: NodeJS.WritableStream = process.stderr): SeedProgressListener {
  const nextLineAt = new Map<string, number>();
  return (table, written, total) => {
    const step = Math.max(10_000, Math.ceil(total / 20));
    if (written < total && written < (nextLineAt.get(table) ?? step)) return;
    nextLineAt.set(table, written + step);
    stream.write(`${service}: ${table} ${written}/${total} rows\n`);
  };
}

/** The settings runSubgraphDatabaseCli needs, as subgraphSettingsSchema parses them. */
interface DatabaseCliSettings {
  service: string;
  logLevel: Parameters<typeof createLogger>[0]['level'];
  isProduction: boolean;
  database: DatabaseLocation;
}

/** How a subgraph opens its database and writes its demo data. */
export interface SubgraphDatabaseCliOptions<TDatabase extends ServiceDatabase<Record<string, unknown>>> {
  openDatabase: (location: DatabaseLocation, options: { logger: Logger; createIfMissing: boolean }) => Promise<TDatabase>;
  seed: {
    /** True when the service's tables hold no rows yet. */
    isEmpty(database: NoInfer<TDatabase>): boolean | Promise<boolean>;
    /** Deletes every row (keeps the tables). */
    reset(database: NoInfer<TDatabase>): void | Promise<void>;
    /** Writes the demo data; `argv` holds the seed-size flags; `onProgress` prints rows written on stderr. */
    write(database: NoInfer<TDatabase>, argv: string[], onProgress: SeedProgressListener): void | Promise<void>;
  };
}

/**
 * A subgraph's cli.ts in one call: its logger, its database (outside production a missing Postgres
 * database is created, like `createdb`), then `migrate | seed | setup`.
 */
export async function runSubgraphDatabaseCli<TDatabase extends ServiceDatabase<Record<string, unknown>>>(
  argv: string[],
  settings: DatabaseCliSettings,
  { openDatabase, seed }: SubgraphDatabaseCliOptions<TDatabase>,
): Promise<void> {
  const logger = createLogger({ service: settings.service, level: settings.logLevel });
  const database = await openOrExit(
    () => openDatabase(settings.database, { logger, createIfMissing: !settings.isProduction }),
    logger,
  );
  await runDatabaseCli(argv, {
    service: settings.service,
    logger,
    isProduction: settings.isProduction,
    migrate: () => database.migrate(),
    isEmpty: () => seed.isEmpty(database),
    reset: () => seed.reset(database),
    seed: (seedArgv, onProgress) => seed.write(database, seedArgv, onProgress),
    close: () => database.close(),
  });
}
