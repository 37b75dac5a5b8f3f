import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MatchingEngine } from '../../../src-main/domain/exchange';

/** The CME ESH4 market-by-order files (see the shared data folder's orders/README.md; absent on a clone: loadMbo answers null and the replay test skips). */
export const CME_DIR = path.resolve(__dirname, '../../../../shared/data/orders');
export const CME_FILE = path.join(CME_DIR, 'esh4-mbo-20231225.csv');

/** ES prices are whole quarter points: ticks = price × 4. */
export const TICKS_PER_POINT = 4;

/** The file's rows as columns (typed arrays: no per-row objects). */
export interface MboRows {
  length: number;
  /** Action char code: A C M T F R. */
  action: Uint8Array;
  /** 0 bid, 1 ask, 2 none. */
  side: Uint8Array;
  priceTicks: Int32Array;
  size: Int32Array;
  orderId: Float64Array;
  flags: Uint8Array;
}

/** Reads an MBO CSV, or returns null when the file is absent (callers print why they skip). */
export function loadMbo(file = CME_FILE): MboRows | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const n = lines.length - 1 - (lines[lines.length - 1] === '' ? 1 : 0);
  const rows: MboRows = {
    length: n,
    action: new Uint8Array(n),
    side: new Uint8Array(n),
    priceTicks: new Int32Array(n),
    size: new Int32Array(n),
    orderId: new Float64Array(n),
    flags: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const f = (lines[i + 1] as string).split(',');
    rows.action[i] = (f[3] as string).charCodeAt(0);
    const side = f[4] as string;
    rows.side[i] = side === 'B' ? 0 : side === 'A' ? 1 : 2;
    rows.priceTicks[i] = Math.round(parseFloat(f[5] as string) * TICKS_PER_POINT);
    rows.size[i] = Number(f[6]);
    rows.orderId[i] = Number(f[7]);
    rows.flags[i] = Number(f[8]);
  }
  return rows;
}

const A = 'A'.charCodeAt(0);
const C = 'C'.charCodeAt(0);
const M = 'M'.charCodeAt(0);
const R = 'R'.charCodeAt(0);

/**
 * Replays rows into a book with the README's rules: adds rest without matching, cancels take
 * size off, modifies follow CME priority, trades/fills are reports only. Strict: any row the
 * book refuses throws. Returns the number of book operations applied.
 */
export function replayMbo(book: MatchingEngine, rows: MboRows): number {
  let ops = 0;
  for (let i = 0; i < rows.length; i++) {
    const action = rows.action[i] as number;
    const id = rows.orderId[i] as number;
    let code = 'ok';
    if (action === A) {
      const side = rows.side[i] === 0 ? 'buy' : 'sell';
      const price = rows.priceTicks[i] as number;
      code = book.restOrder({
        orderId: id,
        userId: 'cme',
        side,
        price,
        qty: rows.size[i] as number,
      });
    } else if (action === C) {
      code = book.reduceResting(id, rows.size[i] as number);
    } else if (action === M) {
      code = book.modifyResting(id, rows.priceTicks[i] as number, rows.size[i] as number);
    } else if (action === R) {
      book.clear();
    } else continue;
    if (code !== 'ok')
      throw new Error(`row ${i + 2}: ${String.fromCharCode(action)} ${id} -> ${code}`);
    ops++;
  }
  return ops;
}
