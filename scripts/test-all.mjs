#!/usr/bin/env node
// `npm test`: static checks, the build the browser tests need, then every vitest project.
// Ends with one plain line: "N passed, N failed[, N skipped]". Static checks count as one
// test each, so a lint failure is a failure in that line too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
const results = { passed: 0, failed: 0, skipped: 0 };

function run(label, cmd, args, opts = {}) {
  console.log(`\n=== ${label}: ${[cmd, ...args].join(' ')}`);
  const res = spawnSync(cmd, args, { stdio: 'inherit', env, ...opts });
  return res.status === 0;
}

function check(label, cmd, args) {
  const ok = run(label, cmd, args);
  results[ok ? 'passed' : 'failed']++;
  if (!ok) console.log(`--- ${label} FAILED`);
  return ok;
}

function has(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

check('lint', 'npx', ['eslint', '.', '--max-warnings', '0']);
check('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);
check('typecheck (node)', 'npx', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']);
check('typecheck (web)', 'npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']);
check('build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']);

const report = path.join(os.tmpdir(), `bourse-vitest-${process.pid}.json`);
const vitest = `npx vitest run --reporter=default --reporter=json --outputFile=${report}`;
// The keychain test talks to a real Secret Service: give it a private D-Bus session and an
// unlocked gnome-keyring when the machine has them (CI installs both).
const keyring = has('dbus-run-session') && has('gnome-keyring-daemon');
const ok = keyring
  ? run('tests (with a private Secret Service)', 'dbus-run-session', [
      '--',
      'sh',
      '-c',
      `export XDG_DATA_HOME="$(mktemp -d)"; trap 'rm -rf "$XDG_DATA_HOME"' EXIT; printf bourse-test | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; BOURSE_TEST_KEYCHAIN=1 ${vitest}`,
    ])
  : run('tests', 'sh', ['-c', vitest]);

if (fs.existsSync(report)) {
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  results.passed += json.numPassedTests;
  results.failed += json.numFailedTests;
  results.skipped += json.numPendingTests + (json.numTodoTests ?? 0);
  if (!ok && json.numFailedTests === 0) results.failed++; // e.g. a suite failed to load
  fs.rmSync(report);
} else {
  results.failed++;
  console.log('--- the test runner produced no report');
}

const skipped = results.skipped ? `, ${results.skipped} skipped` : '';
console.log(`\n${results.passed} passed, ${results.failed} failed${skipped}`);
process.exit(results.failed === 0 ? 0 : 1);
