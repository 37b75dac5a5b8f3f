import type { Candles } from '../../domain/candles';
import { allocateCandles, sliceCandles } from '../../domain/candles';

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Packs candles into one buffer: each field's float64 array in turn (little-endian). */
export function packCandles(c: Candles): Buffer {
  const n = c.length;
  const arrays = c.openInterest ? 7 : 6;
  const out = new Float64Array(n * arrays);
  FIELDS.forEach((f, k) => out.set(c[f].subarray(0, n), k * n));
  if (c.openInterest) out.set(c.openInterest.subarray(0, n), 6 * n);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** Unpacks what `packCandles` wrote (copies into aligned memory). */
export function unpackCandles(buf: Buffer, length: number, withOi: boolean): Candles {
  const all = new Float64Array(length * (withOi ? 7 : 6));
  new Uint8Array(all.buffer).set(buf.subarray(0, all.byteLength));
  const c = allocateCandles(length, withOi);
  FIELDS.forEach((f, k) => c[f].set(all.subarray(k * length, (k + 1) * length)));
  if (c.openInterest) c.openInterest.set(all.subarray(6 * length, 7 * length));
  return c;
}

/** Bars with time in [from, to) (binary search; the times are increasing). */
export function candlesBetween(c: Candles, from?: number, to?: number): Candles {
  const lower = (t: number) => {
    let lo = 0;
    let hi = c.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c.time[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return sliceCandles(
    c,
    from === undefined ? 0 : lower(from),
    to === undefined ? c.length : lower(to),
  );
}
