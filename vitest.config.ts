import { defineConfig } from 'vitest/config';

// Figures are bucketed by UTC day and month: pin the zone so no test depends on the machine's.
process.env.TZ = 'UTC';

// DuckDB-WASM in the test processes runs on V8's baseline compiler alone: the optimising tier's
// compiles cost more CPU than the small test logs give back (the engine files 83 → 75 s).
// Benchmarks and the CLI run with V8's defaults.
const BASELINE_WASM = ['--liftoff-only'];

export default defineConfig({
  test: {
    // Two files at a time, end-to-end ones included: a browser test spends much of its time waiting
    // on the page, and an engine file fills the gap (591 s for the suite against 692–883 s one at a time).
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/lint/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          execArgv: BASELINE_WASM,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          execArgv: BASELINE_WASM,
          testTimeout: 180_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
