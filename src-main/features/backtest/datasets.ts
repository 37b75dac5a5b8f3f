import { and, desc, eq, gte, lt } from 'drizzle-orm';
import { AppError } from '../../../src-shared/contract';
import { backtestDatasets, marketCandles } from '../../db/schema';
import type { Candles } from '../../domain/candles';
import { CANDLE_INTERVALS } from '../../domain/market-data';
import { lotsToQty, ticksToPrice, type MarketSpec } from '../../domain/markets';
import { packCandles, unpackCandles } from './candles-blob';
import type { ParseOutcome } from './protocol';
import { runInWorker } from './worker-runner';
import type { BacktestDeps } from './service';

/** Issues kept in a stored validation report. */
const REPORT_ISSUES = 2_000;

export type DatasetRow = typeof backtestDatasets.$inferSelect;

/** The import's validation report as stored with a dataset. */
export interface ValidationReportView {
  format: 'csv' | 'json' | 'exchange';
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  gapMode: string;
  issueCounts: Record<string, number>;
  issues: { row: number; code: string; severity: 'error' | 'warning'; message: string }[];
  truncated: boolean;
}

/** Candle datasets of a user: imported files and slices of the exchange's own candles. */
export class BacktestDatasets {
  constructor(private readonly deps: BacktestDeps) {}

  private get db() {
    return this.deps.store.db;
  }

  async importDataset(
    userId: string,
    input: {
      name: string;
      content: string;
      format?: 'auto' | 'csv' | 'json';
      adjust?: 'none' | 'adjusted';
      symbol?: string;
    },
    source?: 'exchange',
  ) {
    const out = await runInWorker<ParseOutcome>(
      {
        kind: 'parse',
        text: input.content,
        options: { format: input.format ?? 'auto', adjust: input.adjust ?? 'none' },
      },
      { maxHeapMb: 2048 },
    );
    const parsed = { ...out, candles: { length: out.candles.time.length, ...out.candles } };
    const total = Object.values(parsed.issueCounts).reduce((n, v) => n + (v ?? 0), 0);
    const report: ValidationReportView = {
      format: source ?? parsed.format,
      rowsRead: parsed.rowsRead,
      rowsAccepted: parsed.candles.length,
      rowsRejected: parsed.rowsRejected,
      gapMode: parsed.gapMode,
      issueCounts: parsed.issueCounts as Record<string, number>,
      issues: parsed.issues.slice(0, REPORT_ISSUES),
      truncated: total > REPORT_ISSUES,
    };
    if (!parsed.ok) {
      throw new AppError('dataset_invalid', 'No valid candle in the file', { report });
    }
    const c = parsed.candles;
    const row = this.deps.store.write('backtest.datasets.import', () =>
      this.db
        .insert(backtestDatasets)
        .values({
          userId,
          name: input.name.trim(),
          source: source ?? parsed.format,
          symbol: input.symbol?.trim() || null,
          interval: parsed.interval?.label ?? null,
          intervalMs: parsed.interval?.ms ?? null,
          barCount: c.length,
          firstTime: c.time[0]!,
          lastTime: c.time[c.length - 1]!,
          hasOpenInterest: c.openInterest !== null,
          candles: packCandles(c),
          report: JSON.stringify(report),
          tsCreated: this.deps.now(),
        })
        .returning()
        .get(),
    );
    return { dataset: datasetView(row), report };
  }

  /**
   * A dataset from the candles the local exchange recorded (market-data, engine units
   * converted to decimals through the market's spec). The bars go through the same
   * validation as an import (gaps are reported: a quiet market has no bar).
   */
  async fromExchange(
    userId: string,
    input: { name: string; symbol: string; interval: string; from?: number; to?: number },
    exchange: { spec(symbol: string): MarketSpec } | undefined,
  ) {
    if (!exchange) {
      throw new AppError('source_unavailable', 'The local exchange is not running in this backend');
    }
    if (!(CANDLE_INTERVALS as readonly string[]).includes(input.interval)) {
      throw new AppError(
        'validation_failed',
        `interval must be one of ${CANDLE_INTERVALS.join(', ')}`,
      );
    }
    const spec = exchange.spec(input.symbol);
    const conds = [
      eq(marketCandles.symbol, input.symbol),
      eq(marketCandles.interval, input.interval),
    ];
    if (input.from !== undefined) conds.push(gte(marketCandles.openTime, input.from));
    if (input.to !== undefined) conds.push(lt(marketCandles.openTime, input.to));
    const rows = this.db
      .select()
      .from(marketCandles)
      .where(and(...conds))
      .orderBy(marketCandles.openTime)
      .all();
    if (rows.length === 0) {
      throw new AppError(
        'dataset_invalid',
        `The exchange has recorded no ${input.interval} candle for ${input.symbol} in that range`,
      );
    }
    const px = (t: number) => ticksToPrice(spec, t);
    const text =
      '[' +
      rows
        .map(
          (r) =>
            `[${r.openTime},${px(r.open)},${px(r.high)},${px(r.low)},${px(r.close)},${lotsToQty(spec, r.volume)}]`,
        )
        .join(',') +
      ']';
    return this.importDataset(
      userId,
      { name: input.name, content: text, symbol: input.symbol },
      'exchange',
    );
  }

  listDatasets(userId: string) {
    const rows = this.db
      .select({
        id: backtestDatasets.id,
        userId: backtestDatasets.userId,
        name: backtestDatasets.name,
        source: backtestDatasets.source,
        symbol: backtestDatasets.symbol,
        interval: backtestDatasets.interval,
        intervalMs: backtestDatasets.intervalMs,
        barCount: backtestDatasets.barCount,
        firstTime: backtestDatasets.firstTime,
        lastTime: backtestDatasets.lastTime,
        hasOpenInterest: backtestDatasets.hasOpenInterest,
        report: backtestDatasets.report,
        tsCreated: backtestDatasets.tsCreated,
      })
      .from(backtestDatasets)
      .where(eq(backtestDatasets.userId, userId))
      .orderBy(desc(backtestDatasets.id))
      .all();
    return { items: rows.map(datasetView) };
  }

  datasetRow(userId: string, id: number): DatasetRow {
    const row = this.db
      .select()
      .from(backtestDatasets)
      .where(and(eq(backtestDatasets.id, id), eq(backtestDatasets.userId, userId)))
      .get();
    if (!row) throw new AppError('not_found', `No dataset ${id}`);
    return row;
  }

  getDataset(userId: string, id: number) {
    const row = this.datasetRow(userId, id);
    return { dataset: datasetView(row), report: JSON.parse(row.report) as ValidationReportView };
  }

  candlesOf(row: DatasetRow): Candles {
    return unpackCandles(row.candles, row.barCount, row.hasOpenInterest);
  }

  datasetCandles(userId: string, id: number, offset = 0, limit = 5_000) {
    const c = this.candlesOf(this.datasetRow(userId, id));
    const end = Math.min(c.length, offset + limit);
    const s = Math.min(offset, end);
    const arr = (a: Float64Array) => Array.from(a.subarray(s, end));
    return {
      total: c.length,
      offset: s,
      time: arr(c.time),
      open: arr(c.open),
      high: arr(c.high),
      low: arr(c.low),
      close: arr(c.close),
      volume: arr(c.volume),
    };
  }

  deleteDataset(userId: string, id: number) {
    this.datasetRow(userId, id);
    this.deps.store.write('backtest.datasets.delete', () =>
      this.db
        .delete(backtestDatasets)
        .where(and(eq(backtestDatasets.id, id), eq(backtestDatasets.userId, userId)))
        .run(),
    );
    return { ok: true as const };
  }
}

function datasetView(row: Omit<DatasetRow, 'candles' | 'userId'> & { report: string }) {
  const report = JSON.parse(row.report) as ValidationReportView;
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    symbol: row.symbol,
    interval: row.interval,
    intervalMs: row.intervalMs,
    barCount: row.barCount,
    firstTime: row.firstTime,
    lastTime: row.lastTime,
    hasOpenInterest: row.hasOpenInterest,
    issueCount: Object.values(report.issueCounts).reduce((n, v) => n + v, 0),
    tsCreated: row.tsCreated,
  };
}
