import { addDecimal, subDecimal } from '../../../src-shared/decimal';
import { decimalFromWire, timeOf, type WireBar, type WireTrade } from './protocol';

/** Bars and realised P&L: the gateway's history, in exact decimals. */

/** A bar of `/api/History/retrieveBars`, with exact decimal prices. */
export interface ProjectxBar {
  time: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

export interface BarsRequest {
  symbol: string;
  startMs: number;
  endMs: number;
  /** 1 Second, 2 Minute, 3 Hour, 4 Day, 5 Week, 6 Month. */
  unit: 1 | 2 | 3 | 4 | 5 | 6;
  unitNumber: number;
  /** At most 20,000 per request ([COM]). */
  limit: number;
  includePartialBar?: boolean;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function barsBody(contractId: string, live: boolean, req: BarsRequest) {
  return {
    contractId,
    live,
    startTime: iso(req.startMs),
    endTime: iso(req.endMs),
    unit: req.unit,
    unitNumber: req.unitNumber,
    limit: req.limit,
    includePartialBar: req.includePartialBar ?? false,
  };
}

export const barOf = (b: WireBar): ProjectxBar => ({
  time: timeOf(b.t) ?? 0,
  open: decimalFromWire(b.o),
  high: decimalFromWire(b.h),
  low: decimalFromWire(b.l),
  close: decimalFromWire(b.c),
  volume: decimalFromWire(b.v),
});

/**
 * Realised P&L net of fees: the sum of `profitAndLoss` (null on opening half-turns) minus
 * every trade's `fees`; voided trades do not count. Exact, whatever the number of trades.
 */
export function realisedNet(trades: WireTrade[]): string {
  let total = '0';
  for (const t of trades) {
    if (t.voided) continue;
    if (t.profitAndLoss !== null) total = addDecimal(total, decimalFromWire(t.profitAndLoss));
    total = subDecimal(total, decimalFromWire(t.fees ?? 0));
  }
  return total;
}
