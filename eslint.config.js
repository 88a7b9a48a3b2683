import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
// Each feature may import only itself among features; 'other' stands for any feature added later.
if (!features.includes('other')) features.push('other');

/** Imports run one way: domain → db → state → components → features → app. */
const layerZones = [
  { target: './src/domain', from: ['./src/db', './src/state', './src/components', './src/features', './src/app', './src/node', './src/cli'], message: 'domain is pure: no database, store or UI' },
  { target: './src/db', from: ['./src/state', './src/components', './src/features', './src/app', './src/node', './src/cli'], message: 'db may import only domain' },
  { target: './src/state', from: ['./src/db', './src/components', './src/features', './src/app', './src/node', './src/cli'], message: 'the store holds inputs: it imports only domain' },
  { target: './src/components', from: ['./src/db', './src/state', './src/features', './src/app', './src/node', './src/cli'], message: 'shared components import only domain' },
  { target: './src/features', from: ['./src/app', './src/node', './src/cli'], message: 'features never import the app shell or Node code' },
  ...features.map((name) => ({
    target: `./src/features/${name}`,
    from: './src/features',
    except: [`./${name}`],
    message: 'no cross-feature imports: move shared logic down to domain or db',
  })),
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'coverage', 'test-results'] },
  js.configs.recommended,
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: globals.node } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })] },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['react', 'react-dom', 'react/*', '@duckdb/*', 'apache-arrow', 'zustand', 'recharts', '@tanstack/*', 'node:*'], message: 'domain is pure: no React, DuckDB, store or Node imports' },
      ] }],
    },
  },
  {
    files: ['src/db/**/*.ts', 'src/state/**/*.ts', 'src/components/**/*.{ts,tsx}', 'src/features/**/*.{ts,tsx}', 'src/app/**/*.{ts,tsx}'],
    ignores: ['src/db/node-engine.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', '**/node/*', '**/node-engine'], message: 'browser code: no Node modules (Node-only code lives in src/node and src/cli)' },
      ] }],
    },
  },
);
