import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import pkg from './package.json';

const define = { __BOURSE_VERSION__: JSON.stringify(pkg.version) };

export default defineConfig({
  main: {
    define,
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          'backend-process': resolve(__dirname, 'src-main/backend-process.ts'),
          headless: resolve(__dirname, 'src-main/headless.ts'),
          // Worker thread of backtests/sweeps/user strategies (services/backtest/worker-runner.ts).
          'backtest-worker': resolve(__dirname, 'src-main/features/backtest/worker.ts'),
        },
      },
    },
  },
  preload: {
    // A sandboxed preload cannot require() npm packages: bundle everything into one CJS file.
    build: {
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src-preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
