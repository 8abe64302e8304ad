import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes SQL migrations from src/db/tables.ts; they are committed and
// never edited once applied. The URL only matters to drizzle-kit's own push/studio commands.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/tables.ts',
  out: './migrations/sqlite',
  dbCredentials: { url: '../../data/users.sqlite' },
});
