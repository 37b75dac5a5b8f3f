#!/usr/bin/env node
// `npm start`: open the desktop app. Electron's binary and an Electron build of
// better-sqlite3 are fetched here on first start (never at install time). Where that is
// impossible (offline, no display), say why in one sentence and run headless instead.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nm = (...p) => path.join(root, 'node_modules', ...p);
const nativeDir = path.join(root, '.electron-native', 'better-sqlite3');
const nativeBinding = path.join(nativeDir, 'build', 'Release', 'better_sqlite3.node');

function electronBinary() {
  const pathFile = nm('electron', 'path.txt');
  if (!fs.existsSync(pathFile)) return undefined;
  const bin = nm('electron', 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : undefined;
}

/** Electron's own installer downloads the binary for this platform. */
function ensureElectron() {
  if (electronBinary()) return undefined;
  console.log('Downloading Electron (first start only)…');
  const res = spawnSync(process.execPath, [nm('electron', 'install.js')], {
    stdio: 'inherit',
    cwd: nm('electron'),
  });
  if (res.status !== 0 || !electronBinary())
    return 'the Electron binary could not be downloaded (offline?)';
  return undefined;
}

/**
 * better-sqlite3 from npm is built for Node; Electron has another ABI. Fetch the prebuilt
 * binary for this Electron version into .electron-native/, leaving the Node build that tests
 * use untouched. The backend loads it through better-sqlite3's `nativeBinding` option.
 */
function ensureSqliteForElectron() {
  if (fs.existsSync(nativeBinding)) return undefined;
  const electronVersion = JSON.parse(
    fs.readFileSync(nm('electron', 'package.json'), 'utf8'),
  ).version;
  fs.mkdirSync(nativeDir, { recursive: true });
  fs.copyFileSync(nm('better-sqlite3', 'package.json'), path.join(nativeDir, 'package.json'));
  console.log(`Fetching better-sqlite3 for Electron ${electronVersion} (first start only)…`);
  const res = spawnSync(
    process.execPath,
    [
      nm('prebuild-install', 'bin.js'),
      '--runtime',
      'electron',
      '--target',
      electronVersion,
      '--verbose',
    ],
    { stdio: 'inherit', cwd: nativeDir },
  );
  if (res.status !== 0 || !fs.existsSync(nativeBinding)) {
    return 'the SQLite driver for Electron could not be downloaded (offline?)';
  }
  return undefined;
}

function noDisplay() {
  if (process.platform !== 'linux') return undefined;
  return process.env.DISPLAY || process.env.WAYLAND_DISPLAY ? undefined : 'there is no display';
}

function build() {
  const res = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

function runHeadless(reason) {
  console.log(
    `Cannot open the desktop window because ${reason}; starting Bourse headless instead.`,
  );
  const child = spawn(
    process.execPath,
    [path.join(root, 'out/main/headless.js'), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  child.on('exit', (code) => process.exit(code ?? 0));
}

build();
const reason = noDisplay() ?? ensureElectron() ?? ensureSqliteForElectron();
if (reason) {
  runHeadless(reason);
} else {
  const child = spawn(electronBinary(), [root], {
    stdio: 'inherit',
    env: { ...process.env, BOURSE_SQLITE_BINDING: nativeBinding },
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
