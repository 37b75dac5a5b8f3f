import fc from 'fast-check';
import { missingRealData, readRealData } from '../../helpers/real-data';
import type { Candle, CandleInterval, MarketTrade } from '../../../src-main/domain/market-data';
import { INTERVAL_MS } from '../../../src-main/domain/market-data';

const TAPE = 'trades/freqtrade-orderflow-public_trades_list.csv';

/** The real ETH/USDT tape in engine units (tick 0.01, lot 0.001), or null when absent. */
export function readTape(): MarketTrade[] | null {
  const missing = missingRealData(TAPE);
  if (missing) {
    console.warn(`skipping real-tape tests: ${missing}`);
    return null;
  }
  const lines = readRealData(TAPE).trim().split('\n').slice(1);
  return lines.map((line) => {
    const [, ts, id, , side, price, amount] = line.split(',');
    return {
      id: Number(id),
      ts: Number(ts),
      price: Math.round(Number(price) * 100),
      qty: Math.round(Number(amount) * 1000),
      takerSide: side === 'sell' ? 'sell' : 'buy',
    };
  });
}

/** The naive oracle: group trades by bucket index, then compute every field from scratch. */
export function naiveCandles(trades: readonly MarketTrade[], interval: CandleInterval): Candle[] {
  const ms = INTERVAL_MS[interval];
  const groups = new Map<number, MarketTrade[]>();
  for (const t of trades) {
    const k = Math.floor(t.ts / ms) * ms;
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([openTime, ts]) => ({
      interval,
      openTime,
      open: ts[0]!.price,
      high: Math.max(...ts.map((t) => t.price)),
      low: Math.min(...ts.map((t) => t.price)),
      close: ts.at(-1)!.price,
      volume: ts.reduce((s, t) => s + t.qty, 0),
      quoteVolume: ts.reduce((s, t) => s + BigInt(t.price * t.qty), 0n),
      trades: ts.length,
    }));
}

/** Random trades in time order spanning a few days (so every interval has several bars). */
export const tradesArb = fc
  .array(
    fc.record({
      dt: fc.oneof(
        fc.integer({ min: 0, max: 90_000 }),
        fc.integer({ min: 0, max: 30 * 3_600_000 }),
      ),
      price: fc.integer({ min: 1, max: 10_000_000 }),
      qty: fc.integer({ min: 1, max: 1_000_000 }),
    }),
    { minLength: 1, maxLength: 200 },
  )
  .map((rows) => {
    let ts = Date.UTC(2024, 0, 1) - 7_777;
    return rows.map((r): MarketTrade => {
      ts += r.dt;
      return { ts, price: r.price, qty: r.qty };
    });
  });
