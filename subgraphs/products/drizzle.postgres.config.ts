import { defineConfig } from 'drizzle-kit';

// See drizzle.sqlite.config.ts: the Postgres twin.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/tables/postgres.ts',
  out: './migrations/postgres',
});
