import type {
  BrokerCandle,
  BrokerConnector,
  BrokerDefinition,
  BrokerEvent,
  BrokerFill,
  BrokerOrder,
  BrokerPosition,
  BrokerQuote,
} from '../../src-main/connectors/broker/port';
import { BrokerError } from '../../src-main/connectors/broker/errors';

/**
 * An in-process broker for tests of what sits ABOVE the broker port (accounts, automation,
 * the screens). It is strict about what the port promises — credentials are checked, a
 * client order id is unique per account, only open orders cancel, closes need a position —
 * but speaks no wire protocol: each real connector has its own protocol fake beside it.
 *
 * Credentials: `apiKey` `good` trades; `withdraw` can also withdraw; anything else is refused.
 */
export class MemoryBroker {
  readonly orders = new Map<string, BrokerOrder>();
  readonly positions = new Map<string, BrokerPosition>();
  balances = [{ asset: 'USD', total: '10000', available: '10000' }];
  /** Prices market orders fill at, per symbol. */
  readonly prices = new Map<string, string>([
    ['EURUSD', '1.1000'],
    ['MNQ', '21000.25'],
  ]);
  /** Set to make every call fail as the broker being down. */
  down = false;
  /** The next place is accepted but its answer lost. */
  loseNextPlaceAnswer = false;
  /** Every place answered with this rejection. */
  rejectWith: string | null = null;
  placed = 0;
  /** The symbol (or undefined: all) of each cancelAll call, in order. */
  cancelAllCalls: Array<string | undefined> = [];
  /** The broker's own day P&L (null: it does not report one), and how often it was asked. */
  dayPnl: string | null = null;
  dayPnlAsked = 0;
  /** The symbols the session last asked prices for (`watchQuotes`), and how often it asked. */
  watched: string[] = [];
  watchCalls = 0;
  /** Set before a connector is made: its stream claims to push balances. */
  streamsBalances = false;
  balancesRead = 0;
  /**
   * Price history per symbol, oldest first (bars of any interval: the fake does not
   * aggregate). Null: the broker serves no history (no `candles`), as most do not. Set it
   * before the account's session starts.
   */
  bars: Map<string, BrokerCandle[]> | null = null;
  /** How often `candles` was asked. */
  candlesAsked = 0;
  private seq = 0;
  private fillSeq = 0;
  private readonly listeners = new Set<(e: BrokerEvent) => void>();

  emit(e: BrokerEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Opens (or replaces) a position and pushes it, as the broker's stream would. */
  setPosition(p: BrokerPosition): void {
    this.positions.set(p.symbol, p);
    this.emit({ type: 'position', position: p });
  }

  /** The broker's clock (fill times). */
  clock: () => number = Date.now;
  /** Fee the fake charges per fill (USD), and the fills it reported. */
  feePerFill = '0.5';
  feeAsset = 'USD';
  readonly fills: BrokerFill[] = [];
  /** The fill id the next fill reports (`''`: none, as a venue that sends no id). */
  nextFillId: (() => string) | null = null;
  /**
   * Reports an execution of an order on the stream, as a venue's execution feed does, with an
   * id (`F<n>`) and a fee in USD.
   */
  fill(order: BrokerOrder, qty: string, price: string, time = this.clock()): BrokerFill {
    const f: BrokerFill = {
      fillId: this.nextFillId ? this.nextFillId() : `F${++this.fillSeq}`,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      qty,
      price,
      fee: this.feePerFill,
      feeAsset: this.feeAsset,
      time,
    };
    this.fills.push(f);
    this.emit({ type: 'fill', fill: f });
    return f;
  }

  /**
   * Nets a fill into the symbol's position (one per symbol, as a netting account): the same
   * way adds at the average price, the other way reduces, closes or flips it.
   */
  net(symbol: string, side: 'buy' | 'sell', qty: string, price: string): void {
    const p = this.positions.get(symbol);
    const signed = (side === 'buy' ? 1 : -1) * Number(qty);
    const held = p ? (p.side === 'long' ? 1 : -1) * Number(p.qty) : 0;
    const next = Math.round((held + signed) * 1e8) / 1e8;
    if (next === 0) {
      this.positions.delete(symbol);
      this.emit({ type: 'position_closed', symbol });
      return;
    }
    const sameWay = held === 0 || Math.sign(held) === Math.sign(signed);
    const flipped = Math.sign(next) !== Math.sign(held);
    const avg = sameWay
      ? String(
          Math.round(
            ((Math.abs(held) * Number(p?.avgPrice ?? 0) + Number(qty) * Number(price)) /
              Math.abs(next)) *
              1e8,
          ) / 1e8,
        )
      : flipped
        ? price
        : p!.avgPrice;
    this.setPosition({
      symbol,
      side: next > 0 ? 'long' : 'short',
      qty: String(Math.abs(next)),
      avgPrice: avg,
      unrealisedPnl: '0',
    });
  }

  /** Pushes a price, as the broker's market stream would (only watched symbols, like a real one). */
  quote(symbol: string, bid: string | null, ask: string | null, last: string | null = null): void {
    if (!this.watched.includes(symbol)) return;
    const quote: BrokerQuote = { symbol, bid, ask, last, at: Date.now() };
    this.emit({ type: 'quote', quote });
  }

  definition(venue = 'memory'): BrokerDefinition {
    return {
      venue,
      label: 'Memory broker (tests)',
      positions: true,
      modes: ['demo', 'live'],
      defaultCurrency: 'USDT',
      fields: [
        { name: 'server', label: 'Server', secret: false, required: true, help: 'e.g. DEMO-1' },
        { name: 'apiKey', label: 'API key', secret: true, required: true },
      ],
      create: (settings, secrets) => this.connector(venue, settings, secrets),
    };
  }

  private check(venue: string) {
    if (this.down)
      throw new BrokerError('unavailable', venue, 'cannot reach the broker (ECONNREFUSED)');
  }

  connector(
    venue: string,
    _settings: Record<string, string>,
    secrets: Record<string, string>,
  ): BrokerConnector {
    const authed = () => {
      this.check(venue);
      if (secrets.apiKey !== 'good' && secrets.apiKey !== 'withdraw')
        throw new BrokerError('auth', venue, 'the broker refused the API key', 'invalid key');
    };
    const open = () => [...this.orders.values()].filter((o) => o.status === 'open');
    return {
      venue,
      streamsBalances: this.streamsBalances,
      testConnection: async () => {
        authed();
        return {
          account: { id: 'ACC-1', name: 'Memory account', currency: 'USD' },
          permissions: { read: true, trade: true, withdraw: secrets.apiKey === 'withdraw' },
          skewMs: 12,
          serverTime: Date.now(),
          notes: ['simulated account'],
        };
      },
      serverTime: async () => (authed(), { serverTime: Date.now(), skewMs: 12 }),
      instruments: async () => (
        authed(),
        [
          {
            symbol: 'EURUSD',
            venueId: '101',
            kind: 'forex',
            tickSize: '0.0001',
            lotSize: '0.01',
            minQty: '0.01',
          },
          {
            symbol: 'MNQ',
            venueId: 'CON.F.US.MNQ.Z26',
            aliases: ['MNQ1!'],
            kind: 'future',
            tickSize: '0.25',
            tickValue: '0.5',
            lotSize: '1',
            minQty: '1',
          },
        ]
      ),
      balances: async () => (authed(), this.balancesRead++, this.balances),
      positions: async () => (authed(), [...this.positions.values()]),
      openOrders: async () => (authed(), open()),
      findOrder: async (id) => (
        authed(),
        [...this.orders.values()].find((o) => o.clientOrderId === id) ?? null
      ),
      place: async (r) => {
        authed();
        if ([...this.orders.values()].some((o) => o.clientOrderId === r.clientOrderId))
          throw new BrokerError('rejected', venue, 'duplicate client order id');
        if (this.rejectWith) throw new BrokerError('rejected', venue, this.rejectWith);
        const market = r.type === 'market';
        const order: BrokerOrder = {
          orderId: `M${++this.seq}`,
          clientOrderId: r.clientOrderId,
          symbol: r.symbol,
          side: r.side,
          type: r.type,
          qty: r.qty,
          filledQty: market ? r.qty : '0',
          price: r.price ?? null,
          stopPrice: r.stopPrice ?? null,
          avgPrice: market ? (this.prices.get(r.symbol) ?? '1') : null,
          status: market ? 'filled' : 'open',
        };
        this.orders.set(order.orderId, order);
        this.placed++;
        if (market) {
          this.fill(order, r.qty, order.avgPrice!);
          this.net(r.symbol, r.side, r.qty, order.avgPrice!);
        }
        this.emit({ type: 'order', order });
        if (this.loseNextPlaceAnswer) {
          this.loseNextPlaceAnswer = false;
          throw new BrokerError(
            'unknown_outcome',
            venue,
            'no answer within 10 ms; the request may have reached the broker',
          );
        }
        return order;
      },
      amend: async (r) => {
        authed();
        const o = this.orders.get(r.orderId);
        if (!o || o.status !== 'open')
          throw new BrokerError('invalid', venue, 'unknown or closed order');
        Object.assign(o, {
          ...(r.qty ? { qty: r.qty } : {}),
          ...(r.price ? { price: r.price } : {}),
        });
        return o;
      },
      cancel: async (id) => {
        authed();
        const o = this.orders.get(id);
        if (!o || o.status !== 'open')
          throw new BrokerError('invalid', venue, `order ${id} is not open`);
        o.status = 'cancelled';
        this.emit({ type: 'order', order: o });
      },
      cancelAll: async (symbol) => {
        authed();
        this.cancelAllCalls.push(symbol);
        let n = 0;
        for (const o of open()) {
          if (symbol && o.symbol !== symbol) continue;
          o.status = 'cancelled';
          this.emit({ type: 'order', order: o });
          n++;
        }
        return n;
      },
      closePosition: async (symbol, qty) => {
        authed();
        const p = this.positions.get(symbol);
        if (!p) throw new BrokerError('invalid', venue, `no position on ${symbol}`);
        if (qty && Number(qty) < Number(p.qty)) {
          p.qty = (Number(p.qty) - Number(qty)).toString();
          this.emit({ type: 'position', position: p });
        } else {
          this.positions.delete(symbol);
          this.emit({ type: 'position_closed', symbol });
        }
        return null;
      },
      subscribe: (l) => {
        this.listeners.add(l);
        queueMicrotask(() => l({ type: 'connection', state: 'up' }));
        return () => this.listeners.delete(l);
      },
      close: async () => undefined,
      watchQuotes: (symbols) => {
        this.watched = [...symbols];
        this.watchCalls++;
      },
      ...(this.bars !== null
        ? {
            candles: async (symbol: string, _intervalMin: number, sinceMs?: number) => {
              authed();
              this.candlesAsked++;
              return (this.bars?.get(symbol) ?? []).filter(
                (b) => sinceMs === undefined || b.time >= sinceMs,
              );
            },
          }
        : {}),
      ...(this.dayPnl !== null
        ? {
            realisedPnlSince: async () => {
              authed();
              this.dayPnlAsked++;
              return this.dayPnl!;
            },
          }
        : {}),
    };
  }
}
