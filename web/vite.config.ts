// Builds the dashboard into dist/web, which the Vigil server serves at `/` (src/server/static.ts).
// `npm run build:web` runs `vite build web`, so this folder is the root.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // No inline scripts or data: modules: the server's CSP allows only same-origin scripts.
    assetsInlineLimit: 0,
    // Route-level code splitting (route `lazy` per page in src/App.tsx): the index loads the shell
    // (React, the router, TanStack Query, sign-in, layout), ~110 KB gzipped; each page is its own
    // chunk and Recharts (~350 KB, ~100 KB gzipped) is fetched only by the pages that draw charts.
    // The budget is 500 KB gzipped of initial JS (the index's scripts and modulepreloads),
    // checked by the e2e suite (test/e2e/initialJs.ts) and printed by `npm run bench:web`.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run web:dev`: the API of a local `npm run dev` on port 8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
