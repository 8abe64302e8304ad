import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations for both dialects from src/db/tables/; they are
// committed and never edited once applied.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/tables/sqlite.ts',
  out: './migrations/sqlite',
});
