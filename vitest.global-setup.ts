import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { readTestDatabaseSettings } from './packages/server-kit/src/settings/settings.js';

/**
 * Decides once per run whether the Postgres pass runs: when the server at TEST_POSTGRES_URL answers,
 * every suite that touches a database runs on SQLite and on Postgres. Locally, without a server, the
 * pass is skipped with a note saying so; in CI (CI=true) a missing server fails the run.
 */
export default async function setup(project: TestProject): Promise<void> {
  const { postgresAdminUrl, isCi } = readTestDatabaseSettings();
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    project.provide('postgresAdminUrl', postgresAdminUrl);
    process.stdout.write(`Postgres pass: on (${new URL(postgresAdminUrl).host})\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (isCi)
      throw new Error(`CI needs the Postgres server at ${postgresAdminUrl} for the Postgres pass: ${reason}`, { cause: error });
    project.provide('postgresAdminUrl', null);
    process.stdout.write(
      `\nPostgres pass: SKIPPED, no server at ${postgresAdminUrl} (${reason}).\n` +
        'Only SQLite was tested. Start Postgres or set TEST_POSTGRES_URL to run every database suite on Postgres too.\n\n',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
