import { asc, inArray, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { integer as pgInteger, pgTable, text as pgText } from 'drizzle-orm/pg-core';
import { afterEach, describe, expect, it } from 'vitest';
import { executeStatement, type ServiceDatabase } from '../src/db/database.js';
import { openServiceDatabase } from '../src/db/open-database.js';
import { PREPARED_KEY_COUNT_LIMIT, preparedByKeys } from '../src/db/prepared.js';
import { createScratchDatabase, testDialects, type ScratchDatabase } from '../src/testing/subgraph-harness.js';

const sqliteTables = { notes: sqliteTable('notes', { id: integer('id').primaryKey(), body: text('body').notNull() }) };
const postgresTables = { notes: pgTable('notes', { id: pgInteger('id').primaryKey(), body: pgText('body').notNull() }) };
type Tables = typeof sqliteTables;
const noMigrations = { migrationsFolder: '/nonexistent' };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A scratch database with notes 1..150, counting the statements it runs. */
async function openNotes(dialect: 'sqlite' | 'postgres') {
  const statements: string[] = [];
  const scratch: ScratchDatabase = await createScratchDatabase('kitprep', dialect);
  cleanups.push(() => scratch.drop());
  const database: ServiceDatabase<Tables> = await openServiceDatabase({
    service: 'kitprep',
    location: scratch.location,
    sqlite: { tables: sqliteTables, ...noMigrations },
    postgres: { tables: postgresTables, ...noMigrations },
    onStatement: ({ operation }) => statements.push(operation),
  });
  cleanups.push(() => database.close());
  await database.transaction(async (tx) => {
    await executeStatement(tx, sql`create table notes (id integer primary key, body text not null)`);
    await tx.db
      .insert(tx.tables.notes)
      .values(Array.from({ length: 150 }, (_, index) => ({ id: index + 1, body: `note ${index + 1}` })));
  });
  statements.length = 0;
  return { database, statements };
}

const notesByIds = preparedByKeys<Tables, { id: number; body: string }>('test_notes_by_ids', ({ db, tables: { notes } }, ids) =>
  db.select().from(notes).where(inArray(notes.id, ids)).orderBy(asc(notes.id)),
);

describe.each(testDialects())('preparedByKeys on %s', (dialect) => {
  it('answers each call with its own keys, one statement a call, whatever the number of keys', async () => {
    const { database, statements } = await openNotes(dialect);
    expect(await notesByIds(database, [2, 1])).toEqual([
      { id: 1, body: 'note 1' },
      { id: 2, body: 'note 2' },
    ]);
    // The same number of keys reuses the prepared query with the new keys.
    expect(await notesByIds(database, [3, 999])).toEqual([{ id: 3, body: 'note 3' }]);
    expect(await notesByIds(database, [150])).toEqual([{ id: 150, body: 'note 150' }]);
    const many = Array.from({ length: PREPARED_KEY_COUNT_LIMIT + 20 }, (_, index) => index + 1);
    expect((await notesByIds(database, many)).map((row) => row.id)).toEqual(many);
    expect(await notesByIds(database, [4, 5])).toEqual([
      { id: 4, body: 'note 4' },
      { id: 5, body: 'note 5' },
    ]);
    expect(statements).toEqual(['SELECT', 'SELECT', 'SELECT', 'SELECT', 'SELECT']);
  });

  it('answers every shape a caller chooses, naming no more than a bounded set of Postgres statements', async () => {
    const { database } = await openNotes(dialect);
    const notesByIdsUpTo = preparedByKeys<Tables, { id: number; body: string }>(
      'test_notes_up_to',
      ({ db, tables: { notes } }, ids, shape) =>
        db
          .select()
          .from(notes)
          .where(inArray(notes.id, ids))
          .orderBy(asc(notes.id))
          .limit(Number(shape.slice(1))),
    );
    // 150 shapes (limits 1..150), as callers choosing page sizes would make.
    for (let limit = 1; limit <= 150; limit += 1) {
      const rows = await notesByIdsUpTo(database, [1, 2, 3], `l${limit}`);
      expect(rows.map((row) => row.id)).toEqual([1, 2, 3].slice(0, limit));
    }
    if (dialect === 'postgres') {
      // One pooled connection answers every call here, so the server's count is this connection's.
      const { rows } = await (
        database.db as unknown as { execute(query: unknown): Promise<{ rows: { total: number }[] }> }
      ).execute(sql`select count(*)::int as total from pg_prepared_statements where name like 'test_notes_up_to_%'`);
      expect(rows[0]!.total).toBeGreaterThan(0);
      expect(rows[0]!.total).toBeLessThanOrEqual(64);
    }
  });

  it('reads inside a transaction what the transaction wrote', async () => {
    const { database } = await openNotes(dialect);
    await notesByIds(database, [151, 152]);
    const seen = await database.transaction(async (tx) => {
      await tx.db.insert(tx.tables.notes).values({ id: 151, body: 'new' });
      return notesByIds(tx, [151, 152]);
    });
    expect(seen).toEqual([{ id: 151, body: 'new' }]);
    expect(await notesByIds(database, [151, 152])).toEqual([{ id: 151, body: 'new' }]);
  });
});
