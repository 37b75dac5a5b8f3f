import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import { parseCandles } from '../../domain/candles';
import { simulatorFundingEntry } from '../../domain/ledger';
import { lotsToQty, qtyToLots, ticksToPrice, type MarketSpec } from '../../domain/markets';
import {
  SIMULATOR_DEFAULTS,
  buildReplayPath,
  createSimulator,
  defaultConfigFor,
  rebase,
  referenceTicks,
  step,
  tune,
  type Action,
  type BookBounds,
  type OwnQuote,
  type SimulatorTuning,
} from '../../domain/simulator';
import type { Logger } from '../../observability/logger';
import type {
  CommandOutcome,
  ExchangeApi,
  ExchangeCommand,
  OpenOrderReading,
} from '../exchange/api';
import { KRAKEN_PAIRS, KrakenFeed, type FetchLike } from '../../connectors/kraken/feed';
import { SimulatorStore, type SimulatorRow } from './store';

/** The simulator's two trading accounts per market (system owners in the ledger). */
/** Every simulator account's owner starts with this. */
export const SIMULATOR_OWNER_PREFIX = 'system:sim:';
export const makerAccount = (symbol: string): string => `${SIMULATOR_OWNER_PREFIX}mm:${symbol}`;
export const takerAccount = (symbol: string): string => `${SIMULATOR_OWNER_PREFIX}taker:${symbol}`;

/** Default step interval. */
export const DEFAULT_TICK_MS = 1000;
/** Steps between two writes of the state (pause, tune and stop always write). */
const SAVE_EVERY = 10;

export interface SimulatorOptions {
  store: DatabaseHandle;
  exchange: ExchangeApi;
  log?: Logger;
  now: () => number;
  /** Start running markets at boot (the app); off in tests, which step by hand. */
  autostart: boolean;
  seed: number;
  /** HTTP client of the optional live feed (default: the global `fetch`). */
  fetch?: FetchLike;
}

interface SimMarket extends SimulatorRow {
  reference: number;
  steps: number;
  ordersSent: number;
  ordersRefused: number;
  lastStepTs: number | null;
  timer: NodeJS.Timeout | null;
  stepping: boolean;
  /** The live reference (Kraken) while the reference kind is `feed`. */
  feed: KrakenFeed | null;
}

export interface TuneInput {
  spreadBps?: number;
  levels?: number;
  sizePerLevel?: string;
  volatilityPct?: number;
  takerRatePerSecond?: number;
  tickMs?: number;
  reference?: 'walk' | 'replay' | 'feed';
}

/**
 * Keeps each default market alive: every tick the pure simulator (domain/simulator) plans
 * the maker's quotes and the takers' orders, and this service sends them through the same
 * exchange commands users' orders go through. Seeded, so the same seed and clock give the
 * same market.
 */
export class SimulatorService {
  private readonly markets = new Map<string, SimMarket>();
  private readonly db: SimulatorStore;
  private fetchFn: FetchLike;

  constructor(private readonly opts: SimulatorOptions) {
    this.db = new SimulatorStore(opts.store.sqlite);
    this.fetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
  }

  /** Replaces the live feed's HTTP client (tests answer for Kraken). */
  useFetch(fn: FetchLike): void {
    this.fetchFn = fn;
  }

  get autostart(): boolean {
    return this.opts.autostart;
  }

  /** Loads or creates each default market's simulator, funds new accounts, starts timers. */
  async start(): Promise<void> {
    const ex = this.opts.exchange;
    for (const [i, symbol] of Object.keys(SIMULATOR_DEFAULTS).entries()) {
      if (!ex.hasMarket(symbol)) continue;
      const row = this.db.load(symbol) ?? this.create(symbol, this.opts.seed + i);
      const m: SimMarket = {
        ...row,
        running: row.running && this.opts.autostart,
        reference: referenceTicks(row.state.reference),
        steps: 0,
        ordersSent: 0,
        ordersRefused: 0,
        lastStepTs: null,
        timer: null,
        stepping: false,
        feed: null,
      };
      this.markets.set(symbol, m);
      if (m.state.config.reference.kind === 'feed') this.startFeed(m);
      if (m.running) {
        m.state = rebase(m.state, this.opts.now());
        this.schedule(m);
      }
    }
  }

  /** Stops every timer and saves every market's state. */
  stop(): void {
    for (const m of this.markets.values()) {
      this.unschedule(m);
      m.feed?.stop();
      this.save(m);
    }
  }

  private create(symbol: string, seed: number): SimulatorRow {
    const cfg = defaultConfigFor(symbol, this.opts.exchange.spec(symbol).config);
    if (!cfg.ok) throw new Error(`simulator defaults for ${symbol}: ${cfg.error.message}`);
    const state = createSimulator(cfg.value, seed);
    if (!state.ok) throw new Error(`simulator for ${symbol}: ${state.error.message}`);
    const row: SimulatorRow = {
      symbol,
      seed,
      running: true,
      state: state.value,
      replayPath: null,
      replayName: null,
      tickMs: DEFAULT_TICK_MS,
    };
    this.opts.store.write('simulator.create', () => this.db.save(row, this.opts.now(), true));
    return row;
  }

  private market(symbol: string): SimMarket {
    const m = this.markets.get(symbol);
    if (!m) throw new AppError('unknown_market', `No simulator for ${symbol}`, { symbol }, 404);
    return m;
  }

  private targets(symbol?: string): SimMarket[] {
    return symbol ? [this.market(symbol)] : [...this.markets.values()];
  }

  private schedule(m: SimMarket): void {
    this.unschedule(m);
    m.timer = setInterval(() => {
      this.step(m.symbol).catch((error: unknown) =>
        this.opts.log?.warn({ err: error, symbol: m.symbol }, 'simulator step failed'),
      );
    }, m.tickMs);
    m.timer.unref();
  }

  private unschedule(m: SimMarket): void {
    if (m.timer) clearInterval(m.timer);
    m.timer = null;
  }

  private save(m: SimMarket, withReplay = false): void {
    this.opts.store.write('simulator.save', () => this.db.save(m, this.opts.now(), withReplay));
  }

  /**
   * One simulator step of a market at `now`: top up the accounts if they ran low, plan,
   * send the cancels and orders, count refusals. A step still running makes this a no-op.
   */
  async step(symbol: string, now = this.opts.now()): Promise<void> {
    const m = this.market(symbol);
    if (m.stepping) return;
    m.stepping = true;
    try {
      await this.topUp(m);
      const ex = this.opts.exchange;
      const spec = ex.spec(symbol);
      const own = this.ownQuotes(symbol);
      const mmBase = ex.holdings(makerAccount(symbol), spec.base.code);
      const takerBase = ex.holdings(takerAccount(symbol), spec.base.code).available;
      const position = Number((mmBase.available + mmBase.held) / spec.lotBaseUnits);
      const r = step(
        m.state,
        now,
        { ownQuotes: own.map(quoteOf), ...this.othersBest(symbol, own) },
        {
          mmInventoryLots: position - 2 * m.state.config.maker.maxInventory,
          takerBaseLots: Number(takerBase / spec.lotBaseUnits),
        },
        { ...(m.replayPath ? { replay: m.replayPath } : {}), feed: () => m.feed?.price() },
      );
      m.state = r.state;
      m.reference = r.reference;
      const outcomes = await this.execute(spec, r.actions);
      for (const [i, a] of r.actions.entries()) {
        if (a.kind !== 'place') continue;
        m.ordersSent += 1;
        if (!outcomes?.[i]?.ok) m.ordersRefused += 1;
      }
      m.steps += 1;
      m.lastStepTs = now;
      if (m.steps % SAVE_EVERY === 0) this.save(m);
    } finally {
      m.stepping = false;
    }
  }

  private ownQuotes(symbol: string): OpenOrderReading[] {
    return this.opts.exchange
      .openOrders({ userId: makerAccount(symbol), symbol })
      .filter((o) => !o.waiting);
  }

  /** Best prices of everyone but the maker, so its post-only quotes never cross them. */
  private othersBest(symbol: string, own: readonly OpenOrderReading[]): BookBounds {
    const engine = this.opts.exchange.market(symbol).engine;
    const best = (side: 'buy' | 'sell'): number | undefined => {
      const mine = new Map<number, number>();
      for (const o of own) {
        if (o.side === side) mine.set(o.price, (mine.get(o.price) ?? 0) + o.openQty);
      }
      return engine.depth(side, 200).find((l) => l.qty > (mine.get(l.price) ?? 0))?.price;
    };
    const out: BookBounds = {};
    const bid = best('buy');
    const ask = best('sell');
    if (bid !== undefined) out.bestBid = bid;
    if (ask !== undefined) out.bestAsk = ask;
    return out;
  }

  /**
   * Sends a step's cancels and orders as ONE batch, so they commit together; each is refused
   * on its own. Resolves with each action's outcome, or null when the commit failed (then
   * every order of the step counts as refused, as nothing of it happened).
   */
  private async execute(
    spec: MarketSpec,
    actions: readonly Action[],
  ): Promise<CommandOutcome[] | null> {
    if (actions.length === 0) return [];
    const commands = actions.map((a) => this.command(spec, a));
    try {
      return await this.opts.exchange.batch(commands);
    } catch (error) {
      this.opts.log?.warn({ err: error, symbol: spec.config.symbol }, 'simulator step refused');
      return null;
    }
  }

  /** One planned action as an exchange command, on the account that plans it. */
  private command(spec: MarketSpec, a: Action): ExchangeCommand {
    const symbol = spec.config.symbol;
    const userId = a.account === 'mm' ? makerAccount(symbol) : takerAccount(symbol);
    if (a.kind === 'cancel') return { type: 'cancel', userId, orderId: Number(a.orderId) };
    const o = a.order;
    return {
      type: 'place',
      userId,
      order: {
        symbol,
        side: o.side,
        type: o.type,
        ...(o.price !== undefined ? { price: ticksToPrice(spec, o.price) } : {}),
        qty: lotsToQty(spec, o.qty),
        tif: o.timeInForce,
        postOnly: o.postOnly,
      },
    };
  }

  /**
   * Keeps both accounts able to trade: each asset is credited from `system:external` back to
   * its working level when it falls below a quarter of it (a trending walk drains one side).
   */
  private async topUp(m: SimMarket): Promise<void> {
    const ex = this.opts.exchange;
    const spec = ex.spec(m.symbol);
    const cfg = m.state.config;
    const price = BigInt(Math.max(1, m.reference));
    const baseOf = (lots: number) => BigInt(lots) * spec.lotBaseUnits;
    const quoteOf = (lots: number) => BigInt(lots) * price * spec.tickLotQuoteUnits;
    const mmLots = 2 * cfg.maker.maxInventory;
    const takerLots = 50 * cfg.taker.maxQty;
    const wants: Array<[string, string, bigint]> = [
      [makerAccount(m.symbol), spec.base.code, baseOf(mmLots)],
      [makerAccount(m.symbol), spec.quote.code, quoteOf(2 * mmLots)],
      [takerAccount(m.symbol), spec.base.code, baseOf(takerLots)],
      [takerAccount(m.symbol), spec.quote.code, quoteOf(takerLots)],
    ];
    const needed = wants.filter(([owner, asset, level]) => {
      const b = ex.holdings(owner, asset);
      return b.available + b.held < level / 4n;
    });
    if (needed.length === 0) return;
    await ex.post((tx) => {
      for (const [owner, asset, level] of needed) {
        const b = ex.holdings(owner, asset);
        const amount = level - b.available - b.held;
        const entry = simulatorFundingEntry({
          refId: `simulator:${m.symbol}`,
          owner,
          asset,
          amount,
          direction: 'credit',
          reason: 'market simulator working balance',
        });
        if (!entry.ok) throw new AppError(entry.error.code, entry.error.message);
        tx.record(entry.value);
      }
    });
  }

  async pause(symbol?: string) {
    for (const m of this.targets(symbol)) {
      m.running = false;
      this.unschedule(m);
      await this.opts.exchange.cancelAll(makerAccount(m.symbol), m.symbol);
      this.save(m);
    }
    return this.status();
  }

  resume(symbol?: string) {
    for (const m of this.targets(symbol)) {
      if (!m.running) m.state = rebase(m.state, this.opts.now());
      m.running = true;
      this.schedule(m);
      this.save(m);
    }
    return this.status();
  }

  tune(symbol: string, input: TuneInput) {
    const m = this.market(symbol);
    const spec = this.opts.exchange.spec(symbol);
    const t: SimulatorTuning = { maker: {}, taker: {} };
    const maker = t.maker ?? {};
    const taker = t.taker ?? {};
    if (input.spreadBps !== undefined) maker.spreadBps = input.spreadBps;
    if (input.levels !== undefined) maker.levels = input.levels;
    if (input.sizePerLevel !== undefined) maker.sizePerLevel = lotsOf(spec, input.sizePerLevel);
    if (input.takerRatePerSecond !== undefined) taker.ratePerSecond = input.takerRatePerSecond;
    const ref = m.state.config.reference;
    if (input.reference === 'replay' && !m.replayPath)
      throw new AppError('sim_no_replay', 'Import a candle file before replaying', { symbol });
    if (input.reference === 'feed' && !KRAKEN_PAIRS[symbol])
      throw new AppError('sim_no_feed', `No live feed is known for ${symbol}`, { symbol });
    if (input.reference === 'replay') t.reference = { kind: 'replay' };
    else if (input.reference === 'feed') t.reference = { kind: 'feed' };
    else if (
      input.reference === 'walk' ||
      (input.volatilityPct !== undefined && ref.kind === 'walk')
    ) {
      const vol =
        input.volatilityPct ?? (ref.kind === 'walk' ? ref.annualVolPct : defaultVol(symbol));
      t.reference = {
        kind: 'walk',
        annualVolPct: vol,
        annualDriftPct: ref.kind === 'walk' ? ref.annualDriftPct : 0,
      };
    }
    const next = tune(m.state, t);
    if (!next.ok) throw new AppError(next.error.code, next.error.message, next.error.details);
    m.state = next.value;
    if (m.state.config.reference.kind === 'feed') {
      if (!m.feed) this.startFeed(m);
    } else this.stopFeed(m);
    if (input.tickMs !== undefined) m.tickMs = input.tickMs;
    if (m.running) this.schedule(m);
    this.save(m);
    return this.view(m);
  }

  /** Replays an imported candle file, rescaled to start at the current reference. */
  replay(symbol: string, name: string, content: string, pointsPerCandle?: number) {
    const m = this.market(symbol);
    const parsed = parseCandles(content);
    if (parsed.candles.length === 0) {
      const first = parsed.issues[0];
      throw new AppError('dataset_invalid', `No usable candles in ${name}`, {
        issue: first ? `row ${first.row}: ${first.message}` : 'empty file',
      });
    }
    const path = buildReplayPath(parsed.candles, {
      scaling: { kind: 'rescale', startPrice: m.reference },
      ...(pointsPerCandle !== undefined ? { pointsPerCandle } : {}),
    });
    if (!path.ok) throw new AppError(path.error.code, path.error.message, path.error.details);
    const next = tune(m.state, { reference: { kind: 'replay' } });
    if (!next.ok) throw new AppError(next.error.code, next.error.message, next.error.details);
    m.state = { ...next.value, reference: { ...next.value.reference, cursor: 0 } };
    this.stopFeed(m);
    m.replayPath = path.value;
    m.replayName = name;
    this.save(m, true);
    return { market: this.view(m), candles: parsed.candles.length, points: path.value.length };
  }

  /** Polls a market's live feed now (the timer polls every few seconds). */
  async pollFeed(symbol: string): Promise<void> {
    await this.market(symbol).feed?.poll();
  }

  private startFeed(m: SimMarket): void {
    const pair = KRAKEN_PAIRS[m.symbol];
    if (!pair) return;
    const tick = this.opts.exchange.spec(m.symbol).config.tickSize;
    m.feed = new KrakenFeed(pair, tick, this.fetchFn, this.opts.now);
    m.feed.start();
  }

  private stopFeed(m: SimMarket): void {
    m.feed?.stop();
    m.feed = null;
  }

  status() {
    return {
      autostart: this.opts.autostart,
      items: [...this.markets.values()].map((m) => this.view(m)),
    };
  }

  /** Public: which markets the simulator trades, and what their reference follows. */
  sources() {
    return {
      items: [...this.markets.values()].map((m) => {
        const kind = m.state.config.reference.kind;
        const feed = m.feed?.view();
        return {
          symbol: m.symbol,
          simulated: m.running,
          referenceKind: kind,
          source: kind === 'replay' ? m.replayName : (feed?.source ?? null),
          feedError: feed?.error ?? null,
        };
      }),
    };
  }

  private view(m: SimMarket) {
    const spec = this.opts.exchange.spec(m.symbol);
    const cfg = m.state.config;
    const ref = cfg.reference;
    return {
      symbol: m.symbol,
      running: m.running,
      seed: m.seed,
      reference: ticksToPrice(spec, m.reference),
      referenceKind: ref.kind,
      replayName: m.replayName,
      spreadBps: cfg.maker.spreadBps,
      levels: cfg.maker.levels,
      sizePerLevel: lotsToQty(spec, cfg.maker.sizePerLevel),
      volatilityPct: ref.kind === 'walk' ? ref.annualVolPct : defaultVol(m.symbol),
      takerRatePerSecond: cfg.taker.ratePerSecond,
      tickMs: m.tickMs,
      steps: m.steps,
      ordersSent: m.ordersSent,
      ordersRefused: m.ordersRefused,
      lastStepTs: m.lastStepTs,
      feed: m.feed ? feedView(spec, m.feed) : null,
      makerAccount: makerAccount(m.symbol),
      takerAccount: takerAccount(m.symbol),
    };
  }
}

function quoteOf(o: OpenOrderReading): OwnQuote {
  return {
    clientOrderId: String(o.id),
    orderId: o.id,
    side: o.side,
    price: o.price,
    qty: o.openQty,
  };
}

function feedView(spec: MarketSpec, feed: KrakenFeed) {
  const v = feed.view();
  return {
    source: v.source,
    lastPrice: v.lastPrice === null ? null : ticksToPrice(spec, v.lastPrice),
    lastTs: v.lastTs,
    error: v.error,
  };
}

function defaultVol(symbol: string): number {
  return SIMULATOR_DEFAULTS[symbol]?.annualVolPct ?? 50;
}

function lotsOf(spec: MarketSpec, qty: string): number {
  const lots = qtyToLots(spec, qty);
  if (!lots.ok) throw new AppError(lots.error.code, `sizePerLevel: ${lots.error.message}`);
  return lots.value;
}
