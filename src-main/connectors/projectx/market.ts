import { HubConnectionState, type HubConnection } from '@microsoft/signalr';
import { backoffDelay } from '../broker/backoff';
import type { BrokerDeps, BrokerEvent, BrokerInstrument, BrokerQuote } from '../broker/port';
import { mergeQuote } from './events';
import { HubLoop, redact, unwrap, type HubLoopOptions } from './hub-loop';
import type { ContractBook } from './instruments';
import { VENUE, type WireQuote } from './protocol';

/**
 * Live quotes of the watched symbols from the SignalR market hub (`/hubs/market`). The hub is
 * connected only while some symbol is watched and some `subscribe()` listener listens; each
 * connection subscribes the whole watched set again (subscriptions do not survive a reconnect)
 * and a change of the set (un)subscribes the difference on the live connection. Its state is
 * NOT the account's stream state: a market-hub failure is logged and retried, never reported
 * as a `connection` event (orders and fills travel on the user hub).
 */

export interface MarketFeedOptions {
  loop: Pick<
    HubLoopOptions,
    'hubUrl' | 'timeoutMs' | 'serverTimeoutMs' | 'token' | 'confirmedToken' | 'relogin'
  >;
  /** The contract catalogue symbols are resolved through. */
  book(): Promise<ContractBook>;
  /** Delivers a quote event to every listener. */
  emit(event: BrokerEvent): void;
  deps: BrokerDeps;
}

/** How often a failed contract-list read behind `watch` is tried again. */
const RESOLVE_ATTEMPTS = 5;

/** The subscriptions made on one connection (a new connection starts with none). */
interface Subscriptions {
  conn: HubConnection;
  contracts: Set<string>;
  /** Contracts the hub refused on this connection: not asked again until the next one. */
  refused: Set<string>;
}

export class MarketFeed {
  /** Watched contracts: contract id → instrument (its Bourse symbol and tick size). */
  private watched = new Map<string, BrokerInstrument>();
  private readonly quotes = new Map<string, BrokerQuote>();
  private version = 0;
  private listening = false;
  private closed = false;
  private loop: HubLoop | null = null;
  private subs: Subscriptions | null = null;
  /** Subscription changes run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly o: MarketFeedOptions) {}

  /** Replaces the watched set (by any name the catalogue knows; others are logged, skipped). */
  watch(symbols: string[]): void {
    const version = ++this.version;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    void this.resolve([...new Set(symbols)], version, 0);
  }

  /** Whether any `subscribe()` listener exists. */
  listen(on: boolean): void {
    this.listening = on;
    this.reconcile();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.version++;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.quotes.clear();
    await this.stopLoop();
  }

  private async resolve(symbols: string[], version: number, attempt: number): Promise<void> {
    let book: ContractBook;
    try {
      book = await this.o.book();
    } catch (e) {
      if (version !== this.version) return;
      const reason = redact(e instanceof Error ? e.message : String(e));
      this.warn({ reason, attempt }, 'market hub: cannot read the contract list for quotes');
      if (attempt + 1 >= RESOLVE_ATTEMPTS) return;
      const delay = backoffDelay(attempt, {
        baseMs: 1_000,
        ...(this.o.deps.random ? { random: this.o.deps.random } : {}),
      });
      this.retry = setTimeout(() => void this.resolve(symbols, version, attempt + 1), delay);
      return;
    }
    if (version !== this.version || this.closed) return;
    const watched = new Map<string, BrokerInstrument>();
    for (const symbol of symbols) {
      const instrument = book.resolve(symbol);
      if (instrument) watched.set(instrument.venueId, instrument);
      else this.warn({ symbol }, 'market hub: unknown symbol, no quotes for it');
    }
    for (const id of this.quotes.keys()) if (!watched.has(id)) this.quotes.delete(id);
    this.watched = watched;
    this.reconcile();
  }

  /** Connects, disconnects or adjusts the subscriptions to match the watched set. */
  private reconcile(): void {
    if (this.closed) return;
    const wanted = this.listening && this.watched.size > 0;
    if (!wanted) return void this.stopLoop();
    if (!this.loop) return this.startLoop();
    const conn = this.loop.live();
    if (conn) void this.sync(conn).catch(() => undefined);
  }

  private startLoop(): void {
    const loop = new HubLoop({
      ...this.o.loop,
      name: 'market',
      register: (conn) => conn.on('GatewayQuote', (...args: unknown[]) => this.onQuote(args)),
      subscribeAll: (conn) => {
        this.subs = { conn, contracts: new Set(), refused: new Set() };
        return this.sync(conn);
      },
      onState: (state, reason) => {
        if (state === 'down') this.warn({ reason }, 'market hub connection lost; reconnecting');
        // Changes made while the connection was being subscribed.
        if (state === 'up' && loop.live()) void this.sync(loop.live()!).catch(() => undefined);
      },
      deps: this.o.deps,
    });
    this.loop = loop;
    loop.start();
  }

  private async stopLoop(): Promise<void> {
    const loop = this.loop;
    this.loop = null;
    this.subs = null;
    await loop?.stop();
  }

  /** Queues a diff of the watched set against the subscriptions of `conn`. */
  private sync(conn: HubConnection): Promise<void> {
    const run = this.queue.then(() => this.diff(conn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async diff(conn: HubConnection): Promise<void> {
    const subs = this.subs;
    if (!subs || subs.conn !== conn) return;
    for (const id of [...subs.contracts]) {
      if (this.watched.has(id)) continue;
      await this.call(subs, 'UnsubscribeContractQuotes', id);
      subs.contracts.delete(id);
    }
    for (const id of [...this.watched.keys()]) {
      if (subs.contracts.has(id) || subs.refused.has(id)) continue;
      if (await this.call(subs, 'SubscribeContractQuotes', id)) subs.contracts.add(id);
      else subs.refused.add(id);
    }
  }

  /**
   * One hub call: false when the hub refused it (logged); throws when the connection went,
   * which fails a connection attempt (the loop then reconnects).
   */
  private async call(subs: Subscriptions, method: string, contractId: string): Promise<boolean> {
    try {
      await subs.conn.invoke(method, contractId);
      return true;
    } catch (e) {
      if (subs.conn.state !== HubConnectionState.Connected) throw e;
      const reason = redact(e instanceof Error ? e.message : String(e));
      this.warn({ method, contractId, reason }, 'market hub refused a call');
      return false;
    }
  }

  /**
   * `GatewayQuote(contractId, data)` as documented; one community client also handles a lone
   * `data` (unverified), which is matched by its `symbol` (`F.US.MNQ`) when exactly one
   * watched contract has that root.
   */
  private onQuote(args: unknown[]): void {
    const payload = args.length >= 2 ? args[1] : args[0];
    const data = unwrap<WireQuote>(payload);
    if (!data || typeof data !== 'object') return;
    const instrument =
      args.length >= 2
        ? typeof args[0] === 'string'
          ? this.watched.get(args[0])
          : undefined
        : this.bySymbolId(data.symbol);
    // A quote of a contract no longer watched (sent before our unsubscribe arrived).
    if (!instrument) return;
    const quote = mergeQuote(this.quotes.get(instrument.venueId), data, instrument, this.now());
    if (!quote) return;
    this.quotes.set(instrument.venueId, quote);
    this.o.emit({ type: 'quote', quote });
  }

  private bySymbolId(symbolId: string | undefined): BrokerInstrument | undefined {
    const root = symbolId?.split('.').pop();
    const hits = [...this.watched.values()].filter((i) => root && i.symbol === root);
    return hits.length === 1 ? hits[0] : undefined;
  }

  private now(): number {
    return this.o.deps.now();
  }

  private warn(obj: object, msg: string): void {
    this.o.deps.log?.warn({ venue: VENUE, hub: 'market', ...obj }, msg);
  }
}
