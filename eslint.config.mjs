// Lint is also the fence between processes: the renderer cannot reach Node or main-process
// code, and the pure domain cannot reach transports, the database or Electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeOnly = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads'];

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
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to the backend through the client.' },
          ],
          patterns: [
            { group: nodeOnly, message: 'The renderer runs in a sandbox: no Node modules.' },
            {
              group: ['**/src-main/**', '**/src-preload/**'],
              message: 'Import the contract (src-shared), not main-process code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The contract is imported by every process.' }],
          patterns: [
            { group: nodeOnly, message: 'The contract must stay Node-free.' },
            {
              group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**'],
              message: 'The contract depends on nothing.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'fastify', 'ws', 'better-sqlite3', 'drizzle-orm', 'pino'].map(
            (name) => ({
              name,
              message: 'The domain is pure: no I/O, transports or database.',
            }),
          ),
          patterns: [
            {
              group: [
                'drizzle-orm/*',
                '@fastify/*',
                '**/db/**',
                '**/transports/**',
                '**/features/**',
                '**/connectors/**',
              ],
              message: 'The domain is pure.',
            },
            { group: nodeOnly, message: 'The domain is pure: no I/O.' },
          ],
        },
      ],
    },
  },
);
