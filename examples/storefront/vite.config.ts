import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dev server's port is fixed so that `npm run storefront` always serves http://localhost:5173, an
// origin the router allows in development (CORS_ORIGINS defaults to any http://localhost port).
// VITE_GRAPHQL_URL is read from the environment at build time (src/env.ts).
export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    sourcemap: true,
    // The one bundle is about 610 kB (180 kB gzipped): React DOM, Apollo Client, and graphql whole,
    // since @apollo/persisted-query-lists is CommonJS and requires it as a whole. Fine for an example.
    chunkSizeWarningLimit: 700,
  },
});
