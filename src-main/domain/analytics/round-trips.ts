import type { DecimalText } from '../money';
import { ONE, abs, fx, mul, ratio, share, text } from './fixed';

/** One execution on an account, as analytics reads it (decimal strings at the edge). */
export interface AnalyticsFill {
  /** Unique within the account (`paper:12`, `trade:BTC/USDT:345:buy`). */
  id: string;
  accountId: string;
  venue: string;
  market: string;
  side: 'buy' | 'sell';
  /** Positive. */
  qty: DecimalText;
  price: DecimalText;
  /** What the fill cost (a rebate is negative). */
  fee: DecimalText;
  feeAsset: string;
  /** The currency P&L is counted in: the market's quote (a paper account's currency). */
  currency: string;
  /**
   * Money in `currency` per unit of price per unit of quantity (a future's tick value ÷ tick
   * size, a CFD's contract size); 1 when absent. Scales P&L, not quantities or prices.
   */
  multiplier?: DecimalText;
  ts: number;
  /** Who asked for it: `manual`, `alert:<route>`, `bot:<botId>`. */
  source: string;
}

/**
 * A round trip: one fill reducing a position, matched against the oldest open lots (FIFO).
 * A partial close is its own round trip, as in the backtester. Money in `currency`.
 */
export interface RoundTrip {
  accountId: string;
  venue: string;
  market: string;
  currency: string;
  side: 'long' | 'short';
  qty: DecimalText;
  /** Quantity-weighted price of the lots it closed. */
  entryPrice: DecimalText;
  exitPrice: DecimalText;
  /** When the first lot it closed was opened; when the closing fill executed. */
  openedAt: number;
  closedAt: number;
  /** (exit − entry) × qty for a long, (entry − exit) × qty for a short. */
  grossPnl: DecimalText;
  /** The closed share of the entry fees plus the closing share of the exit fee. */
  fees: DecimalText;
  netPnl: DecimalText;
  /** netPnl ÷ entry notional (a fraction), null for a zero notional. */
  returnPct: DecimalText | null;
  /** The source of the oldest lot it closed (who opened the position). */
  source: string;
  /** The source of the closing fill. */
  closeSource: string;
}

/** What is still open after the fills: one lot per opening fill not yet closed. */
export interface OpenLot {
  accountId: string;
  venue: string;
  market: string;
  currency: string;
  side: 'long' | 'short';
  qty: DecimalText;
  price: DecimalText;
  /** Entry fee not yet charged to a round trip. */
  fee: DecimalText;
  openedAt: number;
  source: string;
}

/** A sell beyond what a spot account had bought in the fills seen (deposited coins, say). */
export interface UnmatchedSell {
  accountId: string;
  market: string;
  qty: DecimalText;
  ts: number;
}

export interface RoundTripBook {
  trips: RoundTrip[];
  open: OpenLot[];
  unmatched: UnmatchedSell[];
  /** Fees paid in another asset than the P&L currency: not in any P&L, summed per asset. */
  otherFees: Record<string, DecimalText>;
}

interface Lot {
  qty: bigint;
  price: bigint;
  fee: bigint;
  ts: number;
  source: string;
}

interface Position {
  fill: AnalyticsFill;
  /** +1 long, −1 short, 0 flat. */
  dir: 1 | -1 | 0;
  lots: Lot[];
}

/** How each account may be positioned: spot accounts cannot be short. */
export interface RoundTripOptions {
  spotAccounts?: ReadonlySet<string>;
}

const orderOf = (a: AnalyticsFill, b: AnalyticsFill) => a.ts - b.ts;

/**
 * Builds round trips from fills with FIFO lots per (account, market), long and short. A fill
 * against the position closes the oldest lots first; what is left of it opens a position the
 * other way (a flip in one fill). Its fee is split between the closing and the opening part
 * pro rata to quantity; an opening fee follows its lot and is charged, pro rata, to the round
 * trips that close it, so fees sum exactly. On a spot account a sell with nothing bought
 * opens nothing: it is reported as unmatched. Fills are taken in time order (stable).
 */
export function buildRoundTrips(
  fills: readonly AnalyticsFill[],
  options: RoundTripOptions = {},
): RoundTripBook {
  const positions = new Map<string, Position>();
  const book: RoundTripBook = { trips: [], open: [], unmatched: [], otherFees: {} };
  const other = new Map<string, bigint>();
  for (const f of [...fills].sort(orderOf)) {
    const key = `${f.accountId}\u0000${f.market}`;
    let pos = positions.get(key);
    if (!pos) positions.set(key, (pos = { fill: f, dir: 0, lots: [] }));
    pos.fill = f;
    let fee = fx(f.fee);
    if (f.feeAsset !== f.currency) {
      other.set(f.feeAsset, (other.get(f.feeAsset) ?? 0n) + fee);
      fee = 0n;
    }
    apply(pos, f, fee, options.spotAccounts?.has(f.accountId) ?? false, book);
  }
  for (const pos of positions.values()) {
    for (const lot of pos.lots) book.open.push(openLotOf(pos, lot));
  }
  for (const [asset, v] of other) book.otherFees[asset] = text(v);
  return book;
}

function apply(pos: Position, f: AnalyticsFill, fee: bigint, spot: boolean, book: RoundTripBook) {
  const dir = f.side === 'buy' ? 1 : -1;
  const qty = fx(f.qty);
  const price = fx(f.price);
  if (pos.dir === 0 || pos.dir === dir) {
    if (spot && dir === -1) {
      book.unmatched.push({ accountId: f.accountId, market: f.market, qty: f.qty, ts: f.ts });
      return;
    }
    pos.dir = dir;
    pos.lots.push({ qty, price, fee, ts: f.ts, source: f.source });
    return;
  }
  const held = pos.lots.reduce((s, l) => s + l.qty, 0n);
  const closing = qty < held ? qty : held;
  const closeFee = closing === qty ? fee : share(fee, closing, qty);
  book.trips.push(close(pos, f, closing, price, closeFee));
  const rest = qty - closing;
  if (pos.lots.length === 0) pos.dir = 0;
  if (rest === 0n) return;
  if (spot && dir === -1) {
    book.unmatched.push({ accountId: f.accountId, market: f.market, qty: text(rest), ts: f.ts });
    return;
  }
  pos.dir = dir;
  pos.lots.push({ qty: rest, price, fee: fee - closeFee, ts: f.ts, source: f.source });
}

/** Closes `qty` of the position's oldest lots at `price`; the lots shrink or go. */
function close(pos: Position, f: AnalyticsFill, qty: bigint, price: bigint, exitFee: bigint) {
  const side = pos.dir === 1 ? 'long' : 'short';
  const first = pos.lots[0]!;
  let left = qty;
  let entryNotional = 0n;
  let entryFees = 0n;
  while (left > 0n) {
    const lot = pos.lots[0]!;
    const take = lot.qty < left ? lot.qty : left;
    const fee = take === lot.qty ? lot.fee : share(lot.fee, take, lot.qty);
    entryNotional += mul(take, lot.price);
    entryFees += fee;
    lot.qty -= take;
    lot.fee -= fee;
    left -= take;
    if (lot.qty === 0n) pos.lots.shift();
  }
  // One multiplier per market: the P&L in money, the notional it is a return on.
  const m = f.multiplier === undefined ? ONE : fx(f.multiplier);
  const exitNotional = mul(qty, price);
  const points = side === 'long' ? exitNotional - entryNotional : entryNotional - exitNotional;
  const gross = m === ONE ? points : mul(points, m);
  const entryMoney = m === ONE ? entryNotional : mul(entryNotional, m);
  const fees = entryFees + exitFee;
  const net = gross - fees;
  const trip: RoundTrip = {
    accountId: f.accountId,
    venue: f.venue,
    market: f.market,
    currency: f.currency,
    side,
    qty: text(qty),
    entryPrice: text(share(entryNotional, ONE, qty)),
    exitPrice: text(price),
    openedAt: first.ts,
    closedAt: f.ts,
    grossPnl: text(gross),
    fees: text(fees),
    netPnl: text(net),
    returnPct: ratio(net, abs(entryMoney)),
    source: first.source,
    closeSource: f.source,
  };
  return trip;
}

function openLotOf(pos: Position, lot: Lot): OpenLot {
  const f = pos.fill;
  return {
    accountId: f.accountId,
    venue: f.venue,
    market: f.market,
    currency: f.currency,
    side: pos.dir === -1 ? 'short' : 'long',
    qty: text(lot.qty),
    price: text(lot.price),
    fee: text(lot.fee),
    openedAt: lot.ts,
    source: lot.source,
  };
}
