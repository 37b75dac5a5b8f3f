import { BrokerError } from './errors';
import { TrailRefresh } from './trail-refresh';
import { backoffDelay } from './backoff';
import { valuePosition, watchedSymbols, type PositionValue } from './marks';
import {
  NO_TRAILING,
  type BrokerBalance,
  type BrokerConnector,
  type BrokerEvent,
  type BrokerInstrument,
  type BrokerOrder,
  type BrokerPosition,
  type BrokerQuote,
  type BrokerTrailing,
} from './port';

export type SessionState = 'connecting' | 'up' | 'down' | 'disabled';

const OPEN: ReadonlySet<BrokerOrder['status']> = new Set(['pending', 'open', 'partially_filled']);
/** How many ended order ids a session remembers (placement answers lag by seconds at most). */
const ENDED_KEPT = 500;

/** `streamed` with the gaps it left (null or absent fields) taken from `answer`. */
function filledIn(answer: BrokerOrder, streamed: BrokerOrder): BrokerOrder {
  const out: Record<string, unknown> = { ...answer };
  for (const [k, v] of Object.entries(streamed)) if (v !== null && v !== undefined) out[k] = v;
  return out as unknown as BrokerOrder;
}

export interface BrokerSessionOptions {
  now: () => number;
  /** Called after every change of what the session holds (the caller coalesces). */
  onChange: () => void;
  /**
   * Called for every fill the stream reports (notifications, journals), and with `replayed`
   * for fills a sync read from the venue's history (`recentFills`): those may be old.
   */
  onFill?: (fill: Extract<BrokerEvent, { type: 'fill' }>['fill'], replayed?: boolean) => void;
  log?: { warn(obj: object, msg: string): void };
  random?: () => number;
  /** At most one price-driven `onChange` per this many ms (quotes tick faster than screens). */
  quoteThrottleMs?: number;
  /**
   * Least time between two balance re-reads caused by fills (default 1 s): a burst of fills
   * makes one read now and one after the burst, not one per fill, so reads never crowd the
   * broker's request budget (or Kraken's nonce queue) that orders need.
   */
  balancesGapMs?: number;
  /** How often open orders are re-read while one trails (default TRAIL_REFRESH_MS). */
  trailRefreshMs?: number;
}

/**
 * One broker account, live: the connector, what the broker last said (instruments,
 * balances, positions, open orders) and the connection state. The push stream keeps the
 * caches current; after the stream comes back from a drop the session re-reads everything
 * over REST, because no broker replays what was missed.
 */
export class BrokerSession {
  state: SessionState = 'connecting';
  lastError: string | null = null;
  skewMs: number | null = null;
  syncedAt: number | null = null;
  instruments: BrokerInstrument[] = [];
  balances: BrokerBalance[] = [];
  /**
   * Open positions by the broker's position id (TradeLocker and MetaTrader hedge accounts
   * hold several per symbol), or by symbol when the broker nets them.
   */
  readonly positions = new Map<string, BrokerPosition>();
  readonly orders = new Map<string, BrokerOrder>();
  /** The last price of each symbol with an open position (from `quote` events). */
  readonly quotes = new Map<string, BrokerQuote>();
  private watching: string[] = [];
  private quoteTimer: ReturnType<typeof setTimeout> | null = null;
  private quotePending = false;
  private unsubscribe: (() => void) | null = null;
  private syncing: Promise<void> | null = null;
  private syncAgain: Promise<void> | null = null;
  private streamWasDown = false;
  private stopped = false;
  /**
   * Orders the stream reported ended, most recent last (bounded): a placement answer that
   * arrives after the stream said "filled" must not bring the order back as open.
   */
  private readonly ended = new Set<string>();
  private readonly trails: TrailRefresh;

  constructor(
    readonly connector: BrokerConnector,
    private readonly o: BrokerSessionOptions,
  ) {
    this.trails = new TrailRefresh(
      {
        orders: this.orders,
        connector,
        changed: () => {
          if (!this.stopped) this.o.onChange();
        },
        log: o.log,
      },
      o.trailRefreshMs,
    );
  }

  /** Reads everything once, then follows the stream. Never throws: failures show as `down`. */
  async start(): Promise<void> {
    this.unsubscribe = this.connector.subscribe((e) => this.onEvent(e));
    await this.sync().catch(() => undefined);
  }

  /**
   * Re-reads instruments, balances, positions and open orders (one run at a time). A read
   * already in flight began before this call, so it may miss what the caller knows changed (a
   * reconnect): one more read follows it, shared by every caller meanwhile. Returning the one
   * in flight left an account `down` for good when its stream dropped and came back during a
   * slow re-sync (a rate-limited broker): the stream's `up` was answered by the old read.
   */
  sync(): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.readAll().finally(() => {
        this.syncing = null;
      });
      return this.syncing;
    }
    this.syncAgain ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.syncAgain = null;
        return this.sync();
      });
    return this.syncAgain;
  }

  private async readAll(): Promise<void> {
    try {
      const time = await this.connector.serverTime();
      if (this.instruments.length === 0) this.instruments = await this.connector.instruments();
      const [balances, positions, orders] = await Promise.all([
        this.connector.balances(),
        this.connector.positions(),
        this.connector.openOrders(),
      ]);
      if (this.stopped) return;
      this.skewMs = time.skewMs;
      this.balances = balances;
      this.setPositions(positions);
      this.orders.clear();
      for (const x of orders) this.orders.set(x.orderId, x);
      this.trails.update();
      this.syncedAt = this.o.now();
      this.state = 'up';
      this.lastError = null;
      await this.readRecentFills();
    } catch (e) {
      if (this.stopped) return;
      this.state = 'down';
      this.lastError = e instanceof BrokerError ? e.message : 'the broker could not be read';
      this.o.log?.warn({ err: e, venue: this.connector.venue }, 'broker sync failed');
      throw e;
    } finally {
      if (!this.stopped) this.o.onChange();
    }
  }

  /**
   * Hands the venue's latest fills (oldest first) to `onFill` as replayed, for venues whose
   * stream does not replay a gap. A failed read is logged, not fatal: the next sync reads again.
   */
  private async readRecentFills(): Promise<void> {
    if (!this.connector.recentFills || !this.o.onFill) return;
    try {
      const fills = await this.connector.recentFills();
      if (this.stopped) return;
      for (const f of [...fills].sort((a, b) => a.time - b.time)) this.o.onFill(f, true);
    } catch (e) {
      this.o.log?.warn({ err: e, venue: this.connector.venue }, 'reading recent fills failed');
    }
  }

  /** Re-reads positions only (before an exit decides what to close). */
  async refreshPositions(): Promise<BrokerPosition[]> {
    const positions = await this.connector.positions();
    this.setPositions(positions);
    this.o.onChange();
    return positions;
  }

  private setPositions(positions: BrokerPosition[]) {
    this.positions.clear();
    for (const p of positions) this.positions.set(positionKey(p), p);
    this.watchPrices();
  }

  /**
   * Asks the connector for the prices of exactly the symbols held, when the set changed,
   * and forgets the prices of symbols no longer held (a stale price is worse than none).
   */
  private watchPrices(): void {
    this.valued = null; // every change of the positions ends here
    const symbols = watchedSymbols(this.positions.values());
    if (symbols.join('\n') === this.watching.join('\n')) return;
    this.watching = symbols;
    for (const s of this.quotes.keys()) if (!symbols.includes(s)) this.quotes.delete(s);
    try {
      this.connector.watchQuotes?.(symbols);
    } catch (e) {
      this.o.log?.warn({ err: e, venue: this.connector.venue }, 'watching prices failed');
    }
  }

  /** A price of a held symbol: kept, and shown at most once per throttle window. */
  private onQuote(q: BrokerQuote): void {
    if (!this.watching.includes(q.symbol)) return;
    this.quotes.set(q.symbol, q);
    this.valued = null;
    if (this.quoteTimer) {
      this.quotePending = true;
      return;
    }
    this.o.onChange();
    this.quoteTimer = setTimeout(() => {
      this.quoteTimer = null;
      if (this.quotePending && !this.stopped) {
        this.quotePending = false;
        this.o.onChange();
      }
    }, this.o.quoteThrottleMs ?? 250);
    this.quoteTimer.unref?.();
  }

  /**
   * The trailing stops this broker places natively (`brokers.state.trailing`, the checks of
   * `brokers.place` and of alerts): the connector's word, or none at all when it says nothing.
   */
  get trailing(): BrokerTrailing {
    return this.connector.trailing ?? NO_TRAILING;
  }

  /** The open positions on a symbol (several on hedging brokers). */
  positionsOn(symbol: string): BrokerPosition[] {
    return [...this.positions.values()].filter((p) => p.symbol === symbol);
  }

  /**
   * Open positions with their mark and unrealised P&L in the account's currency. Kept until
   * a position, a price or the instruments change: the risk rules ask for it on every alert,
   * and a hedging account can hold hundreds of positions.
   */
  valuedPositions(accountCurrency: string): ReadonlyArray<BrokerPosition & PositionValue> {
    const v = this.valued;
    if (v && v.currency === accountCurrency && v.instruments === this.instruments) return v.rows;
    const rows = [...this.positions.values()].map((p) => ({
      ...p,
      ...valuePosition(p, this.quotes.get(p.symbol), this.instrument(p.symbol), accountCurrency),
    }));
    this.valued = { currency: accountCurrency, instruments: this.instruments, rows };
    return rows;
  }

  private valued: {
    currency: string;
    instruments: BrokerInstrument[];
    rows: ReadonlyArray<BrokerPosition & PositionValue>;
  } | null = null;

  /** By symbol, built from `instruments` on first use after it changed (asked per position). */
  private bySymbol: { from: BrokerInstrument[]; map: Map<string, BrokerInstrument> } | null = null;

  instrument(symbol: string): BrokerInstrument | undefined {
    if (this.bySymbol?.from !== this.instruments) {
      const map = new Map<string, BrokerInstrument>();
      for (const i of this.instruments) if (!map.has(i.symbol)) map.set(i.symbol, i); // first wins
      this.bySymbol = { from: this.instruments, map };
    }
    return this.bySymbol.map.get(symbol);
  }

  /** Records an order the caller placed or changed (before the stream says so). */
  /**
   * Records an order Bourse placed, from the broker's answer to the request. The stream can
   * be ahead of that answer (it may already have reported the order, with what the broker
   * computed, such as a trailing stop's trigger, or even its fill): what the stream said
   * wins, and the answer only fills in what it left out.
   */
  noteOrder(order: BrokerOrder): void {
    if (this.ended.has(order.orderId)) return;
    const streamed = this.orders.get(order.orderId);
    const known = streamed ? filledIn(order, streamed) : order;
    if (OPEN.has(known.status)) this.orders.set(known.orderId, known);
    else this.orders.delete(known.orderId);
    this.trails.update();
    this.o.onChange();
  }

  private noteEnded(orderId: string): void {
    this.ended.delete(orderId);
    this.ended.add(orderId);
    if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.values().next().value!);
  }

  private onEvent(e: BrokerEvent): void {
    if (this.stopped) return;
    if (e.type === 'quote') return this.onQuote(e.quote);
    switch (e.type) {
      case 'connection':
        if (e.state === 'down') {
          this.streamWasDown = true;
          this.state = 'down';
          this.lastError = e.reason ?? 'the stream dropped';
        } else if (e.state === 'up' && this.streamWasDown) {
          this.streamWasDown = false;
          void this.resync();
        } else if (e.state === 'up' && this.state !== 'up' && this.syncedAt !== null) {
          this.state = 'up';
          this.lastError = null;
        }
        break;
      case 'order':
        if (OPEN.has(e.order.status)) this.orders.set(e.order.orderId, e.order);
        else {
          this.orders.delete(e.order.orderId);
          this.noteEnded(e.order.orderId);
        }
        this.trails.update();
        break;
      case 'fill':
        this.o.onFill?.(e.fill);
        // Not every broker streams balances (Kraken's executions, TradeLocker's polling):
        // a fill moves money, so read them again unless the stream says it pushes them.
        if (!this.connector.streamsBalances) this.refreshBalances();
        break;
      case 'position':
        this.positions.set(positionKey(e.position), e.position);
        this.watchPrices();
        break;
      case 'position_closed':
        for (const [k, p] of this.positions) if (p.symbol === e.symbol) this.positions.delete(k);
        this.watchPrices();
        break;
      case 'balances':
        this.balances = e.balances;
        break;
    }
    this.o.onChange();
  }

  /** After a reconnect: read everything again, retrying with jitter while the broker is down. */
  private async resync(): Promise<void> {
    for (let attempt = 0; !this.stopped && attempt < 6; attempt++) {
      try {
        await this.sync();
        return;
      } catch {
        const wait = backoffDelay(attempt, { baseMs: 500, maxMs: 15_000, random: this.o.random });
        await new Promise((r) => setTimeout(r, wait).unref?.());
      }
    }
  }

  private balancesReading: Promise<void> | null = null;
  private balancesAgain = false;
  private balancesTimer: ReturnType<typeof setTimeout> | null = null;

  /** One balances read at a time; fills during it (or the gap after it) ask for one more, a gap later. */
  private refreshBalances(): void {
    if (this.balancesReading || this.balancesTimer) {
      this.balancesAgain = true;
      return;
    }
    this.balancesReading = this.connector
      .balances()
      .then((b) => {
        if (this.stopped) return;
        this.balances = b;
        this.o.onChange();
      })
      .catch(() => undefined)
      .finally(() => {
        this.balancesReading = null;
        if (this.balancesAgain && !this.stopped) {
          this.balancesAgain = false;
          this.balancesTimer = setTimeout(() => {
            this.balancesTimer = null;
            // This read covers every fill until now, those of the gap included.
            this.balancesAgain = false;
            this.refreshBalances();
          }, this.o.balancesGapMs ?? 1_000);
          this.balancesTimer.unref?.();
        }
      });
  }

  markDisabled(): void {
    this.state = 'disabled';
    this.o.onChange();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.trails.stop();
    if (this.quoteTimer) clearTimeout(this.quoteTimer);
    if (this.balancesTimer) clearTimeout(this.balancesTimer);
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.connector.close();
  }
}

const positionKey = (p: BrokerPosition) => p.positionId ?? `symbol:${p.symbol}`;
