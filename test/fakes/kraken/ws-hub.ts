import type { WebSocket } from 'ws';
import { crc32 } from 'node:zlib';

/** Fields Kraken's WebSocket v2 sends as JSON numbers (the fake stores decimal strings). */
const NUMERIC = [
  'order_qty',
  'limit_price',
  'cum_qty',
  'cum_cost',
  'avg_price',
  'last_qty',
  'last_price',
  'cost',
  'qty',
];

/** JSON text with the numeric fields written as bare numbers, digit for digit. */
function wsJson(v: unknown): string {
  const text = JSON.stringify(v);
  const re = new RegExp(`"(${NUMERIC.join('|')})":"(-?\\d+(?:\\.\\d+)?)"`, 'g');
  return text.replace(re, '"$1":$2');
}

const stamp = () => new Date().toISOString();

/**
 * The fake's `ws-auth.kraken.com/v2`: `subscribe` to `executions` with a token from
 * GetWebSocketsToken, `ping`→`pong`, heartbeats, and execution reports pushed by the book.
 */
export class WsHub {
  readonly tokens = new Map<string, number>();
  private readonly clients = new Set<WebSocket>();
  private readonly subscribed = new Set<WebSocket>();
  /** Connections that stay open but go silent (no pongs, heartbeats or pushes). */
  private readonly muted = new Set<WebSocket>();
  private seq = 0;
  private readonly beat: NodeJS.Timeout;
  snapshot: () => Record<string, unknown>[] = () => [];

  constructor(
    private readonly clock: () => number,
    heartbeatMs: number,
  ) {
    this.beat = setInterval(() => {
      for (const ws of this.subscribed) {
        if (!this.muted.has(ws)) ws.send(JSON.stringify({ channel: 'heartbeat' }));
      }
    }, heartbeatMs);
    this.beat.unref();
  }

  attach(ws: WebSocket): void {
    this.clients.add(ws);
    ws.on('close', () => {
      this.clients.delete(ws);
      this.subscribed.delete(ws);
    });
    ws.on('message', (data) => {
      if (!this.muted.has(ws)) this.onMessage(ws, String(data));
    });
  }

  private onMessage(ws: WebSocket, text: string): void {
    let m: { method?: string; req_id?: number; params?: Record<string, unknown> };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      ws.send(JSON.stringify({ error: 'EGeneral:Invalid arguments', success: false }));
      return;
    }
    const base = { method: m.method, req_id: m.req_id, time_in: stamp(), time_out: stamp() };
    if (m.method === 'ping') {
      ws.send(JSON.stringify({ ...base, method: 'pong' }));
      return;
    }
    if (m.method !== 'subscribe' || m.params?.channel !== 'executions') {
      ws.send(JSON.stringify({ ...base, success: false, error: 'EGeneral:Invalid arguments' }));
      return;
    }
    const token = m.params.token;
    const until = typeof token === 'string' ? this.tokens.get(token) : undefined;
    if (until === undefined || until < this.clock()) {
      // (unverified) the exact error text for a bad or expired token.
      ws.send(JSON.stringify({ ...base, success: false, error: 'EAccount:Invalid token' }));
      return;
    }
    // A token in use by a subscription does not expire (Kraken's docs).
    this.tokens.set(token as string, Number.MAX_SAFE_INTEGER);
    this.subscribed.add(ws);
    ws.send(
      JSON.stringify({
        ...base,
        success: true,
        result: { channel: 'executions', snapshot: true, maxratecount: 60 },
      }),
    );
    const snap = m.params.snap_orders === false ? [] : this.snapshot();
    ws.send(wsJson({ channel: 'executions', type: 'snapshot', data: snap, sequence: ++this.seq }));
  }

  push(item: Record<string, unknown>): void {
    const text = wsJson({
      channel: 'executions',
      type: 'update',
      data: [item],
      sequence: ++this.seq,
    });
    for (const ws of this.subscribed) if (!this.muted.has(ws)) ws.send(text);
  }

  /** Every open connection goes silent without closing (a half-dead link). */
  muteAll(): void {
    for (const ws of this.clients) this.muted.add(ws);
  }

  /** Closes every connection from the server side. */
  dropAll(): void {
    for (const ws of this.clients) ws.terminate();
  }

  close(): void {
    clearInterval(this.beat);
    this.dropAll();
  }
}

/** A public symbol the fake serves, with its price and quantity decimals. */
export interface PublicPair {
  price: number;
  qty: number;
}

/** A level as the fake keeps it: price and qty text with all the pair's decimals. */
type FakeLevel = [price: string, qty: string];

interface PublicBook {
  bids: FakeLevel[]; // best first
  asks: FakeLevel[];
}

interface PublicSub {
  book: Map<string, number>; // symbol → depth
  trade: Set<string>;
}

const DEPTHS = [10, 25, 100, 500, 1000];
const CHANNELS = ['book', 'trade', 'ticker', 'ohlc', 'instrument'];

/** Exact comparison of two plain non-negative decimal strings. */
function cmp(a: string, b: string): number {
  const [aw = '', af = ''] = a.split('.');
  const [bw = '', bf = ''] = b.split('.');
  const n = Math.max(af.length, bf.length);
  const x = BigInt(aw + af.padEnd(n, '0'));
  const y = BigInt(bw + bf.padEnd(n, '0'));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The fake's own checksum, written from Kraken's guide independently of the connector's. */
export function fakeChecksum(b: PublicBook): number {
  const part = (t: string) => t.replace('.', '').replace(/^0+/, '');
  const s = [...b.asks.slice(0, 10), ...b.bids.slice(0, 10)]
    .map(([p, q]) => part(p) + part(q))
    .join('');
  return crc32(Buffer.from(s)) >>> 0;
}

/** JSON text with `price` and `qty` as bare numbers, digit for digit (trailing zeros kept). */
function publicJson(v: unknown): string {
  return JSON.stringify(v).replace(/"(price|qty)":"(\d+(?:\.\d+)?)"/g, '"$1":$2');
}

/**
 * The fake's public `ws.kraken.com/v2`: a `status` frame on connect, `ping`→`pong`,
 * heartbeats, `subscribe`/`unsubscribe` to `book` (depth 10…1000, snapshot then updates with
 * CRC32 checksums) and `trade`. Strict: unknown symbols, channels, depths, a second subscribe
 * to the same book and an unsubscribe of nothing are refused. Error texts are (unverified).
 */
export class PublicHub {
  private readonly subs = new Map<WebSocket, PublicSub>();
  private readonly books = new Map<string, PublicBook>();
  private readonly beat: NodeJS.Timeout;
  private corrupt = 0;
  private tradeId = 0;
  private connectionId = 0;
  /** Every `subscribe` to `book` accepted, per symbol. */
  readonly bookSubscribes = new Map<string, number>();
  /** Every message received (tests check what the client asked). */
  readonly received: Record<string, unknown>[] = [];

  constructor(
    readonly pairs: Record<string, PublicPair>,
    heartbeatMs: number,
  ) {
    for (const s of Object.keys(pairs)) this.books.set(s, { bids: [], asks: [] });
    this.beat = setInterval(() => {
      for (const [ws, sub] of this.subs) {
        if (sub.book.size + sub.trade.size > 0) ws.send(JSON.stringify({ channel: 'heartbeat' }));
      }
    }, heartbeatMs);
    this.beat.unref();
  }

  attach(ws: WebSocket): void {
    this.subs.set(ws, { book: new Map(), trade: new Set() });
    ws.on('close', () => this.subs.delete(ws));
    ws.on('message', (data) => this.onMessage(ws, String(data)));
    ws.send(
      JSON.stringify({
        channel: 'status',
        type: 'update',
        data: [
          {
            api_version: 'v2',
            connection_id: ++this.connectionId,
            system: 'online',
            version: '2.0.10',
          },
        ],
      }),
    );
  }

  /** Levels written with every decimal of the pair (`0.00100000`), as Kraken sends them. */
  private fmt(symbol: string, price: string, qty: string): FakeLevel {
    const p = this.pairs[symbol]!;
    const pad = (t: string, d: number) => {
      const [w, f = ''] = t.split('.');
      if (f.length > d) throw new Error(`${t} has more than ${d} decimals`);
      return d === 0 ? w! : `${w}.${f.padEnd(d, '0')}`;
    };
    return [pad(price, p.price), pad(qty, p.qty)];
  }

  /** Replaces a symbol's whole book (no message: subscribe afterwards for the snapshot). */
  setBook(symbol: string, bids: [string, string][], asks: [string, string][]): void {
    const b: PublicBook = { bids: [], asks: [] };
    for (const [p, q] of bids) this.apply(b.bids, this.fmt(symbol, p, q), true);
    for (const [p, q] of asks) this.apply(b.asks, this.fmt(symbol, p, q), false);
    this.books.set(symbol, b);
  }

  /** The fake's full book of a symbol (levels with all decimals). */
  bookOf(symbol: string): PublicBook {
    return this.books.get(symbol)!;
  }

  private apply(side: FakeLevel[], l: FakeLevel, desc: boolean): void {
    const i = side.findIndex(([p]) => cmp(p, l[0]) === 0);
    if (i >= 0) side.splice(i, 1);
    if (cmp(l[1], '0') === 0) return;
    const at = side.findIndex(([p]) => (desc ? cmp(p, l[0]) < 0 : cmp(p, l[0]) > 0));
    side.splice(at < 0 ? side.length : at, 0, l);
  }

  /**
   * Changes levels (qty `0` removes one) and sends each subscriber what changed within its
   * depth: changed or newly visible levels, `qty: 0` for levels gone from the book (not for
   * levels merely pushed out of depth), then the checksum of its top 10.
   */
  updateBook(
    symbol: string,
    change: { bids?: [string, string][]; asks?: [string, string][] },
  ): void {
    const b = this.books.get(symbol)!;
    const before = { bids: [...b.bids], asks: [...b.asks] };
    for (const [p, q] of change.bids ?? []) this.apply(b.bids, this.fmt(symbol, p, q), true);
    for (const [p, q] of change.asks ?? []) this.apply(b.asks, this.fmt(symbol, p, q), false);
    const corrupt = this.corrupt > 0;
    if (corrupt) this.corrupt--;
    for (const [ws, sub] of this.subs) {
      const depth = sub.book.get(symbol);
      if (depth === undefined) continue;
      const diff = (old: FakeLevel[], now: FakeLevel[]) => {
        const o = old.slice(0, depth);
        const n = now.slice(0, depth);
        const out: { price: string; qty: string }[] = [];
        for (const [p] of o) {
          if (!now.some(([x]) => cmp(x, p) === 0)) out.push({ price: p, qty: '0' });
        }
        for (const [p, q] of n) {
          if (!o.some(([x, y]) => x === p && y === q)) out.push({ price: p, qty: q });
        }
        return out;
      };
      const view = { bids: b.bids.slice(0, depth), asks: b.asks.slice(0, depth) };
      const checksum = fakeChecksum(view);
      ws.send(
        publicJson({
          channel: 'book',
          type: 'update',
          data: [
            {
              symbol,
              bids: diff(before.bids, b.bids),
              asks: diff(before.asks, b.asks),
              checksum: corrupt ? (checksum + 1) >>> 0 : checksum,
              timestamp: new Date().toISOString(),
            },
          ],
        }),
      );
    }
  }

  /** The next `n` book updates carry a wrong checksum (one per call of updateBook). */
  corruptNextChecksum(n = 1): void {
    this.corrupt += n;
  }

  /** A trade print to every `trade` subscriber of the symbol. */
  trade(symbol: string, side: 'buy' | 'sell', price: string, qty: string): void {
    const [p, q] = this.fmt(symbol, price, qty);
    const item = {
      symbol,
      side,
      price: p,
      qty: q,
      ord_type: 'limit',
      trade_id: ++this.tradeId,
      timestamp: new Date().toISOString(),
    };
    const text = publicJson({ channel: 'trade', type: 'update', data: [item] });
    for (const [ws, sub] of this.subs) if (sub.trade.has(symbol)) ws.send(text);
  }

  /** Closes every public connection from the server side. */
  dropAll(): void {
    for (const ws of this.subs.keys()) ws.terminate();
  }

  /** Open public connections. */
  get connections(): number {
    return this.subs.size;
  }

  close(): void {
    clearInterval(this.beat);
    this.dropAll();
  }

  private onMessage(ws: WebSocket, text: string): void {
    let m: { method?: unknown; req_id?: unknown; params?: Record<string, unknown> };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      ws.send(JSON.stringify({ error: 'EGeneral:Invalid arguments', success: false }));
      return;
    }
    this.received.push(m as Record<string, unknown>);
    const base = { method: m.method, req_id: m.req_id, time_in: stamp(), time_out: stamp() };
    const refuse = (error: string, symbol?: string) =>
      ws.send(JSON.stringify({ ...base, success: false, error, ...(symbol ? { symbol } : {}) }));
    if (m.method === 'ping') {
      ws.send(JSON.stringify({ ...base, method: 'pong' }));
      return;
    }
    if (m.method !== 'subscribe' && m.method !== 'unsubscribe') {
      refuse('EGeneral:Invalid arguments');
      return;
    }
    const p = m.params ?? {};
    const channel = p.channel;
    if (typeof channel !== 'string' || !CHANNELS.includes(channel)) {
      refuse(`Channel ${String(channel)} not found`);
      return;
    }
    if (channel !== 'book' && channel !== 'trade') {
      refuse(`(fake) channel ${channel} is not served by this fake`);
      return;
    }
    if (channel === 'trade' && 'depth' in p) {
      refuse('EGeneral:Invalid arguments:depth');
      return;
    }
    const depth = p.depth ?? 10;
    if (channel === 'book' && (typeof depth !== 'number' || !DEPTHS.includes(depth))) {
      refuse('EGeneral:Invalid arguments:depth');
      return;
    }
    if (!Array.isArray(p.symbol) || p.symbol.length === 0) {
      refuse('EGeneral:Invalid arguments:symbol');
      return;
    }
    const sub = this.subs.get(ws)!;
    for (const symbol of p.symbol as unknown[]) {
      const s = String(symbol);
      if (!this.pairs[s]) {
        refuse(`Currency pair not supported ${s}`, s);
        continue;
      }
      const has = channel === 'book' ? sub.book.has(s) : sub.trade.has(s);
      if (m.method === 'unsubscribe') {
        if (!has) {
          refuse('Subscription Not Found', s);
          continue;
        }
        if (channel === 'book') sub.book.delete(s);
        else sub.trade.delete(s);
        const result = channel === 'book' ? { channel, depth, symbol: s } : { channel, symbol: s };
        ws.send(JSON.stringify({ ...base, success: true, result }));
        continue;
      }
      if (has) {
        refuse('Already subscribed', s);
        continue;
      }
      if (channel === 'trade') {
        sub.trade.add(s);
        const result = { channel, snapshot: p.snapshot === true, symbol: s };
        ws.send(JSON.stringify({ ...base, success: true, result }));
        continue;
      }
      sub.book.set(s, depth as number);
      this.bookSubscribes.set(s, (this.bookSubscribes.get(s) ?? 0) + 1);
      const snapshot = p.snapshot !== false;
      ws.send(
        JSON.stringify({ ...base, success: true, result: { channel, depth, snapshot, symbol: s } }),
      );
      if (!snapshot) continue;
      const b = this.books.get(s)!;
      const view = {
        bids: b.bids.slice(0, depth as number),
        asks: b.asks.slice(0, depth as number),
      };
      const level = ([price, qty]: FakeLevel) => ({ price, qty });
      ws.send(
        publicJson({
          channel: 'book',
          type: 'snapshot',
          data: [
            {
              symbol: s,
              bids: view.bids.map(level),
              asks: view.asks.map(level),
              checksum: fakeChecksum(view),
            },
          ],
        }),
      );
    }
  }
}
