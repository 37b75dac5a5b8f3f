import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'vitest';

/**
 * Real market data and test vectors, by their path under `data/` (`bars/2006-day-001.txt`).
 *
 * Small, openly licensed files live in `test/fixtures/` (see its PROVENANCE.md), so a clone
 * passes `npm test` on its own. The large ones are read from the shared real-data folder beside
 * the checkout (`../shared/data`) when it is there; the tests that need them report themselves
 * skipped, with the reason, when it is not.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures');
const SHARED = path.resolve(__dirname, '../../../shared/data');

/** The file's absolute path (the fixture first, then the shared folder), or null. */
export function realDataPath(file: string): string | null {
  for (const dir of [FIXTURES, SHARED]) {
    const p = path.join(dir, file);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/** Why a test needing these files cannot run here, or null when they are all present. */
export function missingRealData(...files: string[]): string | null {
  const missing = files.filter((f) => realDataPath(f) === null);
  if (missing.length === 0) return null;
  return `real data not found: ${missing.join(', ')} (neither in test/fixtures nor in ../shared/data beside the checkout)`;
}

/** Reads a file the caller knows is present (a fixture, or checked with missingRealData). */
export function readRealData(file: string): string {
  const p = realDataPath(file);
  if (!p) throw new Error(missingRealData(file)!);
  return fs.readFileSync(p, 'utf8');
}

/** The bar file's contents (`readBars('2006-day-001.txt')`). */
export const readBars = (name: string): string => readRealData(`bars/${name}`);

/** Skips the running test, saying which files are missing, unless they are all present. */
export function skipWithoutRealData(ctx: TestContext, ...files: string[]): void {
  const missing = missingRealData(...files);
  if (missing) ctx.skip(true, missing);
}
