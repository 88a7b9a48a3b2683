import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';

const DUCKDB_WORKER = /[\\/]@duckdb[\\/]duckdb-wasm[\\/]dist[\\/]duckdb-browser-[\w-]+\.worker\.js$/;

/**
 * The dev server serves DuckDB's workers without their source maps. Those maps name sources outside
 * the package, and Vite warned once per source: 117 lines at every `npm start`.
 */
export function duckdbWorkersWithoutSourceMaps(): Plugin {
  return {
    name: 'pixelspend-duckdb-worker-maps',
    apply: 'serve',
    async load(id) {
      const file = id.split('?')[0]!;
      if (!DUCKDB_WORKER.test(file)) return null;
      const code = await readFile(file, 'utf8');
      return { code: code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), map: null };
    },
  };
}
