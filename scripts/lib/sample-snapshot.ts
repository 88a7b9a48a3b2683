import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const MODULE = 'virtual:sample-snapshot';
const RESOLVED = `\0${MODULE}`;
const FIGURES_MODULE = 'virtual:sample-first-figures';
const FIGURES_RESOLVED = `\0${FIGURES_MODULE}`;
const DEV_PATH = '/@pixelspend/sample.duckdb';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The bundled sample: the CSV the snapshot is made from, and the name the app shows for it. */
export const SAMPLE = { name: 'sample-requests.csv', path: join(ROOT, 'data', 'sample', 'requests.csv') };

/**
 * Runs scripts/build-sample-snapshot.mts in a process of its own and returns the snapshot's bytes and
 * what the Overview first shows on it (`FirstFigures` as tagged JSON).
 */
export async function buildSampleSnapshot(): Promise<{ bytes: Uint8Array; figures: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'pixelspend-sample-'));
  const out = join(folder, 'sample.duckdb');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/build-sample-snapshot.mts', out], { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (d) => (errors += String(d)));
    const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
    if (code !== 0) throw new Error(`building the sample's snapshot failed (exit ${code}):\n${errors}`);
    return { bytes: new Uint8Array(readFileSync(out)), figures: readFileSync(`${out}.figures.json`, 'utf8') };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * `virtual:sample-snapshot`: where the bundled sample is served and whether it is a snapshot, made
 * from the CSV when the app is built or served, so start-up opens checked rows instead of reading
 * and checking 50,000 lines in a cold tab. Where native DuckDB cannot run (its binding exists for
 * linux-x64 only at this release) the CSV itself is served, and the build says so.
 * `virtual:sample-first-figures`: the Overview's first figures on that snapshot (tagged JSON, or null
 * with the CSV), drawn while the engine starts.
 */
export function sampleSnapshot(): Plugin {
  let sample: Promise<{ bytes: Uint8Array; snapshot: boolean; figures: string | null }> | undefined;
  const build = (warn: (message: string) => void) => (sample ??= buildSampleSnapshot().then(
    ({ bytes, figures }) => ({ bytes, snapshot: true, figures }),
    (error: unknown) => {
      warn(`the sample ships as its CSV, read at start-up: ${error instanceof Error ? error.message : String(error)}`);
      return { bytes: new Uint8Array(readFileSync(SAMPLE.path)), snapshot: false, figures: null };
    }));
  let serving = false;
  return {
    name: 'pixelspend-sample-snapshot',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    configureServer(server) {
      const warn = (message: string) => server.config.logger.warn(message);
      void build(warn);
      server.middlewares.use(DEV_PATH, (_req, res, next) => {
        build(warn).then(({ bytes }) => {
          res.setHeader('Content-Type', 'application/octet-stream');
          res.end(bytes);
        }, next);
      });
    },
    resolveId(id) {
      return id === MODULE ? RESOLVED : id === FIGURES_MODULE ? FIGURES_RESOLVED : undefined;
    },
    async load(id) {
      if (id === FIGURES_RESOLVED) {
        const { figures } = await build((message) => this.warn(message));
        return `export default ${JSON.stringify(figures)};`;
      }
      if (id !== RESOLVED) return undefined;
      const { bytes, snapshot } = await build((message) => this.warn(message));
      const url = serving
        ? JSON.stringify(DEV_PATH)
        : `import.meta.ROLLUP_FILE_URL_${this.emitFile({ type: 'asset', name: snapshot ? 'sample.duckdb' : 'sample.csv', source: bytes })}`;
      return `export default { url: ${url}, snapshot: ${snapshot} };`;
    },
  };
}
