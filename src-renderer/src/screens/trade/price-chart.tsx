import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { CHART_INTERVALS } from '../../../../src-shared/contract';
import { useTradeSlice, type Candle } from '../../stores/trade';
import { useUi } from '../../stores/ui';

const sec = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

interface Series {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  volume: ISeriesApi<'Histogram'>;
  buy: string;
  sell: string;
}

const bar = (c: Candle) => ({
  time: sec(c.openTime),
  open: Number(c.open),
  high: Number(c.high),
  low: Number(c.low),
  close: Number(c.close),
});

function volumeOf(c: Candle, s: Series) {
  const up = Number(c.close) >= Number(c.open);
  return { time: sec(c.openTime), value: Number(c.volume), color: `${up ? s.buy : s.sell}66` };
}

/** Candlesticks with volume below; the last bar moves with the `candles:` stream. */
export function PriceChart() {
  const ref = useRef<HTMLDivElement>(null);
  const series = useRef<Series | undefined>(undefined);
  const theme = useUi((s) => s.theme);
  const { candles, candlesVersion, interval, setInterval } = useTradeSlice(
    'candles',
    'candlesVersion',
    'interval',
    'setInterval',
  );
  const shown = useRef(0);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Child effects run before the shell's: make sure the colours read are this theme's.
    document.documentElement.dataset.theme = theme;
    const buy = cssVar('--buy-fg');
    const sell = cssVar('--sell-fg');
    const chart = createChart(el, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: cssVar('--bg-raised') },
        textColor: cssVar('--text-muted'),
        attributionLogo: false,
      },
      grid: {
        vertLines: { color: cssVar('--border') },
        horzLines: { color: cssVar('--border') },
      },
      rightPriceScale: { borderColor: cssVar('--border') },
      timeScale: {
        borderColor: cssVar('--border'),
        timeVisible: true,
        secondsVisible: false,
        rightOffset: 6,
        barSpacing: 8,
      },
    });
    const c = chart.addSeries(CandlestickSeries, {
      upColor: buy,
      downColor: sell,
      borderUpColor: buy,
      borderDownColor: sell,
      wickUpColor: buy,
      wickDownColor: sell,
    });
    const v = chart.addSeries(HistogramSeries, {
      lastValueVisible: false,
      priceLineVisible: false,
      priceScaleId: 'vol',
      priceFormat: { type: 'volume' },
    });
    chart.priceScale('vol').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    c.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    series.current = { chart, candles: c, volume: v, buy, sell };
    shown.current = -1;
    return () => {
      chart.remove();
      series.current = undefined;
    };
  }, [theme]);

  useEffect(() => {
    const s = series.current;
    if (!s) return;
    const last = candles.at(-1);
    // A new series (market, interval, theme) is set whole; a live tick only updates its bar.
    if (shown.current !== candlesVersion || !last) {
      s.candles.setData(candles.map(bar));
      s.volume.setData(candles.map((c) => volumeOf(c, s)));
      s.chart.timeScale().scrollToRealTime();
      shown.current = candlesVersion;
      return;
    }
    s.candles.update(bar(last));
    s.volume.update(volumeOf(last, s));
  }, [candles, candlesVersion, theme]);

  return (
    <section className="card trade-chart" aria-label="Price chart">
      <div className="trade-card-head">
        <h2>Chart</h2>
        <div className="segmented" role="radiogroup" aria-label="Interval">
          {CHART_INTERVALS.map((iv) => (
            <label key={iv} className={iv === interval ? 'active' : ''}>
              <input
                type="radio"
                name="interval"
                value={iv}
                checked={iv === interval}
                onChange={() => void setInterval(iv)}
              />
              {iv}
            </label>
          ))}
        </div>
      </div>
      <div ref={ref} className="trade-chart-canvas" data-candles={candles.length} />
    </section>
  );
}
