import { createHash } from 'node:crypto';
import type { BrokerErrorKind } from '../broker/errors';

/**
 * The MetaTrader bridge protocol, version 1: what the Expert Advisor (EA) in the user's
 * terminal and Bourse say to each other. Bourse is the server; the EA polls it over
 * `WebRequest` (`POST /bridge/mt/v1/{heartbeat,poll,ack}`, bearer token). Every price, volume
 * and amount crosses as a decimal string: the EA formats its doubles with `DoubleToString`
 * at the symbol's digits, so Bourse never reads a float. Tickets are strings (MT5 tickets are
 * 64-bit). Times are epoch seconds (MQL `datetime`), except Bourse's own (ms).
 *
 * The transport's JSON schemas (`src-main/transports/bridge/schema.ts`) validate these shapes
 * on the wire; the types here are what the hub and the connector work with.
 */

export type Platform = 'MT4' | 'MT5';
export type MtSide = 'buy' | 'sell';
export type MtOrderType = 'market' | 'limit' | 'stop' | 'stop_limit';

/** A position as the EA reports it (MT5 position / MT4 market order). */
export interface MtPosition {
  ticket: string;
  symbol: string;
  side: MtSide;
  volume: string;
  openPrice: string;
  sl: string | null;
  tp: string | null;
  profit: string;
  /**
   * The price the terminal values the position at now (MT5 `POSITION_PRICE_CURRENT`, MT4
   * `OrderClosePrice()`: the bid for a buy, the ask for a sell). Absent from EAs before 1.1.
   */
  priceCurrent?: string;
  comment: string;
  magic: number;
  openTime: number;
}

/** A pending order as the EA reports it. */
export interface MtOrder {
  ticket: string;
  symbol: string;
  side: MtSide;
  type: Exclude<MtOrderType, 'market'>;
  volume: string;
  /** Limit price (limit, stop_limit) or trigger (stop). */
  price: string;
  /** MT5 stop-limit: the trigger; the order becomes a limit at `price`. */
  stopPrice: string | null;
  sl: string | null;
  tp: string | null;
  comment: string;
  magic: number;
  setupTime: number;
}

/** A deal (a fill) from the terminal's recent history; MT4 EAs report position openings. */
export interface MtDeal {
  ticket: string;
  /** The order ticket that caused it. */
  order: string;
  positionId: string;
  symbol: string;
  side: MtSide;
  volume: string;
  price: string;
  entry: 'in' | 'out' | 'inout';
  comment: string;
  time: number;
}

/** A Market Watch symbol with the rules an order must meet. */
export interface MtSymbol {
  name: string;
  digits: number;
  tickSize: string;
  tickValue: string | null;
  volumeStep: string;
  volumeMin: string;
  contractSize: string | null;
  /** True when the terminal computes it as forex (SYMBOL_CALC_MODE_FOREX / MODE_PROFITCALCMODE 0). */
  forex: boolean;
}

export interface HeartbeatBody {
  ea: { version: string; platform: Platform; build: number; heartbeatMs: number; pollMs: number };
  terminal: {
    company: string;
    name: string;
    /** TERMINAL_CONNECTED: the terminal reaches its trade server. */
    connected: boolean;
    /** AutoTrading allowed in the terminal and for this EA. */
    tradeAllowed: boolean;
    /** TimeGMT() of the terminal's computer (s): Bourse's clock-skew reading. */
    gmtTime: number;
  };
  account: {
    login: string;
    name: string;
    server: string;
    currency: string;
    leverage: number;
    demo: boolean;
    tradeAllowed: boolean;
    balance: string;
    equity: string;
    margin: string;
    freeMargin: string;
  };
  positions: MtPosition[];
  orders: MtOrder[];
  deals?: MtDeal[];
  /** Sent on the EA's first heartbeat and then now and again (the list rarely changes). */
  symbols?: MtSymbol[];
  /** `stopping`: the EA's OnDeinit goodbye (removed, terminal closing): offline at once. */
  state?: 'running' | 'stopping';
}

/** A command for the EA. `id` is Bourse's; the EA executes each id at most once. */
export type CommandBody =
  | {
      action: 'open';
      clientOrderId: string;
      /** The order comment the EA sets (findOrder matches it when a result was lost). */
      comment: string;
      symbol: string;
      side: MtSide;
      type: MtOrderType;
      volume: string;
      price?: string;
      stopPrice?: string;
      sl?: string;
      tp?: string;
    }
  | { action: 'cancel'; ticket: string }
  | { action: 'amend'; ticket: string; price?: string; stopPrice?: string }
  | { action: 'close'; symbol: string; volume?: string }
  | { action: 'cancel_all'; symbol?: string };

export type Command = CommandBody & { id: string; seq: number; expiresAt: number };

/**
 * What the EA reports for one command. `retcode` is the platform's own code: an MT5 trade
 * server return code (10009 DONE…) or an MT4 `GetLastError()` number (0 on success).
 * `bridgeError` says the EA refused it before any OrderSend.
 */
export interface CommandResult {
  ok: boolean;
  retcode: number;
  message: string;
  bridgeError?: 'unknown_symbol' | 'unknown_ticket' | 'unsupported' | 'bad_command' | 'expired';
  /** The order ticket (open, amend, cancel). */
  ticket?: string;
  /** Order state after execution (open: `open` when pending, `filled` when dealt). */
  status?: 'open' | 'filled' | 'partially_filled' | 'cancelled';
  volume?: string;
  filledVolume?: string;
  price?: string;
  /** cancel_all: how many were removed. */
  count?: number;
  executedAt: number;
}

/** MT5 trade server return codes Bourse reads (MQL5 docs, trade return codes). */
export const MT5_RETCODE = {
  REQUOTE: 10004,
  REJECT: 10006,
  CANCEL: 10007,
  PLACED: 10008,
  DONE: 10009,
  DONE_PARTIAL: 10010,
  ERROR: 10011,
  TIMEOUT: 10012,
  INVALID: 10013,
  INVALID_VOLUME: 10014,
  INVALID_PRICE: 10015,
  INVALID_STOPS: 10016,
  TRADE_DISABLED: 10017,
  MARKET_CLOSED: 10018,
  NO_MONEY: 10019,
  PRICE_CHANGED: 10020,
  PRICE_OFF: 10021,
  INVALID_EXPIRATION: 10022,
  ORDER_CHANGED: 10023,
  TOO_MANY_REQUESTS: 10024,
  NO_CHANGES: 10025,
  SERVER_DISABLES_AT: 10026,
  CLIENT_DISABLES_AT: 10027,
  LOCKED: 10028,
  FROZEN: 10029,
  INVALID_FILL: 10030,
  CONNECTION: 10031,
  ONLY_REAL: 10032,
  LIMIT_ORDERS: 10033,
  LIMIT_VOLUME: 10034,
  INVALID_ORDER: 10035,
  POSITION_CLOSED: 10036,
} as const;

const MT5_KIND: Record<number, BrokerErrorKind> = {
  10012: 'unknown_outcome', // the server did not answer in time: it may have acted
  10024: 'rate_limited',
  10031: 'unavailable',
  10011: 'unavailable',
  10028: 'unavailable',
  10026: 'permission',
  10027: 'permission',
  10032: 'permission',
  10013: 'invalid',
  10014: 'invalid',
  10015: 'invalid',
  10016: 'invalid',
  10022: 'invalid',
  10030: 'invalid',
  10035: 'invalid',
  10036: 'invalid',
};

/** MT4 GetLastError() numbers Bourse reads (docs.mql4.com/constants/errors). */
const MT4_KIND: Record<number, BrokerErrorKind> = {
  128: 'unknown_outcome', // ERR_TRADE_TIMEOUT
  8: 'rate_limited', // ERR_TOO_FREQUENT_REQUESTS
  141: 'rate_limited', // ERR_TOO_MANY_REQUESTS
  4: 'unavailable', // ERR_SERVER_BUSY
  6: 'unavailable', // ERR_NO_CONNECTION
  137: 'unavailable', // ERR_BROKER_BUSY
  146: 'unavailable', // ERR_TRADE_CONTEXT_BUSY
  7: 'permission', // ERR_NOT_ENOUGH_RIGHTS
  64: 'permission', // ERR_ACCOUNT_DISABLED
  4109: 'permission', // ERR_TRADE_NOT_ALLOWED (AutoTrading off)
  3: 'invalid', // ERR_INVALID_TRADE_PARAMETERS
  129: 'invalid', // ERR_INVALID_PRICE
  130: 'invalid', // ERR_INVALID_STOPS
  131: 'invalid', // ERR_INVALID_TRADE_VOLUME
  4106: 'invalid', // ERR_UNKNOWN_SYMBOL
  4108: 'invalid', // ERR_INVALID_TICKET
};

/**
 * The broker error kind of a failed result. Anything not listed is a refusal (`rejected`:
 * no money, market closed, requote, trading disabled for the symbol…).
 */
export function failureKind(platform: Platform, r: CommandResult): BrokerErrorKind {
  if (r.bridgeError === 'unsupported' || r.bridgeError === 'bad_command') return 'invalid';
  if (r.bridgeError === 'unknown_symbol' || r.bridgeError === 'unknown_ticket') return 'invalid';
  const table = platform === 'MT5' ? MT5_KIND : MT4_KIND;
  return table[r.retcode] ?? 'rejected';
}

/** The longest order comment the terminals keep whole (MQL: 31 characters). */
export const COMMENT_MAX = 31;

/**
 * The comment the EA puts on an order so Bourse can find it by client id after a lost
 * result: the id itself when it fits, else `B` and 30 hex digits of its SHA-256. Brokers may
 * rewrite comments on fills and closes (`[sl]`, `[tp]`; unverified per broker), so this is
 * the fallback; the command's recorded ticket comes first.
 */
export function commentFor(clientOrderId: string): string {
  if (clientOrderId.length <= COMMENT_MAX) return clientOrderId;
  return `B${createHash('sha256')
    .update(clientOrderId)
    .digest('hex')
    .slice(0, COMMENT_MAX - 1)}`;
}
