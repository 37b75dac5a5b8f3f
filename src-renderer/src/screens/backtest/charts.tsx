import {
  AreaSeries,
  CandlestickSeries,
  ColorType,
  LineSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import type { CandlesPage, RunDetail } from '../../stores/backtest';
import { useUi } from '../../stores/ui';

type Result = NonNullable<RunDetail['result']>;

const sec = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

interface Colors {
  text: string;
  border: string;
  accent: string;
  buy: string;
  sell: string;
  warn: string;
  bg: string;
}

/** A lightweight-charts chart bound to a div, rebuilt when its inputs or the theme change. */
export function useChart(
  build: (chart: IChartApi, colors: Colors) => void,
  deps: unknown[],
  height: number,
) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const colors: Colors = {
      text: cssVar('--text-muted'),
      border: cssVar('--border'),
      accent: cssVar('--accent'),
      buy: cssVar('--buy-fg'),
      sell: cssVar('--sell-fg'),
      warn: cssVar('--warn'),
      bg: cssVar('--bg-raised'),
    };
    const chart = createChart(el, {
      height,
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: colors.bg },
        textColor: colors.text,
        attributionLogo: false,
      },
      grid: { vertLines: { color: colors.border }, horzLines: { color: colors.border } },
      rightPriceScale: { borderColor: colors.border },
      timeScale: { borderColor: colors.border, timeVisible: true, minBarSpacing: 0.001 },
      handleScroll: true,
      handleScale: true,
    });
    build(chart, colors);
    chart.timeScale().fitContent();
    // autoSize learns the width after layout: fit again once it is known.
    const frame = requestAnimationFrame(() => chart.timeScale().fitContent());
    return () => {
      cancelAnimationFrame(frame);
      chart.remove();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, theme, height]);
  return ref;
}

/** Decimals that show a price with about five significant digits (0.00012345 → 8). */
function precisionFor(price: number): number {
  if (!(price > 0) || !Number.isFinite(price)) return 2;
  return Math.min(8, Math.max(2, 4 - Math.floor(Math.log10(price))));
}

/** Strictly increasing times (lightweight-charts refuses duplicates). */
export function series<T>(time: number[], value: (i: number) => T | null) {
  const out: { time: Time; value: T }[] = [];
  let last = -Infinity;
  for (let i = 0; i < time.length; i++) {
    const t = sec(time[i]!);
    const v = value(i);
    if (t <= last || v === null) continue;
    last = t;
    out.push({ time: t, value: v });
  }
  return out;
}

export function EquityChart({ result, label }: { result: Result; label: string }) {
  const ref = useChart(
    (chart, c) => {
      const s = chart.addSeries(AreaSeries, {
        lineColor: c.accent,
        topColor: `${c.accent}55`,
        bottomColor: `${c.accent}05`,
        lineWidth: 2,
        priceLineVisible: false,
      });
      s.setData(series(result.time, (i) => result.equity[i] ?? null));
    },
    [result],
    220,
  );
  return <div ref={ref} className="bt-chart" role="img" aria-label={label} />;
}

export function DrawdownChart({ result }: { result: Result }) {
  const ref = useChart(
    (chart, c) => {
      const s = chart.addSeries(AreaSeries, {
        lineColor: c.sell,
        topColor: `${c.sell}10`,
        bottomColor: `${c.sell}55`,
        invertFilledArea: true,
        lineWidth: 1,
        priceLineVisible: false,
        priceFormat: { type: 'percent' },
      });
      s.setData(
        series(result.time, (i) => {
          const d = result.drawdown[i];
          return d === null || d === undefined ? null : d * 100;
        }),
      );
    },
    [result],
    140,
  );
  return <div ref={ref} className="bt-chart" role="img" aria-label="Drawdown curve" />;
}

/** Candles of the run's window with an arrow per trade entry and exit (no result: all bars). */
export function PriceChart({
  candles,
  result,
  label = 'Price with trades',
}: {
  candles: CandlesPage;
  result?: Result;
  label?: string;
}) {
  const ref = useChart(
    (chart, c) => {
      const s = chart.addSeries(CandlestickSeries, {
        upColor: c.buy,
        downColor: c.sell,
        borderVisible: false,
        wickUpColor: c.buy,
        wickDownColor: c.sell,
        priceLineVisible: false,
      });
      const from = result?.time[0] ?? -Infinity;
      const to = result?.time[result.time.length - 1] ?? Infinity;
      const data = [];
      let last = -Infinity;
      for (let i = 0; i < candles.time.length; i++) {
        const t = candles.time[i]!;
        if (t < from || t > to || sec(t) <= last) continue;
        last = sec(t);
        data.push({
          time: sec(t),
          open: candles.open[i]!,
          high: candles.high[i]!,
          low: candles.low[i]!,
          close: candles.close[i]!,
        });
      }
      s.setData(data);
      const precision = precisionFor(data.length ? data[data.length >> 1]!.close : 1);
      s.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } });
      const markers: SeriesMarker<Time>[] = [];
      // Labels only while they stay readable; arrows (colour = side) always.
      const trades = result?.trades ?? [];
      const labelled = trades.length <= 30;
      for (const t of trades) {
        const long = t.side === 'long';
        markers.push({
          time: sec(t.entryTime),
          position: long ? 'belowBar' : 'aboveBar',
          shape: long ? 'arrowUp' : 'arrowDown',
          color: long ? c.buy : c.sell,
          text: labelled ? (long ? 'Buy' : 'Short') : undefined,
        });
        markers.push({
          time: sec(t.exitTime),
          position: long ? 'aboveBar' : 'belowBar',
          shape: long ? 'arrowDown' : 'arrowUp',
          color: c.warn,
          text: labelled ? 'Exit' : undefined,
        });
      }
      markers.sort((a, b) => Number(a.time) - Number(b.time));
      createSeriesMarkers(s, markers.length > 2_000 ? [] : markers);
    },
    [candles, result],
    300,
  );
  return <div ref={ref} className="bt-chart" role="img" aria-label={label} />;
}

/** Two equity curves on one chart (compare), as returns so different cash compares. */
export function CompareChart({ a, b }: { a: Result; b: Result }) {
  const ref = useChart(
    (chart, c) => {
      for (const [r, color] of [
        [a, c.accent],
        [b, c.warn],
      ] as const) {
        const start = r.equity[0] ?? 1;
        const s = chart.addSeries(LineSeries, {
          color,
          lineWidth: 2,
          priceLineVisible: false,
          priceFormat: { type: 'percent' },
        });
        s.setData(
          series(r.time, (i) => {
            const e = r.equity[i];
            return e === null || e === undefined ? null : (e / start - 1) * 100;
          }),
        );
      }
    },
    [a, b],
    260,
  );
  return <div ref={ref} className="bt-chart" role="img" aria-label="Equity of both runs" />;
}
