import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { integer as pgInteger, pgTable, text as pgText } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { DatabaseUnavailableError, executeStatement, queryRows, type ServiceDatabase } from '../src/db/database.js';
import { openServiceDatabase } from '../src/db/open-database.js';
import { createScratchDatabase, testDialects, type ScratchDatabase } from '../src/testing/subgraph-harness.js';

const sqliteTables = { notes: sqliteTable('notes', { id: integer('id').primaryKey(), body: text('body').notNull() }) };
const postgresTables = { notes: pgTable('notes', { id: pgInteger('id').primaryKey(), body: pgText('body').notNull() }) };
const noMigrations = { migrationsFolder: '/nonexistent' };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openScratch(dialect: 'sqlite' | 'postgres'): Promise<ServiceDatabase<typeof sqliteTables>> {
  const scratch: ScratchDatabase = await createScratchDatabase('kit', dialect);
  cleanups.push(() => scratch.drop());
  const database = await openServiceDatabase({
    service: 'kit',
    location: scratch.location,
    sqlite: { tables: sqliteTables, ...noMigrations },
    postgres: { tables: postgresTables, ...noMigrations },
  });
  cleanups.push(() => database.close());
  await database.transaction((tx) => executeStatement(tx, sql`create table notes (id integer primary key, body text not null)`));
  return database;
}

describe.each(testDialects())('transactions on %s', (dialect) => {
  it('commits what the work wrote when it resolves', async () => {
    const database = await openScratch(dialect);
    await database.transaction(async ({ db, tables }) => {
      await db.insert(tables.notes).values({ id: 1, body: 'kept' });
    });
    expect(await database.db.select().from(database.tables.notes)).toEqual([{ id: 1, body: 'kept' }]);
  });

  it('rolls back everything the work wrote when it throws, and rethrows', async () => {
    const database = await openScratch(dialect);
    await expect(
      database.transaction(async ({ db, tables }) => {
        await db.insert(tables.notes).values({ id: 1, body: 'discarded' });
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    expect(await database.db.select().from(database.tables.notes)).toEqual([]);
  });

  it('keeps concurrent transactions apart: a read-modify-write never loses an update', async () => {
    const database = await openScratch(dialect);
    await database.transaction(({ db, tables }) => db.insert(tables.notes).values({ id: 1, body: '0' }));
    const increment = () =>
      database.transaction(async (tx) => {
        // Lock the row on Postgres; SQLite transactions already run one at a time.
        const locked = dialect === 'postgres' ? sql` for update` : sql``;
        const [row] = await queryRows<{ body: string }>(tx, sql`select body from notes where id = 1${locked}`);
        const current = Number(row!.body);
        const { db, tables } = tx;
        await new Promise((resolve) => setTimeout(resolve, 2));
        await db
          .update(tables.notes)
          .set({ body: String(current + 1) })
          .where(sql`id = 1`);
      });
    await Promise.all(Array.from({ length: 20 }, increment));
    expect(await database.db.select().from(database.tables.notes)).toEqual([{ id: 1, body: '20' }]);
  });
});

describe('opening Postgres', () => {
  it('stops with a message naming the setting and hiding the password when the server is unreachable', async () => {
    const attempt = openServiceDatabase({
      service: 'kit',
      location: { dialect: 'postgres', url: 'postgres://shop:s3cret@127.0.0.1:1/shop', variable: 'KIT_DATABASE_URL' },
      sqlite: { tables: sqliteTables, ...noMigrations },
      postgres: { tables: postgresTables, ...noMigrations },
    });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(attempt).rejects.toThrow(
      /^KIT_DATABASE_URL: cannot connect to postgres:\/\/shop:\*\*\*@127\.0\.0\.1:1\/shop \(ECONNREFUSED/,
    );
  });

  it.each(testDialects().filter((dialect) => dialect === 'postgres'))(
    'creates a missing database when asked to (%s)',
    async () => {
      const adminUrl = inject('postgresAdminUrl')!;
      const url = new URL(adminUrl);
      const name = `kit_created_${process.pid}_${Date.now()}`;
      url.pathname = `/${name}`;
      cleanups.push(async () => {
        const admin = new pg.Client({ connectionString: adminUrl });
        await admin.connect();
        await admin.query(`drop database if exists "${name}" with (force)`);
        await admin.end();
      });
      const options = {
        service: 'kit',
        location: { dialect: 'postgres' as const, url: url.toString(), variable: 'KIT_DATABASE_URL' },
        sqlite: { tables: sqliteTables, ...noMigrations },
        postgres: { tables: postgresTables, ...noMigrations },
      };
      await expect(openServiceDatabase(options)).rejects.toThrow(/KIT_DATABASE_URL: cannot connect .*3D000/);
      const database = await openServiceDatabase({ ...options, createIfMissing: true });
      cleanups.push(() => database.close());
      expect(await database.isReachable()).toBe(true);
    },
  );
});
