import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterEach, expect, it } from 'vitest';
import { executeStatement, queryRows } from '../src/db/database.js';
import { openSqliteDatabase } from '../src/db/sqlite.js';

const notes = sqliteTable('notes', { id: integer('id').primaryKey(), body: text('body').notNull() });
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openScratchDatabase(onStatement?: () => void, synchronous?: 'NORMAL' | 'FULL') {
  const dir = mkdtempSync(join(tmpdir(), 'server-kit-sqlite-'));
  dirs.push(dir);
  const database = openSqliteDatabase({
    file: join(dir, 'nested', 'scratch.sqlite'),
    tables: { notes },
    migrationsFolder: join(dir, 'no-migrations'),
    ...(onStatement ? { onStatement } : {}),
    ...(synchronous ? { synchronous } : {}),
  });
  await database.transaction((tx) => executeStatement(tx, sql`create table notes (id integer primary key, body text not null)`));
  return database;
}

it('opens the file in WAL mode with foreign keys enforced on the writer, creating its directory', async () => {
  const database = await openScratchDatabase();
  expect(database.db.get(sql`pragma journal_mode`)).toEqual({ journal_mode: 'wal' });
  expect(await database.transaction((tx) => queryRows(tx, sql`pragma foreign_keys`))).toEqual([{ foreign_keys: 1 }]);
  expect(await database.isReachable()).toBe(true);
  await database.close();
  expect(await database.isReachable()).toBe(false);
});

it('syncs commits as asked: NORMAL by default, FULL for data that must outlive a power cut', async () => {
  const normal = await openScratchDatabase();
  const full = await openScratchDatabase(undefined, 'FULL');
  // 1 is NORMAL, 2 is FULL.
  expect(await normal.transaction((tx) => queryRows(tx, sql`pragma synchronous`))).toEqual([{ synchronous: 1 }]);
  expect(await full.transaction((tx) => queryRows(tx, sql`pragma synchronous`))).toEqual([{ synchronous: 2 }]);
  await normal.close();
  await full.close();
});

it('refuses a write outside a transaction at once, so no write can wait on a lock mid-request', async () => {
  const database = await openScratchDatabase();
  await expect(database.db.insert(notes).values({ id: 1, body: 'stray' })).rejects.toThrow(/readonly database/);
  expect(await database.db.select().from(notes)).toEqual([]);
  await database.close();
});

it('keeps reading while a transaction holds the write lock across an await', async () => {
  const database = await openScratchDatabase();
  let release!: () => void;
  const held = database.transaction(async ({ db, tables }) => {
    await db.insert(tables.notes).values({ id: 1, body: 'pending' });
    await new Promise<void>((resolve) => (release = resolve));
  });
  await new Promise((resolve) => setTimeout(resolve, 10));
  // The reader neither blocks nor sees the uncommitted row; a second writer queues behind the first.
  expect(await database.db.select().from(notes)).toEqual([]);
  const queued = database.transaction(({ db, tables }) => db.insert(tables.notes).values({ id: 2, body: 'queued' }));
  release();
  await Promise.all([held, queued]);
  expect(await database.db.select().from(notes).orderBy(notes.id)).toEqual([
    { id: 1, body: 'pending' },
    { id: 2, body: 'queued' },
  ]);
  await database.close();
});

it('reuses prepared statements without mixing up row and array results', async () => {
  let statements = 0;
  const database = await openScratchDatabase(() => statements++);
  await database.transaction(({ db, tables }) =>
    db.insert(tables.notes).values([
      { id: 1, body: 'one' },
      { id: 2, body: 'two' },
    ]),
  );
  // One SQL text, executed alternately in array mode (the select builder) and object mode (db.all):
  // a cached statement left in array mode must not leak into the next object-mode call.
  const select = database.db.select({ id: notes.id, body: notes.body }).from(notes).orderBy(notes.id);
  const sameText = sql.raw(select.toSQL().sql);
  const rows = [
    { id: 1, body: 'one' },
    { id: 2, body: 'two' },
  ];
  const before = statements;
  for (let round = 0; round < 3; round += 1) {
    expect(await select).toEqual(rows);
    expect(database.db.all(sameText)).toEqual(rows);
  }
  expect(statements - before).toBe(6);
  await database.close();
});
