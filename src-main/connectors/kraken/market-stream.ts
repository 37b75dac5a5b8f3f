import { crc32 } from 'node:zlib';
import { compareDecimal } from '../../../src-shared/decimal';
import { backoffDelay } from '../broker/backoff';
import type { BrokerDeps } from '../broker/port';
import { decimalOf, parseKrakenJson, RawNumber } from './json';
import { KrakenSocket } from './socket';

/** The depths Kraken's v2 `book` channel accepts. */
export const BOOK_DEPTHS = [10, 25, 100, 500, 1000] as const;
export type BookDepth = (typeof BOOK_DEPTHS)[number];

/** One price level: exact decimal strings (canonical: no trailing zeros). */
export interface BookLevel {
  price: string;
  qty: string;
}

/** Decimals of a pair's prices and quantities (AssetPairs `pair_decimals`, `lot_decimals`). */
export interface PairPrecision {
  price: number;
  qty: number;
}

export type KrakenMarketEvent =
  | { type: 'connection'; state: 'connecting' | 'up' | 'down'; reason?: string }
  /** The top `depth` levels after a snapshot or an update whose checksum matched. */
  | {
      type: 'book';
      symbol: string;
      bids: BookLevel[];
      asks: BookLevel[];
      checksum: number;
      time: number | null;
    }
  | {
      type: 'trade';
      symbol: string;
      side: 'buy' | 'sell';
      price: string;
      qty: string;
      tradeId: number | null;
      ordType: string | null;
      time: number | null;
    }
  /** A checksum mismatch: the book is dropped and re-requested (fresh snapshot). */
  | { type: 'resync'; symbol: string; reason: string }
  /** Kraken refused a subscription (unknown symbol, bad depth…): not retried. */
  | { type: 'refused'; channel: string; symbol: string | null; reason: string };

export interface KrakenMarketStreamOptions {
  /** Public endpoint, `wss://ws.kraken.com/v2`. */
  url: string;
  /** v2 symbols (`BTC/USD`). */
  symbols: string[];
  depth: BookDepth;
  deps: BrokerDeps;
  /** Ping period; a connection silent for two periods is dropped and reopened. */
  pingMs: number;
  /**
   * The pairs' precisions, for the checksum: Kraken hashes prices and quantities with all
   * their decimals (`0.00100000`), which a JSON number read without its source text (Node
   * < 21) has lost. Loaded before each connection until it succeeds; without it the text as
   * received is hashed.
   */
  precisions?: () => Promise<Map<string, PairPrecision>>;
}

/** A level as kept: canonical decimal plus the text Kraken sent (for the checksum). */
interface Level extends BookLevel {
  rawPrice: string;
  rawQty: string;
}

interface Book {
  bids: Level[]; // best (highest) first
  asks: Level[]; // best (lowest) first
  /** Waiting for a fresh snapshot after a mismatch: updates are ignored meanwhile. */
  resyncing: boolean;
  ready: boolean;
  /** Mismatches since the last update that verified: spaces out repeated resyncs. */
  mismatches: number;
}

interface WireLevel {
  price?: unknown;
  qty?: unknown;
}

interface WireMessage {
  method?: string;
  success?: boolean;
  error?: string;
  symbol?: string;
  result?: { channel?: string; symbol?: string };
  channel?: string;
  type?: string;
  data?: unknown[];
}

/** A level's price or qty text for the checksum: `.` removed, leading zeros stripped. */
function checksumPart(text: string, decimals: number | undefined): string {
  let t = text;
  if (decimals !== undefined) {
    const [w, f = ''] = t.split('.');
    if (f.length < decimals) t = decimals > 0 ? `${w}.${f.padEnd(decimals, '0')}` : (w ?? t);
  }
  return t.replace('.', '').replace(/^0+/, '');
}

/**
 * Kraken's v2 book checksum (notes §1.10, Kraken's "Book checksum (WebSocket v2)" guide): for
 * the top 10 asks (lowest first) then the top 10 bids (highest first), price and qty with the
 * point removed and leading zeros stripped, concatenated; CRC32 as an unsigned 32-bit integer.
 * `precision` pads each value to the pair's decimals (as Kraken sends them).
 */
export function bookChecksum(
  asks: readonly { price: string; qty: string }[],
  bids: readonly { price: string; qty: string }[],
  precision?: PairPrecision,
): number {
  let s = '';
  for (const side of [asks, bids]) {
    for (const l of side.slice(0, 10)) {
      s += checksumPart(l.price, precision?.price) + checksumPart(l.qty, precision?.qty);
    }
  }
  return crc32(Buffer.from(s, 'ascii')) >>> 0;
}

/** The exact text of a number field: its source where known, else `decimalOf`'s reading. */
function rawText(v: unknown): string | null {
  if (v instanceof RawNumber && /^\d+(\.\d+)?$/.test(v.source)) return v.source;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return v;
  return decimalOf(v);
}

function levelOf(w: WireLevel): Level | null {
  const rawPrice = rawText(w.price);
  const rawQty = rawText(w.qty);
  const price = decimalOf(w.price);
  const qty = decimalOf(w.qty);
  if (rawPrice === null || rawQty === null || price === null || qty === null) return null;
  return { price, qty, rawPrice, rawQty };
}

/**
 * Inserts, replaces or (qty 0) removes a level in a side kept best first; `desc` for bids.
 * Binary search with exact decimal comparison.
 */
function applyLevel(side: Level[], l: Level, desc: boolean): void {
  let lo = 0;
  let hi = side.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareDecimal(side[mid]!.price, l.price) * (desc ? -1 : 1);
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  const same = lo < side.length && compareDecimal(side[lo]!.price, l.price) === 0;
  const zero = compareDecimal(l.qty, '0') === 0;
  if (zero) {
    if (same) side.splice(lo, 1);
  } else if (same) side[lo] = l;
  else side.splice(lo, 0, l);
}

/**
 * Kraken's public WebSocket v2 `book` (depth N, checksummed) and `trade` channels for some
 * symbols: keeps each book exactly, checks the CRC32 after every snapshot and update and, on a
 * mismatch, unsubscribes and subscribes again for a fresh snapshot (counted in `resyncs`);
 * reconnects with backoff and jitter and subscribes again. No credentials are involved.
 */
export class KrakenMarketStream {
  private started = false;
  private readonly socket: KrakenSocket<void>;
  private readonly books = new Map<string, Book>();
  private readonly listeners = new Set<(e: KrakenMarketEvent) => void>();
  private precision: Map<string, PairPrecision> | null = null;
  /** Subscriptions (`channel|symbol`) not yet answered on the current connection. */
  private pending = new Set<string>();
  private isUp = false;
  /** Books re-requested after a checksum mismatch. */
  resyncs = 0;
  constructor(private readonly o: KrakenMarketStreamOptions) {
    if (!BOOK_DEPTHS.includes(o.depth)) throw new RangeError(`unsupported book depth ${o.depth}`);
    this.socket = new KrakenSocket<void>({
      url: o.url,
      pingMs: o.pingMs,
      ...(o.deps.random ? { random: o.deps.random } : {}),
      prepare: async () => {
        await this.loadPrecisions();
        this.books.clear();
      },
      onOpen: () => this.subscribeAll(),
      onMessage: (text) => this.onMessage(text),
      onDown: (reason) => this.down(reason),
    });
  }

  /** Connections opened (the first one included). */
  get connections(): number {
    return this.socket.connections;
  }

  /** Adds a listener; returns its removal. */
  on(listener: (e: KrakenMarketEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get up(): boolean {
    return this.isUp;
  }

  /** The current top `depth` levels of a symbol's book (copies), or null before a snapshot. */
  book(symbol: string): { bids: BookLevel[]; asks: BookLevel[] } | null {
    const b = this.books.get(symbol);
    if (!b?.ready) return null;
    return { bids: b.bids.map(plain), asks: b.asks.map(plain) };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.emit({ type: 'connection', state: 'connecting' });
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
    this.isUp = false;
  }

  private emit(e: KrakenMarketEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.o.deps.log?.warn({ venue: 'kraken', err: String(err) }, 'market listener failed');
      }
    }
  }

  /** Before each connection: the pairs' decimals, once (checksums need them on Node 20). */
  private async loadPrecisions(): Promise<void> {
    if (this.precision || !this.o.precisions) return;
    try {
      this.precision = await this.o.precisions();
    } catch (e) {
      this.o.deps.log?.warn(
        { venue: 'kraken', reason: (e as Error).message },
        'Kraken pair precisions unavailable; checksums use the text as received',
      );
    }
  }

  /** A new connection: every book and trade subscription pending, books empty until snapshots. */
  private subscribeAll(): void {
    this.pending = new Set();
    for (const s of this.o.symbols) {
      this.pending.add(`book|${s}`);
      this.pending.add(`trade|${s}`);
      this.books.set(s, { bids: [], asks: [], resyncing: false, ready: false, mismatches: 0 });
    }
    this.send({ channel: 'book', symbol: this.o.symbols, depth: this.o.depth, snapshot: true });
    this.send({ channel: 'trade', symbol: this.o.symbols, snapshot: false });
  }

  private send(params: Record<string, unknown>, method = 'subscribe'): void {
    this.socket.send(method, params);
  }

  private onMessage(text: string): void {
    let m: WireMessage;
    try {
      m = parseKrakenJson(text) as WireMessage;
    } catch {
      return;
    }
    if (m.method === 'subscribe' || m.method === 'unsubscribe') return this.onAck(m);
    if (m.channel === 'book' && Array.isArray(m.data)) {
      for (const d of m.data) this.onBook(m.type === 'snapshot', d as BookData);
    } else if (m.channel === 'trade' && Array.isArray(m.data)) {
      for (const d of m.data) this.onTrade(d as TradeData);
    }
    // `status` (pushed on connect) and `heartbeat` need nothing beyond `lastSeen`.
  }

  private onAck(m: WireMessage): void {
    const channel = m.result?.channel ?? null;
    const symbol = m.result?.symbol ?? m.symbol ?? null;
    if (m.method === 'unsubscribe') {
      // A book unsubscribed for a resync is asked for again, with a fresh snapshot.
      const b = symbol ? this.books.get(symbol) : undefined;
      if (m.success && channel === 'book' && symbol && b?.resyncing) {
        // The first resync is immediate; a book that keeps failing is asked for less often.
        const wait =
          b.mismatches > 1
            ? backoffDelay(b.mismatches - 2, {
                baseMs: 1000,
                maxMs: 60_000,
                random: this.o.deps.random,
              })
            : 0;
        const generation = this.socket.generation;
        const again = () => {
          if (this.socket.generation !== generation || this.socket.isStopped) return;
          this.send({ channel: 'book', symbol: [symbol], depth: this.o.depth, snapshot: true });
        };
        if (wait === 0) again();
        else setTimeout(again, wait).unref();
      }
      return;
    }
    if (!m.success) {
      const reason = m.error ?? 'no reason';
      this.o.deps.log?.warn({ venue: 'kraken', symbol, reason }, 'Kraken subscription refused');
      this.emit({ type: 'refused', channel: channel ?? 'unknown', symbol, reason });
      // Kraken does not always say which channel a refusal is for: settle every pending
      // subscription of that symbol (or, without one, the oldest pending).
      const keys = [...this.pending].filter((k) => (symbol ? k.endsWith(`|${symbol}`) : true));
      for (const k of symbol ? keys : keys.slice(0, 1)) this.pending.delete(k);
    } else if (channel && symbol) this.pending.delete(`${channel}|${symbol}`);
    if (this.pending.size === 0 && !this.isUp) {
      this.isUp = true;
      this.socket.connected();
      this.emit({ type: 'connection', state: 'up' });
    }
  }

  private onBook(snapshot: boolean, d: BookData): void {
    const b = d.symbol ? this.books.get(d.symbol) : undefined;
    if (!b || !d.symbol) return;
    if (snapshot) {
      b.bids = [];
      b.asks = [];
      b.resyncing = false;
      b.ready = true;
    } else if (b.resyncing || !b.ready) return;
    for (const [wire, side, desc] of [
      [d.asks, b.asks, false],
      [d.bids, b.bids, true],
    ] as const) {
      for (const w of wire ?? []) {
        const l = levelOf(w);
        if (l) applyLevel(side, l, desc);
      }
      side.splice(this.o.depth);
    }
    const got = typeof d.checksum === 'number' ? d.checksum : (d.checksum as RawNumber)?.value;
    const mine = this.checksum(d.symbol, b);
    if (got !== undefined && got !== mine) {
      this.resync(d.symbol, b, `checksum ${mine} != ${got}`);
      return;
    }
    if (!snapshot) b.mismatches = 0;
    this.emit({
      type: 'book',
      symbol: d.symbol,
      bids: b.bids.map(plain),
      asks: b.asks.map(plain),
      checksum: mine,
      time: d.timestamp ? Date.parse(d.timestamp) : null,
    });
  }

  private checksum(symbol: string, b: Book): number {
    const p = this.precision?.get(symbol);
    const text = (l: Level) => ({ price: l.rawPrice, qty: l.rawQty });
    return bookChecksum(b.asks.map(text), b.bids.map(text), p);
  }

  private resync(symbol: string, b: Book, reason: string): void {
    this.resyncs++;
    b.mismatches++;
    b.resyncing = true;
    b.ready = false;
    b.bids = [];
    b.asks = [];
    this.o.deps.log?.warn({ venue: 'kraken', symbol, reason }, 'Kraken book out of sync');
    this.emit({ type: 'resync', symbol, reason });
    this.send({ channel: 'book', symbol: [symbol], depth: this.o.depth }, 'unsubscribe');
  }

  private onTrade(t: TradeData): void {
    const price = decimalOf(t.price);
    const qty = decimalOf(t.qty);
    if (!t.symbol || !price || !qty || (t.side !== 'buy' && t.side !== 'sell')) return;
    const id = t.trade_id instanceof RawNumber ? t.trade_id.value : t.trade_id;
    this.emit({
      type: 'trade',
      symbol: t.symbol,
      side: t.side,
      price,
      qty,
      tradeId: typeof id === 'number' ? id : null,
      ordType: t.ord_type ?? null,
      time: t.timestamp ? Date.parse(t.timestamp) : null,
    });
  }

  private down(reason: string): void {
    this.isUp = false;
    this.o.deps.log?.warn({ venue: 'kraken', reason }, 'Kraken market stream down; reconnecting');
    this.emit({ type: 'connection', state: 'down', reason });
  }
}

interface BookData {
  symbol?: string;
  bids?: WireLevel[];
  asks?: WireLevel[];
  checksum?: unknown;
  timestamp?: string;
}

interface TradeData {
  symbol?: string;
  side?: string;
  price?: unknown;
  qty?: unknown;
  trade_id?: unknown;
  ord_type?: string;
  timestamp?: string;
}

const plain = (l: Level): BookLevel => ({ price: l.price, qty: l.qty });
