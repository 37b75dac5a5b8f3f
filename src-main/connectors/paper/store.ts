import type { InstrumentSpec, PaperConfig } from '../../domain/paper';

/**
 * What the paper venue stores and reads, in its own words. The accounts feature's repository
 * implements `PaperStore` and its account rows satisfy `PaperAccount`, so the connector never
 * imports feature code (connectors see features only through an api.ts).
 */

/** The account fields the paper venue reads. */
export interface PaperAccount {
  id: string;
  userId: string;
  name: string;
  venue: string;
  enabled: boolean;
  baseCurrency: string;
  paperConfig: PaperConfig | null;
}

/** A paper position as stored: decimal text at the market's scales. */
export interface PositionRow {
  accountId: string;
  symbol: string;
  qty: string;
  entryPrice: string;
  leverage: number;
  margin: string;
  stopLoss: string | null;
  takeProfit: string | null;
  /** A trailing stop-loss: `stopLoss` follows the quote this many basis points behind, */
  trailBps: number | null;
  /** or this far behind in price units (one of the two, or neither). */
  trailAmount: string | null;
  realised: string;
  openedAt: number;
  updatedAt: number;
}

export interface FillRow {
  id: number;
  accountId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: string;
  price: string;
  touchPrice: string;
  slippagePpm: number;
  commission: string;
  realisedPnl: string;
  /** A future's or CFD's contract multiplier (decimal text); null on a spot-cfd market (1). */
  multiplier: string | null;
  reason: string;
  entryId: number | null;
  ts: number;
}

/** A paper limit or stop order. */
export interface PendingRow {
  id: number;
  accountId: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: 'limit' | 'stop';
  qty: string;
  price: string;
  leverage: number | null;
  stopLoss: string | null;
  takeProfit: string | null;
  /** A trailing stop (type stop): `price` follows the quote this many basis points behind, */
  trailBps: number | null;
  /** or this far behind in price units (one of the two, or neither). */
  trailAmount: string | null;
  /** False while a trailing stop waits for its activation price (`price`); true once it tracks. */
  trailActive: boolean;
  /** The trailing stop-loss (basis points, or price units) the position gets on the fill. */
  stopLossTrailBps: number | null;
  stopLossTrailAmount: string | null;
  status: 'open' | 'filled' | 'cancelled' | 'rejected';
  reason: string | null;
  fillId: number | null;
  createdAt: number;
  updatedAt: number;
}

/** One financing charge as stored (the key makes the job idempotent). */
export interface FinancingRow {
  accountId: string;
  symbol: string;
  periodStart: number;
  qty: string;
  indexPrice: string;
  ratePpm: number;
  amount: string;
  entryId: number | null;
  ts: number;
}

/** Futures and CFDs the paper broker trades beside the local markets, and their indexes. */
export interface PaperInstruments {
  /** The instrument named `symbol`, or null (a local market, or nothing). */
  instrument(symbol: string): InstrumentSpec | null;
  all(): InstrumentSpec[];
  /** A simulated index's level in units at `scale`, or null before its first level. */
  indexLevel(name: string, scale: number): bigint | null;
}

/** The paper venue's storage: positions, fills and pending orders of paper accounts. */
export interface PaperStore {
  positions(accountId: string): PositionRow[];
  position(accountId: string, symbol: string): PositionRow | null;
  savePosition(p: PositionRow): void;
  deletePosition(accountId: string, symbol: string): void;
  insertFill(f: Omit<FillRow, 'id'>): number;
  insertPending(p: Omit<PendingRow, 'id' | 'status' | 'reason' | 'fillId' | 'updatedAt'>): number;
  pending(id: number): PendingRow | null;
  openPending(accountId: string): PendingRow[];
  /** Moves an open trailing stop's price (and marks it tracking); false if no longer open. */
  movePending(id: number, price: string, trailActive: boolean, ts: number): boolean;
  setPending(
    id: number,
    status: 'filled' | 'cancelled' | 'rejected',
    reason: string | null,
    fillId: number | null,
    ts: number,
  ): boolean;
  fills(accountId: string, limit: number): FillRow[];
  /** Whether this period was already charged (or skipped as zero) for the position. */
  financed(accountId: string, symbol: string, periodStart: number): boolean;
  /** Fails (rolling its transaction back) when the period was already charged. */
  insertFinancing(row: FinancingRow): void;
}

/** Where the paper venue tells an account's owner about stops, margin calls and liquidations. */
export interface PaperNotifier {
  notify(n: {
    userId?: string;
    level: 'info' | 'warning' | 'error';
    kind: string;
    title: string;
    body: string;
  }): unknown;
}
