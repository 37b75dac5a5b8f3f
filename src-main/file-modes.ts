import fs from 'node:fs';
import path from 'node:path';

/**
 * Owner-only permissions for everything Bourse keeps on disk: the database holds password
 * hashes, sessions and balances; the logs name users and addresses. Modes are set explicitly
 * (`mode` when created, `chmod` after), never left to the process umask, and an existing
 * file or folder with looser permissions (an older version, a copy) is tightened. Windows has
 * no POSIX modes (its folders inherit the user's ACLs), so these do nothing there.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const posix = process.platform !== 'win32';

/** Sets `mode` when `file` grants more than it; true when it had to (the caller logs it). */
function tighten(file: string, mode: number): boolean {
  if (!posix) return false;
  let current: number;
  try {
    current = fs.statSync(file).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if ((current & ~mode) === 0) return false;
  fs.chmodSync(file, mode);
  return true;
}

/** Creates `dir` (and parents) owner-only, or tightens it; true when it was looser. */
export function ensurePrivateDir(dir: string): boolean {
  const existed = fs.existsSync(dir);
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode passes through the umask; chmod does not.
  const loose = tighten(dir, PRIVATE_DIR_MODE);
  return existed && loose;
}

/** Tightens an existing file to owner read/write; true when it was looser. */
export function tightenFile(file: string): boolean {
  return tighten(file, PRIVATE_FILE_MODE);
}

/**
 * Creates `file` empty and owner-only if it does not exist (so a library that opens it next,
 * like SQLite, finds it private and gives its companion files the same mode), or tightens it.
 * True when an existing file was looser.
 */
export function ensurePrivateFile(file: string): boolean {
  const existed = fs.existsSync(file);
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  const loose = tighten(file, PRIVATE_FILE_MODE);
  return existed && loose;
}

/** Tightens every file directly inside `dir`; answers those that were looser. */
export function tightenFilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(dir, e.name))
    .filter((file) => tightenFile(file));
}
