import { tmpdir } from 'node:os';
import { sql } from 'drizzle-orm';
import { pgTable, text as pgText } from 'drizzle-orm/pg-core';
import { sqliteTable, text as sqliteText } from 'drizzle-orm/sqlite-core';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStatement, type Dialect, type ServiceDatabase } from '../src/db/database.js';
import { openPostgresDatabase } from '../src/db/postgres.js';
import { openSqliteDatabase } from '../src/db/sqlite.js';
import { createErrorFormatter } from '../src/graphql/errors.js';
import { createAccessLog } from '../src/http/access-log.js';
import { describeErrorSafely } from '../src/telemetry/error-serializer.js';
import { createLogger } from '../src/telemetry/logger.js';
import { createScratchDatabase, testDialects } from '../src/testing/subgraph-harness.js';

// What a new account's row holds: the log must never show either.
const EMAIL = 'new.customer@example.com';
const PASSWORD_HASH = 'scrypt$N=16384$c2VjcmV0LXNhbHQ$c2VjcmV0LWhhc2gtdGhhdC1tdXN0LW5vdC1sZWFr';

const sqliteAccounts = sqliteTable('accounts', {
  email: sqliteText('email').notNull().unique('accounts_email_unique'),
  passwordHash: sqliteText('password_hash').notNull(),
});
const postgresAccounts = pgTable('accounts', {
  email: pgText('email').notNull().unique('accounts_email_unique'),
  passwordHash: pgText('password_hash').notNull(),
});
interface AccountTables extends Record<string, unknown> {
  accounts: typeof sqliteAccounts;
}

/**
 * A table with a unique email and one account in it, on a fresh database of the dialect opened as
 * every service opens its own (openSqliteDatabase, openPostgresDatabase).
 */
async function openAccounts(dialect: Dialect): Promise<{ database: ServiceDatabase<AccountTables>; close(): Promise<void> }> {
  const scratch = await createScratchDatabase('logs', dialect);
  const migrationsFolder = tmpdir();
  const database =
    scratch.location.dialect === 'sqlite'
      ? openSqliteDatabase({ file: scratch.location.file, tables: { accounts: sqliteAccounts }, migrationsFolder })
      : await openPostgresDatabase<AccountTables>({
          ...scratch.location,
          tables: { accounts: postgresAccounts },
          migrationsFolder,
          migrationLockKey: 'logs-test',
        });
  await database.transaction(async (tx) => {
    await executeStatement(
      tx,
      sql`create table accounts (email text not null constraint accounts_email_unique unique, password_hash text not null)`,
    );
    await executeStatement(tx, sql`insert into accounts (email, password_hash) values (${EMAIL}, 'first')`);
  });
  return {
    database,
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

/** The error a duplicate registration gets from the database layer, as a resolver would see it. */
async function failInsert(database: ServiceDatabase<AccountTables>): Promise<Error> {
  try {
    await database.transaction(({ db, tables }) =>
      db.insert(tables.accounts).values({ email: EMAIL, passwordHash: PASSWORD_HASH }),
    );
  } catch (error) {
    return error as Error;
  }
  throw new Error('the duplicate insert succeeded');
}

function captureLogs() {
  const lines: string[] = [];
  const logger = createLogger({ service: 'logs-test', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, last: () => JSON.parse(lines.at(-1)!) as { err: Record<string, unknown> } };
}

describe.each(testDialects())('a database error in the log, on %s', (dialect) => {
  let accounts: Awaited<ReturnType<typeof openAccounts>>;
  let error: Error;
  beforeAll(async () => {
    accounts = await openAccounts(dialect);
    error = await failInsert(accounts.database);
  });
  afterAll(() => accounts?.close());

  const driverCode = dialect === 'sqlite' ? 'SQLITE_CONSTRAINT_UNIQUE' : '23505';

  function expectSafeLine(line: string) {
    expect(line).toContain('insert into \\"accounts\\" (\\"email\\", \\"password_hash\\") values');
    expect(line).toContain(driverCode);
    expect(line).not.toContain(PASSWORD_HASH);
    expect(line).not.toContain(EMAIL);
  }

  it("would leak the values through pino's own serializer on Postgres: drizzle's error holds them", () => {
    const plain = JSON.stringify(pino.stdSerializers.err(error));
    if (dialect === 'postgres') expect(plain).toContain(PASSWORD_HASH);
    // better-sqlite3 names the column, never the value.
    else expect(plain).not.toContain(PASSWORD_HASH);
  });

  it('is logged with the SQL, the operation, the driver code and message, and no parameter value', () => {
    const { logger, lines, last } = captureLogs();
    logger.error({ err: error }, 'unexpected error while resolving');
    expectSafeLine(lines.at(-1)!);
    const { err } = last();
    expect(err).toMatchObject({
      type: dialect === 'sqlite' ? 'SqliteError' : 'DrizzleQueryError',
      query: expect.stringMatching(/^insert into "accounts"/),
      operation: 'insert',
      stack: expect.stringMatching(/^\s+at /),
    });
    // On Postgres the driver's error is drizzle's cause, with the constraint and table it names.
    const driverError = dialect === 'sqlite' ? err : err.cause;
    expect(driverError).toMatchObject({ code: driverCode, message: expect.stringMatching(/unique/i) });
    if (dialect === 'postgres') expect(driverError).toMatchObject({ constraint: 'accounts_email_unique', table: 'accounts' });
  });

  it('is logged the same through the error formatter, a wrapping error and a request logger', () => {
    const { logger, lines } = captureLogs();
    const formatted = { message: error.message, path: ['register'], extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    const located = new GraphQLError(error.message, { originalError: error, path: ['register'] });
    const answer = createErrorFormatter(logger)(formatted, located);
    expect(answer).toEqual({
      message: 'Internal server error',
      path: ['register'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expectSafeLine(lines.at(-1)!);

    const wrapped = new Error(`could not register: ${error.message}`, { cause: error });
    logger.warn({ err: wrapped }, 'registration failed');
    expectSafeLine(lines.at(-1)!);
    if (dialect === 'postgres') expect(lines.at(-1)).toContain('params: [redacted]');

    createAccessLog(logger).logger.error({ err: wrapped }, 'from a request');
    expectSafeLine(lines.at(-1)!);
    expect(describeErrorSafely(wrapped)).not.toContain(PASSWORD_HASH);
  });

  it('leaves other errors as pino writes them', () => {
    const { logger, last } = captureLogs();
    logger.error({ err: new Error('outer', { cause: new Error('inner') }) }, 'plain');
    expect(last().err).toMatchObject({ type: 'Error', message: 'outer: inner', stack: expect.stringContaining('caused by') });
  });
});
