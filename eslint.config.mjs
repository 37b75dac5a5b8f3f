// Lint is also the fence between processes and layers: the renderer and the preload bridge
// reach only the contract, the pure domain reaches no I/O, and nothing below a layer imports
// the layer above it. The rules are those of test/unit/architecture/layers.ts (shown in
// docs/architecture.md); fences.test.ts fails when a fence listed there is missing here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeOnly = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads'];

// A relative import into a folder of src-main, from anywhere else in src-main: its first
// segment after the `../` steps names the folder.
const into = (...names) => `^(\\.\\./)+(${names.join('|')})(/|$)`;
// A relative import of one module of src-main (the composition root and the entries).
const module = (...names) => `^(\\.\\./)+(${names.join('|')})$`;

const to = {
  transports: { regex: into('transports') },
  features: { regex: into('features') },
  connectors: { regex: into('connectors') },
  operations: { regex: into('operations') },
  jobs: { regex: into('jobs') },
  events: { regex: into('events') },
  db: { regex: into('db') },
  support: {
    regex: `${into('observability', 'secrets')}|${module('config', 'paths', 'file-modes')}`,
  },
  // Nothing below the composition root imports it or the entries that start it.
  entries: { regex: `${into('desktop')}|${module('backend', 'backend-process', 'headless')}` },
};

function fence(group, message) {
  return { ...group, message };
}

const BELOW_ROOT = 'Nothing below the composition root imports it or the entries.';

/** One layer's fence: `files` may import none of `patterns` and none of the `paths` packages. */
function layer(files, patterns, paths = []) {
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
    },
  };
}

const processOnly = (message, ...folders) =>
  fence({ regex: `(^|/)(${folders.join('|')})(/|$)` }, message);

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'drizzle/**', 'test-results/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  layer(
    ['src-renderer/**/*.{ts,tsx}'],
    [
      { group: nodeOnly, message: 'The renderer runs in a sandbox: no Node modules.' },
      processOnly(
        'Import the contract (src-shared), not main-process code.',
        'src-main',
        'src-preload',
      ),
    ],
    [{ name: 'electron', message: 'The renderer talks to the backend through the client.' }],
  ),
  layer(
    ['src-preload/**/*.ts'],
    [
      { group: nodeOnly, message: 'The preload script runs sandboxed: no Node modules.' },
      processOnly(
        'The bridge imports the contract (src-shared), not main’s code.',
        'src-main',
        'src-renderer',
      ),
    ],
  ),
  layer(
    ['src-shared/**/*.ts'],
    [
      { group: nodeOnly, message: 'The contract must stay Node-free.' },
      processOnly('The contract depends on nothing.', 'src-main', 'src-renderer', 'src-preload'),
    ],
    [{ name: 'electron', message: 'The contract is imported by every process.' }],
  ),
  layer(
    ['src-main/domain/**/*.ts'],
    [
      { group: ['drizzle-orm/*', '@fastify/*'], message: 'The domain is pure.' },
      { group: nodeOnly, message: 'The domain is pure: no I/O.' },
      fence(
        {
          regex: [
            to.transports,
            to.features,
            to.connectors,
            to.operations,
            to.jobs,
            to.events,
            to.db,
            to.support,
            to.entries,
          ]
            .map((t) => t.regex)
            .join('|'),
        },
        'The domain is pure: it imports only the domain and the contract.',
      ),
      processOnly(
        'The domain is pure: it imports only the domain and the contract.',
        'src-preload',
        'src-renderer',
      ),
    ],
    ['electron', 'fastify', 'ws', 'better-sqlite3', 'drizzle-orm', 'pino'].map((name) => ({
      name,
      message: 'The domain is pure: no I/O, transports or database.',
    })),
  ),
  layer(
    ['src-main/features/**/*.ts'],
    [
      fence(to.transports, 'Features never know which door a call came through.'),
      fence(to.entries, BELOW_ROOT),
    ],
  ),
  layer(
    ['src-main/operations/**/*.ts'],
    [
      fence(to.transports, 'The catalogue knows no door.'),
      fence(to.features, 'Features bind their handlers into the catalogue, not the reverse.'),
      fence(to.connectors, 'Features bind their handlers into the catalogue, not the reverse.'),
      fence(to.entries, BELOW_ROOT),
    ],
  ),
  layer(
    ['src-main/connectors/**/*.ts'],
    [
      fence(to.transports, 'Connectors speak outward only.'),
      fence(
        { regex: '^(\\.\\./)+features(/(?![^/]+/api$)|$)' },
        'A connector sees a feature only through the types of its api.ts.',
      ),
      fence(
        { regex: '^(\\.\\./)+features/[^/]+/api$', allowTypeImports: true },
        'A connector imports a feature’s api.ts with `import type` only.',
      ),
      fence(to.entries, BELOW_ROOT),
    ],
  ),
  layer(
    ['src-main/jobs/**/*.ts'],
    [
      fence(to.features, 'Features register jobs; the scheduler does not know them.'),
      fence(to.transports, 'The scheduler knows no door.'),
      fence(to.connectors, 'The scheduler knows no venue.'),
      fence(to.entries, BELOW_ROOT),
    ],
  ),
  layer(
    ['src-main/transports/**/*.ts'],
    [
      fence(
        { ...to.features, allowTypeImports: true },
        'Transports translate: they call operations and see features only as types.',
      ),
      fence(to.connectors, 'Transports translate only.'),
      fence(to.db, 'Transports translate only: data is reached through operations.'),
      fence(to.entries, BELOW_ROOT),
    ],
  ),
  layer(
    ['src-main/events/**/*.ts'],
    [
      fence(to.features, 'Features publish to the hub; the hub does not know them.'),
      fence(to.transports, 'Transports subscribe to the hub; the hub does not know them.'),
      fence(to.connectors, 'The hub knows no venue.'),
      fence(to.entries, BELOW_ROOT),
    ],
  ),
  layer(
    ['src-main/db/**/*.ts'],
    [
      fence(
        {
          regex: [to.features, to.transports, to.connectors, to.operations, to.jobs]
            .map((t) => t.regex)
            .join('|'),
        },
        'The schema knows no use case.',
      ),
      fence(to.entries, BELOW_ROOT),
    ],
  ),
  layer(
    ['src-main/{observability,secrets}/**/*.ts', 'src-main/{config,paths,file-modes}.ts'],
    [
      fence(
        { regex: [to.features, to.transports, to.connectors].map((t) => t.regex).join('|') },
        'Support code knows no use case.',
      ),
      fence(to.entries, BELOW_ROOT),
    ],
  ),
);
