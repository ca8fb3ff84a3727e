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
    // One chunk (~780 KB, ~230 KB gzipped); the budget is 500 KB gzipped of initial JS, checked
    // by the e2e suite.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    // `npm run web:dev`: the API of a local `npm run dev` on port 8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
