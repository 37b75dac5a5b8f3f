import {
  decimalsOf,
  divRound,
  formatDecimalText,
  pow10,
  readDecimalText,
  unitsAt,
} from '../../../src-shared/decimal';
import type { BrokerOrderStatus, BrokerOrderType, BrokerSide } from '../broker/port';

/**
 * The ProjectX Gateway wire format (../shared/notes/brokers.md §3): every call is a POST with
 * a JSON body, answers carry the envelope `{success, errorCode, errorMessage}`, enums travel
 * as integers and timestamps as ISO 8601 text.
 */

export const VENUE = 'projectx';

export interface Envelope {
  success: boolean;
  errorCode: number;
  errorMessage: string | null;
}

export interface WireAccount {
  id: number;
  name: string;
  balance: number;
  canTrade: boolean;
  isVisible?: boolean;
  simulated?: boolean;
}

export interface WireContract {
  id: string;
  name: string;
  description?: string;
  tickSize: number;
  tickValue: number;
  activeContract: boolean;
  symbolId?: string;
}

/** The Order object of searchOpen, search and the GatewayUserOrder event. */
export interface WireOrder {
  id: number;
  accountId: number;
  contractId: string;
  symbolId?: string;
  creationTimestamp: string;
  updateTimestamp?: string | null;
  status: number;
  type: number;
  side: number;
  size: number;
  limitPrice?: number | null;
  stopPrice?: number | null;
  fillVolume?: number | null;
  filledPrice?: number | null;
  customTag?: string | null;
}

export interface WirePosition {
  id: number;
  accountId: number;
  contractId: string;
  creationTimestamp: string;
  /** 1 Long, 2 Short; 0 with size 0 on the stream marks a closed position. */
  type: number;
  size: number;
  averagePrice: number;
}

export interface WireTrade {
  id: number;
  accountId: number;
  contractId: string;
  creationTimestamp: string;
  price: number;
  /** Null on an opening half-turn. */
  profitAndLoss: number | null;
  fees: number;
  side: number;
  size: number;
  voided: boolean;
  orderId: number;
}

/**
 * The data of a market-hub `GatewayQuote(contractId, data)` [DOC realtime]. The live gateway
 * sends only the fields that changed (a quote may carry `lastPrice` alone), so all are optional.
 */
export interface WireQuote {
  symbol?: string;
  symbolName?: string;
  lastPrice?: number | null;
  bestBid?: number | null;
  bestAsk?: number | null;
  change?: number | null;
  changePercent?: number | null;
  open?: number | null;
  high?: number | null;
  low?: number | null;
  volume?: number | null;
  lastUpdated?: string | null;
  timestamp?: string | null;
}

export interface WireBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

/** OrderType [DOC]: 3 StopLimit appears on the realtime page only. */
export const ORDER_TYPE = {
  limit: 1,
  market: 2,
  stop_limit: 3,
  stop: 4,
  trailing_stop: 5,
  join_bid: 6,
  join_ask: 7,
} as const;

/** OrderSide [DOC]: 0 Bid (buy), 1 Ask (sell). */
export const SIDE: Record<BrokerSide, number> = { buy: 0, sell: 1 };

/** OrderStatus [DOC] plus 8, the suspended bracket child seen on the stream only [COM]. */
export const ORDER_STATUS = {
  none: 0,
  open: 1,
  filled: 2,
  cancelled: 3,
  expired: 4,
  rejected: 5,
  pending: 6,
  suspended: 8,
} as const;

export const sideOf = (n: number): BrokerSide => (n === 1 ? 'sell' : 'buy');

export function typeOf(n: number): BrokerOrderType {
  switch (n) {
    case ORDER_TYPE.market:
      return 'market';
    case ORDER_TYPE.stop:
    case ORDER_TYPE.trailing_stop:
      return 'stop';
    case ORDER_TYPE.stop_limit:
      return 'stop_limit';
    default:
      // Limit, JoinBid and JoinAsk all rest at a price.
      return 'limit';
  }
}

export function statusOf(status: number, filled: boolean): BrokerOrderStatus {
  switch (status) {
    case ORDER_STATUS.open:
      return filled ? 'partially_filled' : 'open';
    case ORDER_STATUS.filled:
      return 'filled';
    case ORDER_STATUS.cancelled:
      return 'cancelled';
    case ORDER_STATUS.expired:
      return 'expired';
    case ORDER_STATUS.rejected:
      return 'rejected';
    default:
      // 0 None, 6 Pending and the undocumented 8 (a bracket child waiting for its entry).
      return 'pending';
  }
}

/**
 * A price or amount the broker sent as a JSON number, as exact decimal text. `String(n)` is
 * the shortest text that reads back to the same double, so for the ≤ 15 significant digits a
 * futures price or a dollar amount has, it is the text the broker wrote (JSON.parse could
 * only have lost digits beyond 17). Exponent forms (`1e-7`) are expanded exactly.
 */
export function decimalFromWire(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  const r = readDecimalText(String(n), { exponent: true });
  if (!r.ok) throw new RangeError(r.error.message);
  return r.value;
}

/**
 * A price pushed as a JSON number, as exact decimal text at the decimals of the contract's
 * tick. The SignalR client hands us doubles. `decimalFromWire` gives back the text the gateway
 * wrote, but a price the gateway itself computed in floating point (a quote is its own
 * arithmetic, not an echo of an order) can carry binary noise: `21000.250000000004`,
 * `61.370000000000005`. No real price has more decimals than its tick, so rounding (half even)
 * to the tick's decimals removes only the noise and never a digit the market meant. A price
 * already within those decimals is returned untouched (never padded, never snapped to the tick).
 */
export function priceFromWire(n: number, tickSize: string): string {
  const text = decimalFromWire(n);
  const places = decimalsOf(tickSize);
  const have = decimalsOf(text);
  if (have <= places) return text;
  const units = divRound(unitsAt(text, have), pow10(have - places), 'half_even');
  return formatDecimalText(units, places);
}

export const optionalDecimal = (n: number | null | undefined): string | null =>
  n === null || n === undefined ? null : decimalFromWire(n);

/** Epoch ms of an ISO timestamp (null when absent or unreadable). */
export function timeOf(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/**
 * A decimal written into a JSON body as a number literal, digit for digit: the body never
 * goes through a double, so `21000.25` leaves Bourse as exactly `21000.25`.
 */
export class JsonDecimal {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`not a plain decimal: ${text}`);
  }
}

const MARK = '\u0001dec:';

/** JSON.stringify that writes every JsonDecimal as its exact number literal. */
export function stringifyBody(body: unknown): string {
  const json = JSON.stringify(body, (_k, v: unknown) =>
    v instanceof JsonDecimal ? `${MARK}${v.text}` : v,
  );
  return json.replace(/"\\u0001dec:(-?\d+(?:\.\d+)?)"/g, '$1');
}
