import type {
  BrokerDeps,
  BrokerEvent,
  BrokerFill,
  BrokerOrder,
  BrokerPosition,
  BrokerQuote,
} from '../broker/port';

/** What one poll reads; each is one REST call. */
export interface PollSources {
  orders(): Promise<BrokerOrder[]>;
  history(): Promise<BrokerOrder[]>;
  positions(): Promise<BrokerPosition[]>;
  fills(): Promise<BrokerFill[]>;
  /** Prices of the watched symbols; one that cannot be read is left out (never fails a poll). */
  quotes(): Promise<BrokerQuote[]>;
}

interface Snapshot {
  orders: Map<string, BrokerOrder>;
  positions: Map<string, BrokerPosition>;
  fills: BrokerFill[];
  fillIds: Set<string>;
  /** orderId → client order id, to name the order of a fill. */
  clientIds: Map<string, string | null>;
}

// Its stop-loss and take-profit are in the key: they can be changed on a working order.
const orderKey = (o: BrokerOrder) =>
  [o.status, o.qty, o.filledQty, o.price, o.stopPrice, JSON.stringify(o.closes ?? null)].join('|');
// The broker's P&L is in the key: it moves with the price, and screens show it live.
const positionKey = (p: BrokerPosition) => [p.side, p.qty, p.avgPrice, p.unrealisedPnl].join('|');
const positionId = (p: BrokerPosition) => p.positionId ?? `${p.symbol}:${p.side}`;

/**
 * The port's push stream over REST polling (TradeLocker's socket.io Streams API needs a
 * developer key and its messages are partly undocumented). Every `intervalMs` it reads
 * working orders, positions and executions and emits what changed since the last poll: new
 * fills, order changes (an order that left the working list, or filled without ever being in
 * it, is looked up in ordersHistory for its final status and client id), positions opened or changed, and `position_closed` when a symbol has
 * none left; then the prices of the symbols the session watches, when they moved. A failed
 * poll reports `down`; the next good one reports `up` and takes a fresh
 * baseline without replaying, as the port requires.
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private last: Snapshot | null = null;
  private state: 'connecting' | 'up' | 'down' = 'connecting';
  /** The last price sent per symbol: an unchanged one is not sent again. */
  private readonly sentQuotes = new Map<string, string>();

  constructor(
    private readonly src: PollSources,
    private readonly emit: (e: BrokerEvent) => void,
    private readonly intervalMs: number,
    private readonly log?: BrokerDeps['log'],
  ) {}

  start(): void {
    this.emit({ type: 'connection', state: 'connecting' });
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    try {
      const next = await this.read();
      if (this.stopped) return;
      if (this.state !== 'up') {
        this.state = 'up';
        this.emit({ type: 'connection', state: 'up' });
      } else if (this.last) {
        await this.diff(this.last, next);
      }
      this.last = next;
      await this.prices();
    } catch (e) {
      if (this.stopped) return;
      const reason = e instanceof Error ? e.message : 'poll failed';
      if (this.state !== 'down') {
        this.state = 'down';
        this.last = null;
        this.log?.warn({ venue: 'tradelocker', reason }, 'polling failed');
        this.emit({ type: 'connection', state: 'down', reason });
      }
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }

  /** Emits the watched symbols' prices that moved since the last poll. */
  private async prices(): Promise<void> {
    for (const q of await this.src.quotes()) {
      if (this.stopped) return;
      const key = [q.bid, q.ask, q.last].join('|');
      if (this.sentQuotes.get(q.symbol) === key) continue;
      this.sentQuotes.set(q.symbol, key);
      this.emit({ type: 'quote', quote: q });
    }
  }

  private async read(): Promise<Snapshot> {
    const orders = await this.src.orders();
    const positions = await this.src.positions();
    const fills = await this.src.fills();
    const snap: Snapshot = {
      orders: new Map(orders.map((o) => [o.orderId, o])),
      positions: new Map(positions.map((p) => [positionId(p), p])),
      fills,
      fillIds: new Set(fills.map((f) => f.fillId)),
      clientIds: new Map(orders.map((o) => [o.orderId, o.clientOrderId])),
    };
    return snap;
  }

  private async diff(prev: Snapshot, next: Snapshot): Promise<void> {
    for (const [id, c] of prev.clientIds) if (!next.clientIds.has(id)) next.clientIds.set(id, c);
    const fresh = next.fills.filter((f) => !prev.fillIds.has(f.fillId));
    const gone = [...prev.orders.keys()].filter((id) => !next.orders.has(id));
    // Orders that filled between two polls (a market order) were never in the working list:
    // their final state and client id are in the history, read once for this poll.
    const unseen = [...new Set(fresh.map((f) => f.orderId))].filter(
      (id) => !prev.orders.has(id) && !next.orders.has(id),
    );
    const history =
      gone.length + unseen.length > 0
        ? new Map((await this.src.history()).map((o) => [o.orderId, o]))
        : new Map<string, BrokerOrder>();
    for (const id of unseen) {
      const o = history.get(id);
      if (o && !next.clientIds.has(id)) next.clientIds.set(id, o.clientOrderId);
    }
    for (const f of fresh) {
      const clientOrderId = f.clientOrderId ?? next.clientIds.get(f.orderId) ?? null;
      this.emit({ type: 'fill', fill: { ...f, clientOrderId } });
    }
    for (const [id, o] of next.orders) {
      const before = prev.orders.get(id);
      if (!before || orderKey(before) !== orderKey(o)) this.emit({ type: 'order', order: o });
    }
    for (const id of [...gone, ...unseen]) {
      const final = history.get(id);
      if (final) this.emit({ type: 'order', order: final });
    }
    for (const [id, p] of next.positions) {
      const before = prev.positions.get(id);
      if (!before || positionKey(before) !== positionKey(p))
        this.emit({ type: 'position', position: p });
    }
    const symbolsNow = new Set([...next.positions.values()].map((p) => p.symbol));
    const closed = new Set(
      [...prev.positions.values()].map((p) => p.symbol).filter((s) => !symbolsNow.has(s)),
    );
    for (const symbol of closed) this.emit({ type: 'position_closed', symbol });
  }
}
