/**
 * Binance spot API v3 shapes ↔ the catalogue's. Pure: symbols, order fields, statuses, error
 * codes. Written from Binance's public REST documentation
 * (https://developers.binance.com/docs/binance-spot-api-docs/rest-api); only what the facade
 * serves is mapped, and anything else is refused with Binance's own code for it.
 */
import { AppError, type OperationInput, type OperationOutput } from '../../../src-shared/contract';
import {
  isLimitType,
  isStopType,
  isTriggerType,
  triggersOnRise,
} from '../../../src-shared/contract/exchange';
import {
  compareDecimal,
  decimalsOf,
  divRound,
  formatDecimal,
  pow10,
  unitsAt,
} from '../../domain/money';
import { passesTrailingDelta, symbolFilters, type EngineLimits } from './filters';

export type { EngineLimits } from './filters';

export type Market = OperationOutput<'markets.list'>['items'][number];
type Order = OperationOutput<'orders.get'>;
type Fill = OperationOutput<'trades.list'>['items'][number];
type PlaceInput = OperationInput<'orders.place'>;

/**
 * A Binance error: `{"code": -1121, "msg": "Invalid symbol."}` with an HTTP status. Clients
 * (CCXT among them) tell refusals apart by Binance's exact messages, so `msg` is Binance's text
 * where Binance has one; Bourse's own code and message, which say what to fix, ride along in
 * `bourse` (clients ignore fields they do not know).
 */
export class BinanceError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status = 400,
    readonly bourse?: { code: string; message: string },
    /** Seconds to wait, answered as `Retry-After` (weight limits). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  body(): { code: number; msg: string; bourse?: { code: string; message: string } } {
    return { code: this.code, msg: this.message, ...(this.bourse ? { bourse: this.bourse } : {}) };
  }
}

const AUTH: [number, number, string] = [
  -2015,
  401,
  'Invalid API-key, IP, or permissions for action.',
];
const WINDOW: [number, number, string] = [
  -1021,
  400,
  'Timestamp for this request is outside of the recvWindow.',
];

/** Binance's code, status and (when it has one) message for the catalogue's refusals. */
const CODES: Record<string, [code: number, status: number, msg?: string]> = {
  validation_failed: [-1102, 400],
  bad_request: [-1102, 400],
  unknown_symbol: [-1121, 400, 'Invalid symbol.'],
  unauthenticated: AUTH,
  forbidden: AUTH,
  ip_not_allowed: AUTH,
  invalid_api_key: AUTH,
  api_key_revoked: AUTH,
  api_key_expired: AUTH,
  two_factor_required: AUTH,
  invalid_signature: [-1022, 400, 'Signature for this request is not valid.'],
  timestamp_expired: WINDOW,
  timestamp_in_future: WINDOW,
  replayed_request: [-1021, 400],
  rate_limited: [-1003, 429, 'Too many requests. Please try again later.'],
  unavailable: [-1001, 503, 'Internal error; unable to process your request. Please try again.'],
  internal: [-1000, 500, 'An unknown error occurred while processing the request.'],
  unknown_order: [-2011, 400, 'Unknown order sent.'],
  insufficient_funds: [-2010, 400, 'Account has insufficient balance for requested action.'],
  post_only_would_take: [-2010, 400, 'Order would immediately match and take.'],
  market_halted: [-1013, 400, 'Market is closed.'],
  market_cancel_only: [-1013, 400, 'Market is closed.'],
  tick_size: [-1013, 400, 'Filter failure: PRICE_FILTER'],
  // Beyond the engine's bounds: the maxPrice / maxQty exchangeInfo publishes.
  invalid_price: [-1013, 400, 'Filter failure: PRICE_FILTER'],
  invalid_quantity: [-1013, 400, 'Filter failure: LOT_SIZE'],
  lot_size: [-1013, 400, 'Filter failure: LOT_SIZE'],
  min_qty: [-1013, 400, 'Filter failure: LOT_SIZE'],
  min_notional: [-1013, 400, 'Filter failure: NOTIONAL'],
  price_band: [-1013, 400, 'Filter failure: PERCENT_PRICE_BY_SIDE'],
  duplicate_client_order_id: [-2010, 400, 'Duplicate order sent.'],
  unknown_order_list: [-2011, 400, 'Unknown order list sent.'],
  stop_would_trigger: [-2010, 400, 'The relationship of the prices for the orders is not correct.'],
  too_many_orders: [-2010, 400, 'Filter failure: MAX_NUM_ORDERS'],
  // A trailing stop without a stopPrice in a market that never traded: nothing to trail
  // from, so a stopPrice (its activation price) is needed — Binance's "send this parameter".
  no_reference_price: [
    -1102,
    400,
    "Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed.",
  ],
};

/** A catalogue error in Binance's shape; anything unmapped is Binance's "new order rejected". */
export function toBinanceError(err: unknown): BinanceError {
  if (err instanceof BinanceError) return err;
  if (err instanceof AppError) {
    const bourse = { code: String(err.code), message: err.message };
    const [code, status, msg] = CODES[err.code] ?? [-2010, err.status >= 500 ? err.status : 400];
    return new BinanceError(code, msg ?? err.message, status, bourse);
  }
  return new BinanceError(-1000, 'An unknown error occurred while processing the request.', 500);
}

/** `BTC/USDT` ↔ `BTCUSDT`; a concatenation two markets share is served under neither. */
export class SymbolMap {
  private readonly byBinance = new Map<string, Market>();

  constructor(markets: readonly Market[]) {
    const clashes = new Set<string>();
    for (const m of markets) {
      const s = m.base + m.quote;
      if (this.byBinance.has(s)) clashes.add(s);
      this.byBinance.set(s, m);
    }
    for (const s of clashes) this.byBinance.delete(s);
  }

  market(binanceSymbol: unknown): Market {
    const m = typeof binanceSymbol === 'string' ? this.byBinance.get(binanceSymbol) : undefined;
    if (!m) throw new BinanceError(-1121, 'Invalid symbol.');
    return m;
  }

  /** The Binance symbol of a market, if it is served. */
  symbolOf(bourseSymbol: string): string | undefined {
    for (const [s, m] of this.byBinance) if (m.symbol === bourseSymbol) return s;
    return undefined;
  }

  all(): Array<[string, Market]> {
    return [...this.byBinance];
  }
}

const STATUS: Record<Market['status'], string> = {
  trading: 'TRADING',
  halted: 'HALT',
  cancel_only: 'BREAK',
};

/** One `symbols[]` entry of `GET /api/v3/exchangeInfo`. */
export function symbolInfo(
  symbol: string,
  m: Market,
  /** Decimals each asset is kept in (Binance's *AssetPrecision fields are the asset's). */
  scaleOf: (asset: string) => number,
  limits: EngineLimits,
): Record<string, unknown> {
  return {
    symbol,
    status: STATUS[m.status],
    baseAsset: m.base,
    baseAssetPrecision: scaleOf(m.base),
    quoteAsset: m.quote,
    quotePrecision: scaleOf(m.quote),
    quoteAssetPrecision: scaleOf(m.quote),
    // Fees are charged in the quote asset, at its scale.
    baseCommissionPrecision: scaleOf(m.quote),
    quoteCommissionPrecision: scaleOf(m.quote),
    orderTypes: [
      'LIMIT',
      'LIMIT_MAKER',
      'MARKET',
      'STOP_LOSS',
      'STOP_LOSS_LIMIT',
      'TAKE_PROFIT',
      'TAKE_PROFIT_LIMIT',
    ],
    icebergAllowed: false,
    ocoAllowed: true,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: symbolFilters(m, limits),
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_TAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

const TYPES: Record<string, { type: PlaceInput['type']; postOnly?: true }> = {
  LIMIT: { type: 'limit' },
  LIMIT_MAKER: { type: 'limit', postOnly: true },
  MARKET: { type: 'market' },
  STOP_LOSS: { type: 'stop_market' },
  STOP_LOSS_LIMIT: { type: 'stop_limit' },
  TAKE_PROFIT: { type: 'take_profit_market' },
  TAKE_PROFIT_LIMIT: { type: 'take_profit_limit' },
};

const STP: Record<string, PlaceInput['stp']> = {
  EXPIRE_TAKER: 'cancel_newest',
  EXPIRE_MAKER: 'cancel_oldest',
  EXPIRE_BOTH: 'cancel_both',
};

const TYPE_BACK: Record<Order['type'], string> = {
  limit: 'LIMIT',
  market: 'MARKET',
  stop_market: 'STOP_LOSS',
  stop_limit: 'STOP_LOSS_LIMIT',
  take_profit_market: 'TAKE_PROFIT',
  take_profit_limit: 'TAKE_PROFIT_LIMIT',
};

const STATUS_BACK: Record<Order['status'], string> = {
  new: 'NEW',
  partially_filled: 'PARTIALLY_FILLED',
  filled: 'FILLED',
  cancelled: 'CANCELED',
  expired: 'EXPIRED',
  rejected: 'REJECTED',
};

const STP_BACK: Record<Order['stp'], string> = {
  cancel_newest: 'EXPIRE_TAKER',
  cancel_oldest: 'EXPIRE_MAKER',
  cancel_both: 'EXPIRE_BOTH',
};

type Params = Record<string, string>;

function mandatory(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === '') {
    throw new BinanceError(
      -1102,
      `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
    );
  }
  return v;
}

function oneOf<T>(p: Params, name: string, table: Record<string, T>, code: number): T {
  const v = mandatory(p, name);
  const hit = table[v];
  if (hit === undefined) throw new BinanceError(code, `Invalid ${name}.`);
  return hit;
}

/** `POST /api/v3/order` parameters → `orders.place` input. */
export function placeInputOf(p: Params, market: Market): PlaceInput {
  const side = oneOf(p, 'side', { BUY: 'buy', SELL: 'sell' } as const, -1117);
  const { type, postOnly } = oneOf(p, 'type', TYPES, -1116);
  const input: PlaceInput = { symbol: market.symbol, side, type };
  if (postOnly) input.postOnly = true;
  if (isLimitType(type) && !postOnly) {
    input.tif = oneOf(p, 'timeInForce', { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK' } as const, -1115);
  }
  if (p.price !== undefined) input.price = p.price;
  if (p.stopPrice !== undefined) input.stopPrice = p.stopPrice;
  if (p.quantity !== undefined) input.qty = p.quantity;
  if (p.quoteOrderQty !== undefined) input.quoteQty = p.quoteOrderQty;
  if (p.newClientOrderId !== undefined) input.clientOrderId = p.newClientOrderId;
  if (p.selfTradePreventionMode !== undefined && p.selfTradePreventionMode !== 'NONE') {
    input.stp = oneOf(p, 'selfTradePreventionMode', STP, -1100);
  }
  const trailBps = trailBpsOf(p, input);
  if (trailBps !== undefined) input.trailBps = trailBps;
  for (const unsupported of ['icebergQty', 'strategyId', 'strategyType']) {
    if (p[unsupported] !== undefined) {
      throw new BinanceError(-1104, `Not all sent parameters were read: ${unsupported}.`);
    }
  }
  return input;
}

/**
 * `trailingDelta` (basis points) as `trailBps`, checked as Binance checks it: only on the stop
 * types (-1106 on LIMIT, LIMIT_MAKER and MARKET), then as trailingDeltaBps checks it. With it,
 * stopPrice is optional. Binance also trails TAKE_PROFIT orders; Bourse's take-profits do not
 * trail, so the parameter is refused there as one Bourse cannot honour (-1104), not ignored.
 */
function trailBpsOf(p: Params, input: PlaceInput): number | undefined {
  const v = p.trailingDelta;
  if (v === undefined) return undefined;
  if (input.type === 'take_profit_market' || input.type === 'take_profit_limit') {
    throw new BinanceError(
      -1104,
      'Not all sent parameters were read: trailingDelta (a TAKE_PROFIT does not trail here).',
    );
  }
  if (!isStopType(input.type)) {
    throw new BinanceError(-1106, "Parameter 'trailingDelta' sent when not required.");
  }
  return trailingDeltaBps('trailingDelta', v, input.side);
}

/**
 * A stop's trailing delta parameter (`trailingDelta`, or an OCO stop leg's
 * `aboveTrailingDelta`/`belowTrailingDelta`, named by `name`) in basis points: a whole number
 * (-1100), inside the TRAILING_DELTA filter exchangeInfo publishes for a stop of that side
 * (-1013). The caller has checked that the order it belongs to is a stop.
 */
export function trailingDeltaBps(name: string, value: string, side: 'buy' | 'sell'): number {
  if (!/^[0-9]{1,9}$/.test(value)) {
    throw new BinanceError(-1100, `Illegal characters found in parameter '${name}'.`);
  }
  const bps = Number(value);
  if (!passesTrailingDelta(side, bps)) {
    throw new BinanceError(-1013, 'Filter failure: TRAILING_DELTA');
  }
  return bps;
}

/**
 * Binance refuses a stop or take-profit whose condition already holds at the last price (-2010
 * "Stop price would trigger immediately."), where the engine would accept it and trigger it at
 * once: a buy stop or sell take-profit at or below the last price, a sell stop or buy
 * take-profit at or above it (the engine's trigger rule). A market that has not traded yet has no last price, so nothing triggers there; a
 * malformed stopPrice is left to the catalogue's validation. A trailing stop's stopPrice is its
 * activation price, and one the last price already meets would start tracking at once; Binance
 * refuses it as it refuses the plain stop, and so does the facade. A trailing stop without a
 * stopPrice tracks from the last price by design and is never refused here.
 */
export function refuseImmediateStop(input: PlaceInput, market: Market): void {
  if (!isTriggerType(input.type)) return;
  const stop = input.stopPrice;
  const last = market.lastPrice;
  if (stop === undefined || last === null || !/^[0-9]{1,30}(\.[0-9]{1,30})?$/.test(stop)) return;
  const c = compareDecimal(stop, last);
  const rises = triggersOnRise(input.side, input.type);
  if (rises ? c <= 0 : c >= 0) {
    // Bourse's reason beside Binance's words: which way the order waits, and the other kind.
    const kind = isStopType(input.type) ? 'stop' : 'take-profit';
    const other = isStopType(input.type) ? 'TAKE_PROFIT' : 'STOP_LOSS';
    throw new BinanceError(-2010, 'Stop price would trigger immediately.', 400, {
      code: 'stop_would_trigger',
      message: `The last price ${last} is already ${rises ? 'at or above' : 'at or below'} the stop price ${stop}: a ${input.side} ${kind} waits for the price to ${rises ? 'rise' : 'fall'} to it; a ${input.side} that waits for the price to ${rises ? 'fall' : 'rise'} is a ${other}`,
    });
  }
}

/**
 * Binance's status: an order the engine ended itself (an IOC/FOK or market remainder, the
 * price band, nothing left to trade against, an OCO leg whose other leg filled or triggered)
 * EXPIRED, one self-trade prevention ended EXPIRED_IN_MATCH; CANCELED is for cancels asked for
 * (by the owner — both legs of a cancelled OCO —, a halt, the dead man's switch).
 */
function statusOf(o: Order): string {
  if (o.status !== 'cancelled') return STATUS_BACK[o.status];
  if (o.cancelReason === 'stp') return 'EXPIRED_IN_MATCH';
  const engineEnded = ['ioc_remainder', 'quote_spent', 'fok', 'price_band', 'no_liquidity', 'oco'];
  return engineEnded.includes(o.cancelReason ?? '') ? 'EXPIRED' : 'CANCELED';
}

/** An order in Binance's shape (`GET /api/v3/order`, openOrders, cancels, RESULT answers). */
export function binanceOrder(o: Order, symbol: string): Record<string, unknown> {
  return {
    symbol,
    orderId: o.orderId,
    orderListId: o.orderListId ?? -1,
    clientOrderId: o.clientOrderId ?? '',
    price: o.price ?? '0',
    origQty: o.qty ?? '0',
    executedQty: o.filledQty,
    cummulativeQuoteQty: o.filledQuote,
    status: statusOf(o),
    timeInForce: o.tif,
    type: o.postOnly && o.type === 'limit' ? 'LIMIT_MAKER' : TYPE_BACK[o.type],
    side: o.side === 'buy' ? 'BUY' : 'SELL',
    stopPrice: o.stopPrice ?? '0',
    icebergQty: '0',
    time: o.tsCreated,
    updateTime: o.tsUpdated,
    isWorking: o.status === 'new' || o.status === 'partially_filled',
    workingTime: o.tsCreated,
    origQuoteOrderQty: o.quoteQty ?? '0',
    selfTradePreventionMode: STP_BACK[o.stp],
    ...trailingFields(o),
  };
}

/**
 * Binance's conditional fields of a trailing stop, absent for every other order: its
 * `trailingDelta`, and `trailingTime`, when it started tracking (-1 while it waits for its
 * activation price). `stopPrice` is the stop price now, which moves as it trails. A stop that
 * trails by an amount in price units (placed through the native API: Binance has no such
 * order) has no `trailingDelta` to show; it reads as a plain stop whose stopPrice moves.
 */
export function trailingFields(o: Order): { trailingDelta?: number; trailingTime?: number } {
  if (o.trailing?.bps === undefined) return {};
  return { trailingDelta: o.trailing.bps, trailingTime: o.trailing.trackingSince ?? -1 };
}

/** A cancelled order as `DELETE order` and `DELETE openOrders` answer it. */
export function binanceCancelled(o: Order, symbol: string): Record<string, unknown> {
  return { ...binanceOrder(o, symbol), origClientOrderId: o.clientOrderId ?? '' };
}

/** One of `GET /api/v3/myTrades`. */
export function binanceTrade(t: Fill, symbol: string): Record<string, unknown> {
  return {
    symbol,
    id: t.tradeId,
    orderId: t.orderId,
    orderListId: t.orderListId ?? -1,
    price: t.price,
    qty: t.qty,
    quoteQty: t.quoteQty,
    commission: t.fee,
    commissionAsset: t.feeAsset,
    time: t.ts,
    isBuyer: t.side === 'buy',
    isMaker: t.role === 'maker',
    isBestMatch: true,
  };
}

type Candle = OperationOutput<'marketData.candles'>['items'][number];
type Ticker = OperationOutput<'marketData.tickers'>['items'][number];
/** A public trade as `marketData.trades` and the `tape:<symbol>` channel give it. */
export type PublicTrade = OperationOutput<'marketData.trades'>['items'][number];

export const INTERVAL_MS: Record<string, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

/** A Binance interval Bourse keeps bars for, or -1120. */
export function intervalOf(p: Params): '1m' | '5m' | '15m' | '1h' | '4h' | '1d' {
  const v = mandatory(p, 'interval');
  if (INTERVAL_MS[v] === undefined) throw new BinanceError(-1120, 'Invalid interval.');
  return v as '1m' | '5m' | '15m' | '1h' | '4h' | '1d';
}

/**
 * One kline: `[openTime, open, high, low, close, volume, closeTime, quoteVolume, trades,
 * takerBuyBaseVolume, takerBuyQuoteVolume, "0"]`. Bourse's bars do not split volume by the
 * taker's side, so the two taker-buy fields are "0".
 */
export function binanceKline(
  c: Candle,
  interval: string,
  /** For intervals merged by the facade (months have no fixed length). */
  closeTime = c.openTime + (INTERVAL_MS[interval] ?? 0) - 1,
): unknown[] {
  return [
    c.openTime,
    c.open,
    c.high,
    c.low,
    c.close,
    c.volume,
    closeTime,
    c.quoteVolume,
    c.trades,
    '0',
    '0',
    '0',
  ];
}

export function binancePublicTrade(t: PublicTrade): Record<string, unknown> {
  return {
    id: t.tradeId,
    price: t.price,
    qty: t.qty,
    quoteQty: t.quoteQty,
    time: t.ts,
    isBuyerMaker: t.takerSide === 'sell',
    isBestMatch: true,
  };
}

/** One of `GET /api/v3/aggTrades`: each Bourse trade is its own aggregate (none are merged). */
export function binanceAggTrade(t: PublicTrade): Record<string, unknown> {
  return {
    a: t.tradeId,
    p: t.price,
    q: t.qty,
    f: t.tradeId,
    l: t.tradeId,
    T: t.ts,
    m: t.takerSide === 'sell',
    M: true,
  };
}

/** quote ÷ base to `scale` decimals, exactly (no floats), "0" when nothing traded. */
export function averagePrice(quoteVolume: string, volume: string, scale: number): string {
  const s = Math.max(decimalsOf(quoteVolume), decimalsOf(volume));
  const v = unitsAt(volume, s);
  if (v === 0n) return '0';
  // Volumes are never negative: floor is the truncation Binance shows.
  return formatDecimal(divRound(unitsAt(quoteVolume, s) * pow10(scale), v, 'floor'), scale);
}

/** `GET /api/v3/ticker/24hr` for one market (rolling 24 hours, as Bourse's tickers are). */
export function binanceTicker24h(
  t: Ticker,
  symbol: string,
  tickSize: string,
  now: number,
): Record<string, unknown> {
  return {
    symbol,
    priceChange: t.change,
    priceChangePercent: t.changePercent,
    weightedAvgPrice: averagePrice(t.quoteVolume, t.volume, decimalsOf(tickSize)),
    prevClosePrice: t.open ?? '0',
    lastPrice: t.last ?? '0',
    lastQty: '0',
    bidPrice: t.bestBid ?? '0',
    bidQty: '0',
    askPrice: t.bestAsk ?? '0',
    askQty: '0',
    openPrice: t.open ?? '0',
    highPrice: t.high ?? '0',
    lowPrice: t.low ?? '0',
    volume: t.volume,
    quoteVolume: t.quoteVolume,
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: -1,
    lastId: -1,
    count: t.trades,
  };
}
