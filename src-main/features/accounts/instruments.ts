import { AppError, type InputOf } from '../../../src-shared/contract';
import type { adminPaperInstrumentsSave } from '../../../src-shared/contract/paper-instruments';
import type { DatabaseHandle } from '../../db/database';
import { formatDecimal, parseDecimal } from '../../domain/money';
import {
  DEFAULT_INSTRUMENTS,
  SIMULATED_INDEXES,
  instrumentProblem,
  nextFinancingAt,
  type InstrumentSpec,
} from '../../domain/paper';
import { Prng, walkStep } from '../../domain/simulator';
import type { PaperInstruments } from '../../connectors/paper/store';
import type { PaperMarkets } from '../../connectors/paper/markets';
import type { MarketList } from '../automation/ports';
import type { ExchangeApi } from '../exchange/api';

type Raw = Record<string, unknown>;

function specOf(r: Raw): InstrumentSpec {
  return {
    symbol: String(r.symbol),
    kind: r.kind === 'cfd' ? 'cfd' : 'future',
    description: String(r.description),
    quoteAsset: String(r.quote_asset),
    priceSource: String(r.price_source),
    tickSize: String(r.tick_size),
    lotSize: String(r.lot_size),
    minQty: String(r.min_qty),
    maxQty: String(r.max_qty),
    multiplier: String(r.multiplier),
    initialMargin: String(r.initial_margin),
    maintenanceMargin: String(r.maintenance_margin),
    initialMarginPpm: Number(r.initial_margin_ppm),
    maintenanceMarginPpm: Number(r.maintenance_margin_ppm),
    commissionPerContract: String(r.commission_per_contract),
    commissionPpm: Number(r.commission_ppm),
    spreadPpm: Number(r.spread_ppm),
    financingRatePpm: Number(r.financing_rate_ppm),
    financingIntervalHours: Number(r.financing_interval_hours),
    status: r.status === 'halted' ? 'halted' : 'trading',
  };
}

/** Longest step of a simulated index after a pause (a restart does not jump a year). */
const MAX_INDEX_STEP_MS = 24 * 3_600_000;

/**
 * The paper broker's futures and CFDs (table `paper_instruments`, cached in memory) and the
 * simulated indexes that price `index:` instruments (table `paper_indexes`): a geometric
 * random walk (the simulator's `walkStep`) at the index's volatility, stepped by the
 * accounts feature's timer and persisted, so a restart continues from the last level.
 */
export class PaperInstrumentBook implements PaperInstruments {
  private readonly cache = new Map<string, InstrumentSpec>();
  private readonly levels = new Map<string, { level: string; ts: number }>();
  private rng: Prng;

  constructor(
    private readonly store: DatabaseHandle,
    private readonly exchange: ExchangeApi,
    private readonly now: () => number,
  ) {
    this.rng = Prng.fromSeed(now());
    this.seedAndLoad();
  }

  /**
   * Adds the default instruments and indexes that are missing (fresh and existing installs
   * alike; an admin's edits are kept), then loads them.
   */
  seedAndLoad(): void {
    const db = this.store.sqlite;
    const ts = this.now();
    this.store.write('paper.instruments.seed', () => {
      for (const s of DEFAULT_INSTRUMENTS) this.upsert(s, ts, true);
      const addIndex = db.prepare(
        'INSERT OR IGNORE INTO paper_indexes (name, level, ts) VALUES (?, ?, ?)',
      );
      for (const [name, i] of Object.entries(SIMULATED_INDEXES)) addIndex.run(name, i.start, ts);
    });
    this.cache.clear();
    for (const r of db.prepare('SELECT * FROM paper_instruments ORDER BY symbol').all() as Raw[]) {
      this.cache.set(String(r.symbol), specOf(r));
    }
    for (const r of db.prepare('SELECT * FROM paper_indexes').all() as Raw[]) {
      this.levels.set(String(r.name), { level: String(r.level), ts: Number(r.ts) });
    }
  }

  private upsert(s: InstrumentSpec, ts: number, onlyIfMissing: boolean): void {
    this.store.sqlite
      .prepare(
        `INSERT INTO paper_instruments (symbol, kind, description, quote_asset, price_source,
           tick_size, lot_size, min_qty, max_qty, multiplier, initial_margin, maintenance_margin,
           initial_margin_ppm, maintenance_margin_ppm, commission_per_contract, commission_ppm,
           spread_ppm, financing_rate_ppm, financing_interval_hours, status, updated_at)
         VALUES (@symbol, @kind, @description, @quoteAsset, @priceSource, @tickSize, @lotSize,
           @minQty, @maxQty, @multiplier, @initialMargin, @maintenanceMargin, @initialMarginPpm,
           @maintenanceMarginPpm, @commissionPerContract, @commissionPpm, @spreadPpm,
           @financingRatePpm, @financingIntervalHours, @status, @ts)
         ON CONFLICT (symbol) DO ${
           onlyIfMissing
             ? 'NOTHING'
             : `UPDATE SET kind = excluded.kind, description = excluded.description,
           quote_asset = excluded.quote_asset, price_source = excluded.price_source,
           tick_size = excluded.tick_size, lot_size = excluded.lot_size, min_qty = excluded.min_qty,
           max_qty = excluded.max_qty, multiplier = excluded.multiplier,
           initial_margin = excluded.initial_margin, maintenance_margin = excluded.maintenance_margin,
           initial_margin_ppm = excluded.initial_margin_ppm,
           maintenance_margin_ppm = excluded.maintenance_margin_ppm,
           commission_per_contract = excluded.commission_per_contract,
           commission_ppm = excluded.commission_ppm, spread_ppm = excluded.spread_ppm,
           financing_rate_ppm = excluded.financing_rate_ppm,
           financing_interval_hours = excluded.financing_interval_hours,
           status = excluded.status, updated_at = excluded.updated_at`
         }`,
      )
      .run({ ...s, ts });
  }

  instrument(symbol: string): InstrumentSpec | null {
    return this.cache.get(symbol) ?? null;
  }

  all(): InstrumentSpec[] {
    return [...this.cache.values()];
  }

  indexLevel(name: string, scale: number): bigint | null {
    const l = this.levels.get(name);
    if (!l) return null;
    const p = parseDecimal(l.level, scale);
    // A level written at more places than the instrument prices at: rounded to its scale.
    if (p.ok) return p.value;
    const n = Math.round(Number(l.level) * 10 ** scale);
    return Number.isFinite(n) && n > 0 ? BigInt(n) : null;
  }

  /**
   * Markets alerts may name: the local ones and (paper accounts) the instruments, whose
   * lots are contracts.
   */
  marketList(withInstruments: boolean): MarketList {
    const local: MarketList = this.exchange.symbols().map((symbol) => {
      const spec = this.exchange.spec(symbol);
      return { symbol, assets: [spec.base.code, spec.quote.code], tickSize: spec.config.tickSize };
    });
    if (!withInstruments) return local;
    return local.concat(
      this.all().map((s) => ({
        symbol: s.symbol,
        assets: [s.symbol, s.quoteAsset],
        tickSize: s.tickSize,
        contractSize: '1',
      })),
    );
  }

  /** Symbols of instruments priced by `source` (a market symbol or `index:NAME`). */
  pricedBy(source: string): string[] {
    return this.all()
      .filter((s) => s.priceSource === source)
      .map((s) => s.symbol);
  }

  /** Moves every simulated index one random-walk step to `now`; returns the names moved. */
  stepIndexes(): string[] {
    const now = this.now();
    const moved: string[] = [];
    for (const [name, def] of Object.entries(SIMULATED_INDEXES)) {
      const l = this.levels.get(name);
      if (!l || now <= l.ts) continue;
      const dt = Math.min(now - l.ts, MAX_INDEX_STEP_MS);
      const next = walkStep(Number(l.level), dt, def.annualVolPct, 0, this.rng);
      const level = next.toFixed(def.scale);
      this.store.write('paper.index.step', () =>
        this.store.sqlite
          .prepare('UPDATE paper_indexes SET level = ?, ts = ? WHERE name = ?')
          .run(level, now, name),
      );
      this.levels.set(name, { level, ts: now });
      moved.push(name);
    }
    return moved;
  }

  /** Sets a simulated index's level (tests, and an admin reseating it). */
  setIndex(name: string, level: string): void {
    const ts = this.now();
    this.store.write('paper.index.set', () =>
      this.store.sqlite
        .prepare(
          'INSERT INTO paper_indexes (name, level, ts) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET level = excluded.level, ts = excluded.ts',
        )
        .run(name, level, ts),
    );
    this.levels.set(name, { level, ts });
  }

  /** Validates and stores an instrument (added, or replacing the one of that symbol). */
  /** Validates and stores a spec; `alsoWrite` (the audit record) commits with it or not at all. */
  save(input: InputOf<typeof adminPaperInstrumentsSave>, alsoWrite?: () => void): InstrumentSpec {
    const asset = this.exchange.asset(input.quoteAsset);
    if (!asset) {
      throw new AppError('unknown_asset', `No asset ${input.quoteAsset}`, { field: 'quoteAsset' });
    }
    if (this.exchange.symbols().includes(input.symbol)) {
      throw new AppError('validation_failed', `${input.symbol} is a local market's symbol`, {
        field: 'symbol',
      });
    }
    const spec: InstrumentSpec = { ...input };
    const problem = instrumentProblem(spec, asset.scale);
    if (problem) throw new AppError('validation_failed', problem.message, { field: problem.field });
    const source = spec.priceSource;
    const known = source.startsWith('index:')
      ? this.levels.has(source.slice(6))
      : this.exchange.symbols().includes(source);
    if (!known) {
      throw new AppError('validation_failed', `priceSource ${source} is no market or index`, {
        field: 'priceSource',
      });
    }
    this.refuseUnitChange(spec);
    this.store.write('paper.instruments.save', () => {
      this.upsert(spec, this.now(), false);
      alsoWrite?.();
    });
    this.cache.set(spec.symbol, spec);
    return spec;
  }

  /**
   * Stored positions and orders are decimal text at the instrument's scales and mean
   * contracts of its multiplier in its currency: those terms cannot change under them.
   */
  private refuseUnitChange(next: InstrumentSpec): void {
    const before = this.instrument(next.symbol);
    if (!before) return;
    const fixed = ['kind', 'quoteAsset', 'tickSize', 'lotSize', 'multiplier'] as const;
    const changed = fixed.filter((k) => before[k] !== next[k]);
    if (changed.length === 0) return;
    const open = this.store.sqlite
      .prepare(
        `SELECT 1 FROM paper_positions WHERE symbol = ?
         UNION ALL SELECT 1 FROM paper_orders WHERE symbol = ? AND status = 'open' LIMIT 1`,
      )
      .get(next.symbol, next.symbol);
    if (open) {
      throw new AppError(
        'positions_open',
        `${next.symbol} has open positions or orders: ${changed.join(', ')} cannot change until they are closed`,
        { field: changed[0] },
      );
    }
  }

  /** The local markets (as spot-cfd) and every instrument, with their prices now. */
  list(markets: PaperMarkets) {
    const local = this.exchange.symbols().map((symbol) => {
      const spec = this.exchange.spec(symbol);
      const q = markets.quote(symbol);
      const px = (v: bigint) => formatDecimal(v, spec.priceScale);
      return {
        symbol,
        kind: 'spot-cfd' as const,
        description: `${spec.base.code} against ${spec.quote.code} on the local book`,
        quoteAsset: spec.quote.code,
        priceSource: symbol,
        tickSize: spec.config.tickSize,
        lotSize: spec.config.lotSize,
        minQty: spec.config.minQty,
        maxQty: null,
        multiplier: '1',
        initialMargin: null,
        maintenanceMargin: null,
        initialMarginPpm: null,
        maintenanceMarginPpm: null,
        commissionPerContract: null,
        commissionPpm: null,
        spreadPpm: null,
        financingRatePpm: 0,
        financingIntervalHours: null,
        nextFinancingAt: null,
        status: spec.config.status,
        indexPrice: q ? formatDecimal((q.bid + q.ask) / 2n, spec.priceScale) : null,
        bid: q ? px(q.bid) : null,
        ask: q ? px(q.ask) : null,
        backtestInstrument: null,
      };
    });
    const now = this.now();
    const instruments = this.all().map((s) => {
      const m = markets.market(s.symbol);
      const q = markets.quote(s.symbol);
      const index = markets.indexOf(s.symbol);
      const px = (v: bigint) => formatDecimal(v, m.priceScale);
      const future = s.kind === 'future';
      return {
        ...s,
        nextFinancingAt:
          s.financingRatePpm === 0 ? null : nextFinancingAt(now, s.financingIntervalHours),
        indexPrice: index === null ? null : px(index),
        bid: q ? px(q.bid) : null,
        ask: q ? px(q.ask) : null,
        // The backtester's futures fields (floats there, by its convention).
        backtestInstrument: future
          ? {
              kind: 'future' as const,
              multiplier: Number(s.multiplier),
              initialMargin: Number(s.initialMargin),
              commissionPerContract: Number(s.commissionPerContract),
            }
          : null,
      };
    });
    return { items: [...local, ...instruments] };
  }
}
