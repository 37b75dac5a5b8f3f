/**
 * Binance-compatible market streams: the WebSocket half of the `/api/v3` facade, so a bot that
 * reads Binance's public streams (python-binance, binance-connector, hand-written clients) reads
 * Bourse's markets by changing its stream base URL to `ws://127.0.0.1:8420/binance/`.
 * Written from Binance's spot WebSocket streams documentation
 * (https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams):
 *
 * - raw streams at `/binance/ws/<stream>[/<stream>…]` (each payload as is), combined streams at
 *   `/binance/stream?streams=<stream>/<stream>` (`{"stream", "data"}`), and `/binance/ws` or
 *   `/binance/ws/<connection label>` (any segment without `@`, as CCXT Pro opens) with nothing
 *   subscribed yet;
 * - live requests `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY` and
 *   `GET_PROPERTY` (`combined`), answered `{"result", "id"}` or `{"code", "msg", "id"}`;
 * - streams `<symbol>@trade`, `@aggTrade`, `@kline_<1m|5m|15m|1h|4h|1d>`, `@bookTicker`,
 *   `@depth<5|10|20>` (optionally `@100ms`/`@1000ms`), `@ticker`, `@miniTicker`, and the diff
 *   depth `@depth` / `@depth@100ms`: `depthUpdate` events whose `U`/`u` are the market's engine
 *   event seq, the id space of `/api/v3/depth`'s `lastUpdateId`, so Binance's documented way
 *   to keep a local book (buffer events, fetch a snapshot, drop `u <= lastUpdateId`, apply the
 *   rest checking `U == previous u + 1`) works. Updates are pushed per committed batch, not
 *   gathered over 100 ms or 1 s: sooner than Binance, never later.
 *
 * A door like the WebSocket one: it listens to the event hub's public market-data channels and
 * reads snapshots through catalogue operations (`markets.list`, `marketData.depth`), never the
 * services.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import {
  TICKERS_STREAM,
  bookUpdatesStream,
  candlesStream,
  depthStream,
  tapeStream,
  type BookUpdateMessage,
  type CandleMessage,
  type OperationName,
  type OperationOutput,
} from '../../../src-shared/contract';
import type { BackendConfig } from '../../config';
import type { EventHub, Published } from '../../events/hub';
import type { OperationContext } from '../../operations/context';
import { ANONYMOUS } from '../../operations/principal';
import type { OperationRegistry } from '../../operations/registry';
import { newCorrelationId } from '../../observability/context';
import type { Logger } from '../../observability/logger';
import { isAllowedOrigin } from '../http/local-surface';
import {
  INTERVAL_MS,
  SymbolMap,
  binanceAggTrade,
  binanceTicker24h,
  type Market,
  type PublicTrade,
} from './mapping';

export const BINANCE_STREAMS_PREFIX = '/binance';
/** Binance's limit of streams per connection. */
export const MAX_STREAMS = 1024;
const PARTIAL_DEPTHS = new Set([5, 10, 20]);
/** A client whose send buffer exceeds this is too slow: it is dropped (it reconnects). */
const MAX_BUFFERED = 4 * 1024 * 1024;

type Ticker = OperationOutput<'marketData.tickers'>['items'][number];
type Depth = OperationOutput<'marketData.depth'>;

/** One subscribed stream, resolved against the markets when it was subscribed. */
type Subscription =
  | {
      kind: 'trade' | 'aggTrade' | 'bookTicker' | 'ticker' | 'miniTicker';
      binance: string;
      market: Market;
    }
  | { kind: 'kline'; interval: string; binance: string; market: Market }
  | { kind: 'depth'; levels: number; binance: string; market: Market }
  | { kind: 'diffDepth'; binance: string; market: Market };

/** A request Binance answers with an error: `{"code", "msg", "id"}`. */
class StreamRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a Binance stream name (`btcusdt@kline_1m`) into what feeds it. */
export function parseStream(name: string, symbols: SymbolMap): Subscription {
  const at = name.indexOf('@');
  const rest = at < 0 ? '' : name.slice(at + 1);
  const lower = at < 0 ? '' : name.slice(0, at);
  if (lower === '' || lower !== lower.toLowerCase()) {
    throw new StreamRequestError(
      2,
      `Invalid request: stream "${name}" is not <lowercase symbol>@<type>`,
    );
  }
  let market: Market;
  try {
    market = symbols.market(lower.toUpperCase());
  } catch {
    throw new StreamRequestError(
      2,
      `Invalid request: no market ${lower.toUpperCase()} (stream "${name}")`,
    );
  }
  const binance = lower.toUpperCase();
  if (
    rest === 'trade' ||
    rest === 'aggTrade' ||
    rest === 'bookTicker' ||
    rest === 'ticker' ||
    rest === 'miniTicker'
  ) {
    return { kind: rest, binance, market };
  }
  const kline = /^kline_(\w+)$/.exec(rest);
  if (kline) {
    const interval = kline[1] as string;
    if (INTERVAL_MS[interval] === undefined) {
      throw new StreamRequestError(
        2,
        `Invalid request: interval "${interval}" is not one of ${Object.keys(INTERVAL_MS).join(', ')}`,
      );
    }
    return { kind: 'kline', interval, binance, market };
  }
  const depth = /^depth(\d+)?(@100ms|@1000ms)?$/.exec(rest);
  if (depth) {
    if (depth[1] === undefined) return { kind: 'diffDepth', binance, market };
    const levels = Number(depth[1]);
    if (!PARTIAL_DEPTHS.has(levels)) {
      throw new StreamRequestError(
        2,
        `Invalid request: partial depth has 5, 10 or 20 levels ("${name}"); <symbol>@depth is the diff depth`,
      );
    }
    return { kind: 'depth', levels, binance, market };
  }
  throw new StreamRequestError(2, `Invalid request: unknown stream type "${rest}" in "${name}"`);
}

/** The hub channel whose events feed a subscription. */
function channelOf(s: Subscription): string {
  switch (s.kind) {
    case 'trade':
    case 'aggTrade':
      return tapeStream(s.market.symbol);
    case 'kline':
      return candlesStream(s.market.symbol, s.interval);
    case 'depth':
    case 'bookTicker':
      return depthStream(s.market.symbol);
    case 'diffDepth':
      return bookUpdatesStream(s.market.symbol);
    case 'ticker':
    case 'miniTicker':
      return TICKERS_STREAM;
  }
}

export function tradeEvent(s: Subscription, t: PublicTrade, now: number): Record<string, unknown> {
  if (s.kind === 'aggTrade') return { e: 'aggTrade', E: now, s: s.binance, ...binanceAggTrade(t) };
  return {
    e: 'trade',
    E: now,
    s: s.binance,
    t: t.tradeId,
    p: t.price,
    q: t.qty,
    T: t.ts,
    m: t.takerSide === 'sell', // the buyer was the maker
    M: true,
  };
}

/**
 * A kline event. `x` (closed) is true once the bar's time is over when it is published: the
 * bar a trade closed is published once as it closed. Bars hold no trade ids, so `f`/`L` are -1,
 * and they do not split volume by the taker's side, so `V`/`Q` are "0" (as in `/klines`).
 */
export function klineEvent(
  s: Subscription & { kind: 'kline' },
  msg: CandleMessage,
  now: number,
): Record<string, unknown> {
  const c = msg.candle;
  const closeTime = c.openTime + (INTERVAL_MS[s.interval] ?? 0) - 1;
  return {
    e: 'kline',
    E: now,
    s: s.binance,
    k: {
      t: c.openTime,
      T: closeTime,
      s: s.binance,
      i: s.interval,
      f: -1,
      L: -1,
      o: c.open,
      c: c.close,
      h: c.high,
      l: c.low,
      v: c.volume,
      n: c.trades,
      x: now > closeTime,
      q: c.quoteVolume,
      V: '0',
      Q: '0',
      B: '0',
    },
  };
}

export function tickerEvent(s: Subscription, t: Ticker, now: number): Record<string, unknown> {
  if (s.kind === 'miniTicker') {
    return {
      e: '24hrMiniTicker',
      E: now,
      s: s.binance,
      c: t.last ?? '0',
      o: t.open ?? '0',
      h: t.high ?? '0',
      l: t.low ?? '0',
      v: t.volume,
      q: t.quoteVolume,
    };
  }
  const r = binanceTicker24h(t, s.binance, s.market.tickSize, now);
  return {
    e: '24hrTicker',
    E: now,
    s: s.binance,
    p: r.priceChange,
    P: r.priceChangePercent,
    w: r.weightedAvgPrice,
    x: r.prevClosePrice,
    c: r.lastPrice,
    Q: r.lastQty,
    b: r.bidPrice,
    B: r.bidQty,
    a: r.askPrice,
    A: r.askQty,
    o: r.openPrice,
    h: r.highPrice,
    l: r.lowPrice,
    v: r.volume,
    q: r.quoteVolume,
    O: r.openTime,
    C: r.closeTime,
    F: r.firstId,
    L: r.lastId,
    n: r.count,
  };
}

/** A diff-depth event: every level the update touched, with its quantity now ("0" = gone). */
export function depthUpdateEvent(
  s: Subscription,
  m: BookUpdateMessage,
  now: number,
): Record<string, unknown> {
  return {
    e: 'depthUpdate',
    E: now,
    s: s.binance,
    U: m.firstUpdateId,
    u: m.finalUpdateId,
    b: m.bids,
    a: m.asks,
  };
}

/**
 * The payload of a depth or book-ticker subscription from a snapshot of the top 20. Its id is
 * the snapshot's `updateId`, as `/api/v3/depth`'s `lastUpdateId` is.
 */
export function bookEvent(s: Subscription, d: Depth): Record<string, unknown> {
  if (s.kind === 'depth') {
    return {
      lastUpdateId: d.updateId,
      bids: d.bids.slice(0, s.levels),
      asks: d.asks.slice(0, s.levels),
    };
  }
  const [b = '0', B = '0'] = d.bids[0] ?? [];
  const [a = '0', A = '0'] = d.asks[0] ?? [];
  return { u: d.updateId, s: s.binance, b, B, a, A };
}

/** A close frame's reason is at most 123 bytes of UTF-8. */
function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}

interface Conn {
  socket: WebSocket;
  combined: boolean;
  streams: Map<string, Subscription>;
  /** What each book subscription last received, so an unchanged top is not sent again. */
  lastBook: Map<string, string>;
  queue: Promise<void>;
}

type Request = { method: string; params: unknown[]; id: number | string | null };

function parseRequest(text: string): Request {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new StreamRequestError(3, 'Invalid JSON: expected a JSON object');
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    throw new StreamRequestError(3, 'Invalid JSON: expected a JSON object');
  }
  const r = m as Record<string, unknown>;
  const id = r.id ?? null;
  const idOk =
    id === null ||
    (typeof id === 'number' && Number.isSafeInteger(id)) ||
    (typeof id === 'string' && /^[A-Za-z0-9]{1,36}$/.test(id));
  if (!idOk) {
    throw new StreamRequestError(2, 'Invalid request: request ID must be an unsigned integer');
  }
  if (typeof r.method !== 'string')
    throw new StreamRequestError(2, 'Invalid request: missing field `method`');
  const params = r.params ?? [];
  if (!Array.isArray(params))
    throw new StreamRequestError(2, 'Invalid request: `params` must be an array');
  return { method: r.method, params, id: id as Request['id'] };
}

export interface BinanceStreamsDeps {
  config: BackendConfig;
  hub: EventHub;
  registry: OperationRegistry;
  log: Logger;
  now: () => number;
}

/** Registers `/binance/ws` and `/binance/stream` (closed with the server). */
export function registerBinanceStreams(app: FastifyInstance, deps: BinanceStreamsDeps): void {
  const conns = new Set<Conn>();
  const ctx = (): OperationContext => ({
    principal: ANONYMOUS,
    correlationId: newCorrelationId(),
    door: 'ws',
    log: deps.log.child({ door: 'binance-ws' }),
  });
  const invoke = <N extends OperationName>(name: N, input: object) =>
    deps.registry.invoke(name, input, ctx()) as Promise<OperationOutput<N>>;
  const symbols = async () => new SymbolMap((await invoke('markets.list', {})).items);

  const send = (conn: Conn, name: string, payload: unknown): void => {
    if (conn.socket.bufferedAmount > MAX_BUFFERED) {
      conn.socket.close(1008, 'too slow');
      return;
    }
    conn.socket.send(JSON.stringify(conn.combined ? { stream: name, data: payload } : payload));
  };

  /** Snapshots of one market's top 20, fetched one at a time and coalesced while one runs. */
  const books = new Map<string, { running: boolean; again: boolean }>();
  const refreshBook = (symbol: string): void => {
    let state = books.get(symbol);
    if (!state) books.set(symbol, (state = { running: false, again: false }));
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    const run = async (): Promise<void> => {
      const s = state as { running: boolean; again: boolean };
      do {
        s.again = false;
        const d = await invoke('marketData.depth', { symbol, depth: 20 });
        for (const conn of conns) {
          for (const [name, sub] of conn.streams) {
            if (
              (sub.kind === 'depth' || sub.kind === 'bookTicker') &&
              sub.market.symbol === symbol
            ) {
              deliverBook(conn, name, sub, d);
            }
          }
        }
      } while (s.again);
      s.running = false;
    };
    run().catch((err: unknown) => {
      (state as { running: boolean }).running = false;
      deps.log.warn({ err, symbol }, 'binance streams: depth snapshot failed');
    });
  };
  const deliverBook = (conn: Conn, name: string, sub: Subscription, d: Depth): void => {
    const payload = bookEvent(sub, d);
    // The same top as last time is not news (the snapshot's sequence aside).
    const { lastUpdateId: _l, u: _u, ...shape } = payload;
    const key = JSON.stringify(shape);
    if (conn.lastBook.get(name) === key) return;
    conn.lastBook.set(name, key);
    send(conn, name, payload);
  };

  const onEvent = (msg: Published): void => {
    const now = deps.now();
    let bookSymbol: string | undefined;
    for (const conn of conns) {
      for (const [name, sub] of conn.streams) {
        if (channelOf(sub) !== msg.stream) continue;
        switch (sub.kind) {
          case 'trade':
          case 'aggTrade':
            send(conn, name, tradeEvent(sub, msg.data as PublicTrade, now));
            break;
          case 'kline':
            send(conn, name, klineEvent(sub, msg.data as CandleMessage, now));
            break;
          case 'ticker':
          case 'miniTicker':
            if ((msg.data as Ticker).symbol === sub.market.symbol) {
              send(conn, name, tickerEvent(sub, msg.data as Ticker, now));
            }
            break;
          case 'depth':
          case 'bookTicker':
            bookSymbol = sub.market.symbol;
            break;
          case 'diffDepth':
            send(conn, name, depthUpdateEvent(sub, msg.data as BookUpdateMessage, now));
            break;
        }
      }
    }
    if (bookSymbol !== undefined) refreshBook(bookSymbol);
  };
  const unsubscribeHub = deps.hub.subscribe(onEvent, (channel) => {
    for (const conn of conns)
      for (const sub of conn.streams.values()) if (channelOf(sub) === channel) return true;
    return false;
  });
  app.addHook('onClose', async () => {
    unsubscribeHub();
    for (const conn of conns) conn.socket.close(1001, 'server shutting down');
  });

  /**
   * Subscribes, all or nothing. Returns what sends each new book subscription its current
   * snapshot — run after the request's answer, which Binance sends before any data.
   */
  const subscribe = async (conn: Conn, names: readonly unknown[]): Promise<() => Promise<void>> => {
    if (!names.every((n): n is string => typeof n === 'string')) {
      throw new StreamRequestError(2, 'Invalid request: stream names must be strings');
    }
    // The cap first: a request past it is refused before any name is parsed.
    const total = new Set([...conn.streams.keys(), ...names]).size;
    if (total > MAX_STREAMS) {
      throw new StreamRequestError(
        4,
        `Too many subscriptions: at most ${MAX_STREAMS} streams per connection`,
      );
    }
    const map = await symbols();
    const parsed = names.map((n) => [n, parseStream(n, map)] as const);
    for (const [name, sub] of parsed) conn.streams.set(name, sub);
    return async () => {
      for (const [name, sub] of parsed) {
        if (sub.kind !== 'depth' && sub.kind !== 'bookTicker') continue;
        conn.lastBook.delete(name);
        const d = await invoke('marketData.depth', { symbol: sub.market.symbol, depth: 20 });
        if (conn.streams.get(name) === sub) deliverBook(conn, name, sub, d);
      }
    };
  };

  /** The request's result, and what to send after it (a subscription's first snapshots). */
  const answer = async (
    conn: Conn,
    req: Request,
  ): Promise<{ result: unknown; afterwards?: () => Promise<void> }> => {
    switch (req.method) {
      case 'SUBSCRIBE':
        return { result: null, afterwards: await subscribe(conn, req.params) };
      case 'UNSUBSCRIBE':
        for (const n of req.params) {
          if (typeof n === 'string') {
            conn.streams.delete(n);
            conn.lastBook.delete(n);
          }
        }
        return { result: null };
      case 'LIST_SUBSCRIPTIONS':
        return { result: [...conn.streams.keys()] };
      case 'SET_PROPERTY': {
        if (req.params[0] !== 'combined') throw new StreamRequestError(0, 'Unknown property');
        if (typeof req.params[1] !== 'boolean')
          throw new StreamRequestError(1, 'Invalid value type: expected Boolean');
        conn.combined = req.params[1];
        return { result: null };
      }
      case 'GET_PROPERTY':
        if (req.params[0] !== 'combined') throw new StreamRequestError(0, 'Unknown property');
        return { result: conn.combined };
      default:
        throw new StreamRequestError(
          2,
          `Invalid request: unknown variant ${req.method}, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY`,
        );
    }
  };

  const open = (
    socket: WebSocket,
    req: FastifyRequest,
    combined: boolean,
    initial: string[],
  ): void => {
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, deps.config.allowedOrigins)) {
      socket.close(4003, 'origin not allowed');
      return;
    }
    const conn: Conn = {
      socket,
      combined,
      streams: new Map(),
      lastBook: new Map(),
      queue: Promise.resolve(),
    };
    conns.add(conn);
    socket.on('close', () => conns.delete(conn));
    // Streams named in the URL must all exist: Binance refuses the connection otherwise.
    conn.queue = subscribe(conn, initial)
      .then((sendSnapshots) => sendSnapshots())
      .catch((err: unknown) => {
        const text = err instanceof StreamRequestError ? err.message : 'Internal error';
        socket.close(1008, closeReason(text));
      });
    socket.on('message', (data) => {
      conn.queue = conn.queue.then(async () => {
        let id: Request['id'] = null;
        try {
          const req = parseRequest(data.toString());
          id = req.id;
          const { result, afterwards } = await answer(conn, req);
          socket.send(JSON.stringify({ result, id }));
          await afterwards?.();
        } catch (err) {
          const e =
            err instanceof StreamRequestError ? err : new StreamRequestError(2, 'Internal error');
          if (!(err instanceof StreamRequestError))
            deps.log.warn({ err }, 'binance streams: request failed');
          socket.send(JSON.stringify({ code: e.code, msg: e.message, id }));
        }
      });
    });
  };

  const namesIn = (text: string): string[] => text.split('/').filter((s) => s !== '');
  /**
   * A path segment without `@` names no stream: it is a connection label (CCXT Pro opens
   * `/ws/<connection index>` and then sends SUBSCRIBE), accepted as Binance accepts it, and the
   * connection waits for requests. A segment with `@` must be a stream Bourse serves.
   */
  const streamsInPath = (text: string): string[] => namesIn(text).filter((s) => s.includes('@'));
  app.get(
    `${BINANCE_STREAMS_PREFIX}/ws`,
    { websocket: true, schema: { hide: true } },
    (socket, req) => open(socket, req, false, []),
  );
  app.get(
    `${BINANCE_STREAMS_PREFIX}/ws/*`,
    { websocket: true, schema: { hide: true } },
    (socket, req) => open(socket, req, false, streamsInPath((req.params as { '*': string })['*'])),
  );
  app.get(
    `${BINANCE_STREAMS_PREFIX}/stream`,
    { websocket: true, schema: { hide: true } },
    (socket, req) =>
      open(socket, req, true, namesIn(String((req.query as { streams?: string }).streams ?? ''))),
  );
}
