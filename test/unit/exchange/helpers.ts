import type {
  Command,
  EngineEvent,
  EngineMarketConfig,
  MatchingEngine,
  PlaceCommand,
  Side,
} from '../../../src-main/domain/exchange';
import { expect } from 'vitest';
import { OrderBook, ReferenceBook, defaultMarketConfig } from '../../../src-main/domain/exchange';

/** Both implementations, so every scenario runs against the fast book and the oracle. */
export const ENGINES: [string, (config: EngineMarketConfig) => MatchingEngine][] = [
  ['OrderBook', (c) => new OrderBook(c)],
  ['ReferenceBook', (c) => new ReferenceBook(c)],
];

/** A test market: default config with overrides. */
export function market(overrides: Partial<EngineMarketConfig> = {}): EngineMarketConfig {
  return { ...defaultMarketConfig('T'), ...overrides };
}

/** A GTC limit order (ts = id, so events are easy to follow). */
export function limit(
  id: number,
  userId: string,
  side: Side,
  price: number,
  qty: number,
  extra: Partial<PlaceCommand> = {},
): PlaceCommand {
  return { type: 'place', ts: id, orderId: id, userId, side, kind: 'limit', price, qty, ...extra };
}

/** A market order by quantity (or by quote amount with `{ qty: undefined, quoteQty }`). */
export function mkt(
  id: number,
  userId: string,
  side: Side,
  qty: number | undefined,
  extra: Partial<PlaceCommand> = {},
): PlaceCommand {
  const cmd: PlaceCommand = { type: 'place', ts: id, orderId: id, userId, side, kind: 'market' };
  if (qty !== undefined) cmd.qty = qty;
  return { ...cmd, ...extra };
}

/** Trades of a result as [price, qty, makerOrderId, takerOrderId]. */
export function trades(events: EngineEvent[]): number[][] {
  return events.flatMap((e) =>
    e.type === 'trade' ? [[e.price, e.qty, e.makerOrderId, e.takerOrderId]] : [],
  );
}

/** Cancellations of a result as [orderId, reason]. */
export function cancels(events: EngineEvent[]): [number, string][] {
  return events.flatMap((e): [number, string][] =>
    e.type === 'cancelled' ? [[e.orderId, e.reason]] : [],
  );
}

/** One side of the book as [price, qty, count] rows, best first. */
export function levels(book: MatchingEngine, side: Side): number[][] {
  return book.depth(side, 1000).map((l) => [l.price, l.qty, l.count]);
}

/** Runs setup commands, failing loudly if one is not ok. */
export function setup(book: MatchingEngine, cmds: Command[]): void {
  for (const cmd of cmds) {
    const code = book.execute(cmd);
    if (code !== 'ok') throw new Error(`setup command ${JSON.stringify(cmd)} -> ${code}`);
  }
}

/** Drives the last price: m1 rests one lot at `price`, m2 takes it (ids from `next`). */
export class Tape {
  private id = 1000;
  constructor(private readonly book: MatchingEngine) {}
  tradeAt(price: number): EngineEvent[] {
    const id = this.id;
    this.id += 2;
    const a = this.book.run(limit(id, 'm1', 'sell', price, 1));
    const b = this.book.run(limit(id + 1, 'm2', 'buy', price, 1, { tif: 'IOC' }));
    expect(b.events.some((e) => e.type === 'trade' && e.price === price)).toBe(true);
    return [...a.events, ...b.events];
  }
  /** Trades at each price in turn; returns every event. */
  path(...prices: number[]): EngineEvent[] {
    return prices.flatMap((p) => this.tradeAt(p));
  }
}
