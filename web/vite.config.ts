import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The SPA is served by the API server from web/dist; `npm run dev:web` proxies the API instead.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      ['/api', '/health', '/ready', '/docs'].map((p) => [p, 'http://localhost:3000']),
    ),
  },
});
