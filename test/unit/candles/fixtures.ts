import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Reads a file from the shared real-data folder (beside the checkout). */
export function readBars(name: string): string {
  return readFileSync(path.resolve(process.cwd(), '../shared/data/bars', name), 'utf8');
}
