import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterEach, expect, it } from 'vitest';
import { openSqliteDatabase } from '../src/sqlite.js';

const notes = sqliteTable('notes', { id: integer('id').primaryKey(), body: text('body').notNull() });
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openScratchDatabase(onStatement?: () => void) {
  const dir = mkdtempSync(join(tmpdir(), 'server-kit-sqlite-'));
  dirs.push(dir);
  const database = openSqliteDatabase({
    file: join(dir, 'nested', 'scratch.sqlite'),
    tables: { notes },
    migrationsFolder: join(dir, 'no-migrations'),
    ...(onStatement ? { onStatement } : {}),
  });
  database.db.run(sql`create table notes (id integer primary key, body text not null)`);
  return database;
}

it('opens the file in WAL mode with foreign keys enforced, creating its directory', async () => {
  const database = openScratchDatabase();
  expect(database.db.get(sql`pragma journal_mode`)).toEqual({ journal_mode: 'wal' });
  expect(database.db.get(sql`pragma foreign_keys`)).toEqual({ foreign_keys: 1 });
  expect(await database.isReachable()).toBe(true);
  await database.close();
  expect(await database.isReachable()).toBe(false);
});

it('reuses prepared statements without mixing up row and array results', async () => {
  let statements = 0;
  const database = openScratchDatabase(() => statements++);
  database.db
    .insert(notes)
    .values([
      { id: 1, body: 'one' },
      { id: 2, body: 'two' },
    ])
    .run();
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
