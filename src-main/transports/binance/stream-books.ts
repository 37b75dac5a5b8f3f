/**
 * Depth and book-ticker streams are fed by snapshots of a market's top 20, read through the
 * catalogue (`marketData.depth`) when the book changed: one read at a time per market, with the
 * changes that arrive meanwhile coalesced into one more read.
 */
import type { Logger } from '../../observability/logger';
import { send, type Conn } from './stream-connection';
import { bookEvent, type Depth } from './stream-events';
import { isBookSubscription, type BookSubscription } from './stream-names';

export class BookSnapshots {
  private readonly markets = new Map<string, { running: boolean; again: boolean }>();

  constructor(
    private readonly depth: (symbol: string) => Promise<Depth>,
    private readonly conns: ReadonlySet<Conn>,
    private readonly log: Logger,
  ) {}

  /** The market's book changed: read a snapshot for its subscribers (or once more after this one). */
  refresh(symbol: string): void {
    let state = this.markets.get(symbol);
    if (!state) this.markets.set(symbol, (state = { running: false, again: false }));
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    const s = state;
    this.run(symbol, s).catch((err: unknown) => {
      s.running = false;
      this.log.warn({ err, symbol }, 'binance streams: depth snapshot failed');
    });
  }

  private async run(symbol: string, s: { running: boolean; again: boolean }): Promise<void> {
    do {
      s.again = false;
      const d = await this.depth(symbol);
      for (const conn of this.conns) {
        for (const [name, sub] of conn.streams) {
          if (isBookSubscription(sub) && sub.market.symbol === symbol) {
            this.deliver(conn, name, sub, d);
          }
        }
      }
    } while (s.again);
    s.running = false;
  }

  /** A new subscription's first snapshot, sent even if the connection saw this top before. */
  async first(conn: Conn, name: string, sub: BookSubscription): Promise<void> {
    conn.lastBook.delete(name);
    const d = await this.depth(sub.market.symbol);
    if (conn.streams.get(name) === sub) this.deliver(conn, name, sub, d);
  }

  private deliver(conn: Conn, name: string, sub: BookSubscription, d: Depth): void {
    const payload = bookEvent(sub, d);
    // The same top as last time is not news (the snapshot's sequence aside).
    const { lastUpdateId: _l, u: _u, ...shape } = payload;
    const key = JSON.stringify(shape);
    if (conn.lastBook.get(name) === key) return;
    conn.lastBook.set(name, key);
    send(conn, name, payload);
  }
}
