import { AppError } from '../../../src-shared/contract';
import { triggersOnRise } from '../../../src-shared/contract/exchange';
import { compactSystemHistory, type CompactionOptions, type CompactionReport } from './history';
import type { DatabaseHandle } from '../../db/database';
import { OrderBook, type BookSnapshot, type OpenOrder } from '../../domain/exchange';
import { available, held, parseAccountId } from '../../domain/ledger';
import {
  compileMarket,
  DEFAULT_ASSETS,
  DEFAULT_MARKETS,
  type Asset,
  type MarketSpec,
} from '../../domain/markets';
import type { EventHub } from '../../events/hub';
import type { Logger } from '../../observability/logger';
import type { JournalEntry } from '../../domain/ledger';
import type {
  CancelAllReason,
  CommandOutcome,
  EngineEventsListener,
  HoldSource,
  ExchangeApi,
  ExchangeCommand,
  Holding,
  LedgerTx,
  OrderRef,
  OrderView,
  PlaceInput,
  PlaceOcoInput,
  PlacedList,
} from './api';
import { cancelAllOrders, cancelOrder, engineError, findOpen, placeOrder } from './commands';
import { engineConfigOf } from './markets';
import { OrderListStore } from './order-list-store';
import { placeOcoList } from './order-lists';
import { ExchangePersistence, type BatchWrites } from './persistence';
import { Batch, clientKey, ExchangeState } from './state';
import type { MarketRuntime, OrderState } from './types';
import { publishBatch } from './batch-events';
import { orderView } from './views';

export interface ExchangeServiceOptions {
  store: DatabaseHandle;
  hub?: EventHub;
  log?: Logger;
  now: () => number;
  /** Commands per transaction at most (default 1000). */
  maxBatch?: number;
}

/** Event-loop turns a flush may wait for more commands to arrive (see `onTurn`). */
const MAX_LINGER_TURNS = 4;
/** How long a flush may wait for the company the last batch had (see `onTurn`). */
const COMPANY_WAIT_MS = 1;

interface Job {
  run(state: ExchangeState): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  result?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

/** The ledger face a {@link ExchangeApi.post} change gets: one per service, no allocation. */
class QueueLedgerTx implements LedgerTx {
  constructor(private readonly state: ExchangeState) {}

  get ts(): number {
    return this.state.batch.ts;
  }

  record(entry: JournalEntry): number {
    return this.state.record(entry);
  }

  alsoWrite(write: () => void): void {
    this.state.batch.sideWrites.push(write);
  }
}

/**
 * The exchange core at run time: one command queue in front of the books and the ledger.
 * Commands that arrive together run one after another against in-memory state, then are
 * committed in ONE transaction (group commit); only then are their promises resolved and
 * their events published. A failed commit means memory ran ahead of the database: the
 * state is rebuilt from the database and the whole batch is refused (`unavailable`).
 *
 * Other features see it only as an {@link ExchangeApi}. The state is private; `submit` and
 * `read` (closures over it) are for the exchange feature's own files and tests.
 */
export class ExchangeService implements ExchangeApi {
  private readonly state = new ExchangeState();
  readonly db: ExchangePersistence;
  readonly lists: OrderListStore;
  private readonly engineListeners: EngineEventsListener[] = [];
  private queue: Job[] = [];
  private scheduled = false;
  /** Queue length at the last turn and turns lingered so far (see {@link onTurn}). */
  private seen = 0;
  private lingered = 0;
  /** Commands in the last committed batch, and the timer waiting for as many again. */
  private company = 0;
  private waitTimer: NodeJS.Timeout | null = null;
  /** Batches committed and not yet answered (waiting for their fsync). */
  private readonly inFlight = new Set<Promise<void>>();
  /** The newest batch's answering: the next one answers after it (commit order). */
  private lastBatch: Promise<void> = Promise.resolve();
  private failNextCommit = false;
  private readonly maxBatch: number;
  private readonly tx = new QueueLedgerTx(this.state);
  /** Client order ids remembered in the database (bound once: no closure per order). */
  private readonly findClient = (userId: string, cid: string, since: number) =>
    this.db.clientOrder(userId, cid, since);

  constructor(private readonly opts: ExchangeServiceOptions) {
    this.db = new ExchangePersistence(opts.store.sqlite);
    this.lists = new OrderListStore(opts.store.sqlite);
    this.maxBatch = opts.maxBatch ?? 1000;
  }

  private readonly holdSources: HoldSource[] = [];

  addHoldSource(source: HoldSource): void {
    this.holdSources.push(source);
  }

  readonly demoFundsGates: Array<() => string | null> = [];
  addDemoFundsGate(gate: () => string | null): void {
    this.demoFundsGates.push(gate);
  }

  /** Every other feature's holds, read now (reconciliation compares them with `held`). */
  otherHolds(): Array<{ owner: string; asset: string; remaining: bigint }> {
    return this.holdSources.flatMap((source) => [...source()]);
  }

  /** Subscribes to the engine events of each committed batch (market data). */
  onEngineEvents(listener: EngineEventsListener): () => void {
    this.engineListeners.push(listener);
    return () => {
      const i = this.engineListeners.indexOf(listener);
      if (i >= 0) this.engineListeners.splice(i, 1);
    };
  }

  /** First start: the default assets and markets, once (an admin's changes are kept). */
  seedDefaults(): void {
    const sqlite = this.opts.store.sqlite;
    const seeded = sqlite
      .prepare("SELECT value FROM exchange_sequences WHERE name = 'seeded'")
      .get();
    if (seeded) return;
    this.opts.store.write('exchange.seed', () => {
      this.db.write({
        entries: [],
        accounts: [],
        orders: [],
        trades: [],
        assets: [...DEFAULT_ASSETS],
        markets: DEFAULT_MARKETS.map((config) => ({
          config,
          lastPrice: 0,
          lastSeq: 0,
          lastTradeId: 0,
        })),
        sequences: [],
      });
      sqlite.prepare("INSERT INTO exchange_sequences (name, value) VALUES ('seeded', 1)").run();
    });
  }

  /** Rebuilds books, balances, open orders and counters from the database. */
  load(): void {
    const s = this.state;
    s.reset();
    for (const a of this.db.assets()) s.assets.set(a.code, a);
    const assets = [...s.assets.values()];
    const open = this.db.openOrders();
    const linked = this.relink(open);
    for (const row of this.db.markets()) {
      const { lastPrice, lastSeq, lastTradeId, ...config } = row;
      const spec = compileMarket(config, assets);
      if (!spec.ok)
        throw new Error(`stored market ${config.symbol} is invalid: ${spec.error.message}`);
      const mine = open.filter((o) => o.symbol === config.symbol);
      const snapshot: BookSnapshot = {
        config: engineConfigOf(spec.value),
        status: config.status,
        lastPrice,
        lastSeq,
        lastTradeId,
        orders: restingInPriority(mine.filter((o) => !o.waiting)).map((o) =>
          toOpenOrder(o, linked),
        ),
        stops: stopsInPriority(mine.filter((o) => o.waiting)).map((o) => toOpenOrder(o, linked)),
      };
      s.markets.set(config.symbol, {
        spec: spec.value,
        engine: OrderBook.fromSnapshot(snapshot),
        lastSeq,
        lastTradeId,
      });
    }
    for (const o of open) s.open.set(o.id, o);
    for (const o of open) {
      if (o.clientOrderId !== null) s.openByClient.set(`${o.userId}\u0000${o.clientOrderId}`, o.id);
    }
    for (const a of this.db.accounts()) {
      s.ledger.load({ owner: a.owner, asset: a.asset, purpose: a.purpose }, a.balance);
    }
    const seqs = this.db.sequences();
    s.nextOrderId = (seqs.get('order_id') ?? 0) + 1;
    s.nextPriority = (seqs.get('priority') ?? 0) + 1;
    s.nextEntryId = this.db.maxEntryId() + 1;
    s.nextListId = this.lists.maxId() + 1;
  }

  /**
   * Recovery of OCO pairs: each executing list's legs get their list and sibling back, and
   * the legs the engine must relink (both open) are returned, with whether their pair is a
   * bracket.
   */
  private relink(open: OrderState[]): Map<number, boolean> {
    const s = this.state;
    const byId = new Map(open.map((o) => [o.id, o]));
    const linked = new Map<number, boolean>(); // leg id → its pair is a bracket
    for (const list of this.lists.executing()) {
      const limit = byId.get(list.limitOrderId);
      const stop = byId.get(list.stopOrderId);
      if (!limit || !stop) continue;
      limit.listId = stop.listId = list.id;
      limit.siblingId = stop.id;
      stop.siblingId = limit.id;
      linked.set(limit.id, list.bracket).set(stop.id, list.bracket);
      s.openLists.set(list.id, list);
      if (list.listClientId !== null) {
        s.openListsByClient.set(clientKey(list.userId, list.listClientId), list.id);
      }
    }
    // A leg left open after its list acted (a partly filled take profit) still names its list.
    for (const o of open) {
      if (o.listId === undefined) {
        const listId = this.lists.listOf(o.id);
        if (listId !== undefined) o.listId = listId;
      }
    }
    return linked;
  }

  /**
   * Queues a command; resolves with its result once its batch is committed. For the exchange
   * feature's own operations: other features send typed commands through the API instead.
   */
  submit<T>(run: (state: ExchangeState) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
      const full =
        this.queue.length >= this.maxBatch ||
        (this.waitTimer !== null && this.queue.length >= this.company);
      if (full) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        this.lingered = 0;
        this.seen = this.queue.length;
        setImmediate(this.onTurn);
      }
    });
  }

  /**
   * Flushes at the end of the event-loop turn, or lingers one more turn while the last one
   * brought more commands. Concurrent clients' requests land a few turns apart (their
   * answers left together, the next requests come back over ~100 µs); without the linger
   * the first arrivals commit alone, the rest wait that whole commit and then pay their own
   * fsync. A lone command (nothing more arrived) flushes at once, so it waits no longer.
   * Bounded (MAX_LINGER_TURNS, maxBatch), so a steady stream cannot postpone a commit.
   *
   * When the queue then holds fewer commands than the last batch did, the clients that sent
   * that batch are most likely on their way back with their next requests: the flush waits
   * for as many (it goes the moment they are in) or COMPANY_WAIT_MS at most, instead of
   * committing a fragment and making the rest wait that commit plus their own.
   */
  private readonly onTurn = (): void => {
    if (!this.scheduled || this.waitTimer) return;
    const grew = this.queue.length > this.seen;
    if (grew && this.lingered < MAX_LINGER_TURNS) {
      this.lingered++;
      this.seen = this.queue.length;
      setImmediate(this.onTurn);
      return;
    }
    if (this.queue.length < this.company) {
      this.waitTimer = setTimeout(this.onWaited, COMPANY_WAIT_MS);
      return;
    }
    void this.flush();
  };

  private readonly onWaited = (): void => {
    this.waitTimer = null;
    if (this.scheduled) void this.flush();
  };

  /**
   * Runs and commits everything queued so far; resolves once those batches (and any still
   * waiting for the disk) are answered. Batches are pipelined: one is matched and committed
   * while the one before it waits for its fsync off the loop, so the loop is not idle while
   * the disk works. Their answers and events still go out in commit order, each only once its
   * own batch is on disk (one fsync covers every commit before it).
   */
  async flush(): Promise<void> {
    this.scheduled = false;
    if (this.waitTimer) {
      clearTimeout(this.waitTimer);
      this.waitTimer = null;
    }
    while (this.queue.length > 0) {
      const done = this.runBatch(this.queue.splice(0, this.maxBatch), this.lastBatch);
      this.lastBatch = done;
      this.inFlight.add(done);
      void done.finally(() => this.inFlight.delete(done));
    }
    if (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Makes the next commit fail (tests of the divergence path). */
  injectCommitFailure(): void {
    this.failNextCommit = true;
  }

  /**
   * Matches and commits synchronously; the returned promise answers after the fsync, and
   * after `previous` (the batch committed before) has answered.
   */
  private async runBatch(jobs: Job[], previous: Promise<void>): Promise<void> {
    this.company = jobs.length;
    const s = this.state;
    const batch = (s.batch = new Batch(this.opts.now()));
    try {
      for (const job of jobs) {
        try {
          job.result = { ok: true, value: job.run(s) };
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          job.result = { ok: false, error };
        }
      }
      this.commit(batch);
    } catch (error) {
      this.opts.log?.error({ err: error }, 'exchange batch failed; rebuilding from the database');
      this.load();
      const refused = new AppError('unavailable', 'The exchange could not commit; try again');
      for (const job of jobs) job.reject(refused);
      return;
    }
    // Nothing is answered or published before the batch is on disk. The next batch may run
    // and commit meanwhile (it builds on this one's state, as it would after the sync), and
    // is answered after this one: its fsync covers this one's commit too.
    try {
      await this.opts.store.durable();
      await previous.catch(() => undefined);
    } catch (error) {
      await previous.catch(() => undefined);
      // SQLite and memory hold the batch; the disk may not. Do not claim an outcome.
      this.opts.log?.error({ err: error }, 'exchange batch committed but not synced to disk');
      const unknown = new AppError(
        'unavailable',
        'The exchange could not confirm the write reached the disk; check the order by its client order id before retrying',
      );
      for (const job of jobs) job.reject(unknown);
      // Market data and streams follow the book memory now holds (which later batches build on).
      this.publish(batch);
      return;
    }
    for (const job of jobs) {
      const r = job.result;
      if (r?.ok) job.resolve(r.value);
      else job.reject(r?.error);
    }
    this.publish(batch);
  }

  private commit(b: Batch): void {
    const s = this.state;
    const writes: BatchWrites = {
      entries: b.entries,
      accounts: [...s.ledger.dirty].map((id) => ({
        key: s.ledger.keys.get(id) ?? parseAccountId(id),
        balance: s.ledger.balances.get(id) ?? 0n,
      })),
      orders: [...b.orders.values()],
      created: b.created,
      trades: b.trades,
      assets: b.assets,
      markets: [...b.markets].map((symbol) => {
        const m = s.market(symbol);
        for (const e of b.events.get(symbol) ?? []) {
          m.lastSeq = e.seq;
          if (e.type === 'trade') m.lastTradeId = e.tradeId;
        }
        const { lastSeq, lastTradeId } = m;
        return { config: m.spec.config, lastPrice: m.engine.lastPrice, lastSeq, lastTradeId };
      }),
      sequences: [
        ['order_id', s.nextOrderId - 1],
        ['priority', s.nextPriority - 1],
      ],
    };
    this.opts.store.writeDeferred('exchange.batch', () => {
      this.db.write(writes);
      if (b.lists.size > 0) this.lists.write(b.lists.values());
      for (const w of b.sideWrites) w();
      if (this.failNextCommit) {
        this.failNextCommit = false;
        throw new Error('injected commit failure');
      }
    });
    s.ledger.dirty.clear();
  }

  private publish(b: Batch): void {
    publishBatch(b, this.state, this.opts.hub, this.engineListeners, this.opts.log);
  }

  /** Reads the state synchronously (the exchange feature's queries and tests only). */
  read<T>(fn: (state: ExchangeState) => T): T {
    return fn(this.state);
  }

  /** Every ledger account's balance by account id (what reconciliation compares against). */
  ledgerBalances(): ReadonlyMap<string, bigint> {
    return this.state.ledger.balances;
  }

  // ---- ExchangeApi: reads ---------------------------------------------------------------

  symbols(): string[] {
    return [...this.state.markets.keys()];
  }

  hasMarket(symbol: string): boolean {
    return this.state.markets.has(symbol);
  }

  spec(symbol: string): MarketSpec {
    return this.state.market(symbol).spec;
  }

  market(symbol: string): MarketRuntime {
    return this.state.market(symbol);
  }

  asset(code: string): Asset | undefined {
    return this.state.assets.get(code);
  }

  holdings(owner: string, asset: string): Holding {
    const ledger = this.state.ledger;
    return {
      available: ledger.get(available(owner, asset)),
      held: ledger.get(held(owner, asset)),
    };
  }

  openOrders(filter: { userId?: string; symbol?: string } = {}): OrderState[] {
    const out: OrderState[] = [];
    for (const o of this.state.open.values()) {
      if (filter.userId !== undefined && o.userId !== filter.userId) continue;
      if (filter.symbol !== undefined && o.symbol !== filter.symbol) continue;
      out.push(o);
    }
    return out;
  }

  // ---- ExchangeApi: commands ------------------------------------------------------------

  place(userId: string, input: PlaceInput): Promise<OrderView> {
    return this.submit((st) => {
      const placed = placeOrder(st, userId, input, this.findClient);
      if (!('existing' in placed)) return orderView(placed.order, placed.spec);
      const o = st.open.get(placed.existing);
      // The order that clientOrderId named has closed since: its row answers, not the queue.
      if (!o) throw engineError('duplicate_client_order_id', { orderId: placed.existing });
      return orderView(o, st.market(o.symbol).spec);
    });
  }

  async placeOco(userId: string, input: PlaceOcoInput): Promise<PlacedList> {
    const r = await this.submit((st) =>
      placeOcoList(st, userId, input, (u, c, since) => this.lists.byClientId(u, c, since)?.id),
    );
    const list = 'list' in r ? r.list : this.lists.get(userId, r.existing);
    if (!list) throw new AppError('unknown_order_list', 'The order list named is gone');
    return {
      orderListId: list.id,
      limitOrderId: list.limitOrderId,
      stopOrderId: list.stopOrderId,
    };
  }

  cancel(userId: string, ref: OrderRef): Promise<OrderView> {
    return this.submit((st) => {
      const o = cancelOrder(st, findOpen(st, userId, ref));
      return orderView(o, st.market(o.symbol).spec);
    });
  }

  compactSystemHistory(opts: CompactionOptions): Promise<CompactionReport> {
    return compactSystemHistory(this, this.opts.store.sqlite, opts);
  }

  cancelAll(userId: string, symbol: string, reason: CancelAllReason = 'user'): Promise<number> {
    return this.submit((st) => cancelAllOrders(st, userId, symbol, reason));
  }

  batch(commands: readonly ExchangeCommand[]): Promise<CommandOutcome[]> {
    return this.submit((st) => commands.map((c) => this.command(st, c)));
  }

  post<T>(change: (tx: LedgerTx) => T): Promise<T> {
    return this.submit(() => change(this.tx));
  }

  /** One command of a batch: a refusal (AppError, nothing changed) is its outcome alone. */
  private command(st: ExchangeState, c: ExchangeCommand): CommandOutcome {
    try {
      switch (c.type) {
        case 'place': {
          const placed = placeOrder(st, c.userId, c.order, this.findClient);
          return { ok: true, orderId: 'existing' in placed ? placed.existing : placed.order.id };
        }
        case 'cancel':
          return { ok: true, orderId: cancelOrder(st, findOpen(st, c.userId, c)).id };
        case 'cancel_all':
          return { ok: true, cancelled: cancelAllOrders(st, c.userId, c.symbol) };
      }
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error };
      throw error;
    }
  }
}

function toOpenOrder(o: OrderState, linked: ReadonlyMap<number, boolean>): OpenOrder {
  const open: OpenOrder = {
    orderId: o.id,
    userId: o.userId,
    side: o.side,
    kind: o.kind,
    tif: o.tif,
    price: o.price,
    stopPrice: o.stopPrice,
    qty: o.openQty,
    quoteQty: o.waiting ? o.quoteQty : 0,
    filledQty: o.filledQty,
    postOnly: o.postOnly,
    stp: o.stp,
    status: o.status,
  };
  if (o.clientOrderId !== null) open.clientOrderId = o.clientOrderId;
  if (o.trail) {
    if (o.trail.bps > 0) open.trailBps = o.trail.bps;
    else open.trailAmount = o.trail.amount;
    open.trailAnchor = o.trail.anchor;
    open.trailFrom = o.trail.from;
  }
  if (o.siblingId !== undefined && linked.has(o.id)) {
    open.linkedOrderId = o.siblingId;
    if (linked.get(o.id)) open.bracket = true;
  }
  return open;
}

/** Bids best (highest) first, then asks best (lowest) first; within a level by priority. */
function restingInPriority(orders: OrderState[]): OrderState[] {
  const bids = orders
    .filter((o) => o.side === 'buy')
    .sort((a, b) => b.price - a.price || a.priority - b.priority);
  const asks = orders
    .filter((o) => o.side === 'sell')
    .sort((a, b) => a.price - b.price || a.priority - b.priority);
  return [...bids, ...asks];
}

/** Stops in trigger order: rising (buy stops, sell take-profits) lowest first, then falling highest first; older first. */
function stopsInPriority(orders: OrderState[]): OrderState[] {
  const rising = orders
    .filter((o) => triggersOnRise(o.side, o.kind))
    .sort((a, b) => a.stopPrice - b.stopPrice || a.priority - b.priority);
  const falling = orders
    .filter((o) => !triggersOnRise(o.side, o.kind))
    .sort((a, b) => b.stopPrice - a.stopPrice || a.priority - b.priority);
  return [...rising, ...falling];
}
