import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { arrowWithoutEval, contentSecurityPolicy, CSP_HEADER } from './scripts/lib/csp.ts';
import { duckdbWorkersWithoutSourceMaps } from './scripts/lib/duckdb-worker-maps.ts';
import { sampleSnapshot } from './scripts/lib/sample-snapshot.ts';

export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), arrowWithoutEval(), sampleSnapshot(), duckdbWorkersWithoutSourceMaps()],
  build: {
    target: 'es2022',
    // DuckDB's wasm is ~34 MB: it is loaded by URL, never inlined, and is not a JS chunk.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  server: { port: 5173 },
  preview: {
    port: 4173,
    headers: { 'Content-Security-Policy': CSP_HEADER, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' },
  },
});
