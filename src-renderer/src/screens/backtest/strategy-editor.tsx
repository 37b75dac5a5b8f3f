import { useEffect, useState } from 'react';
import { ROLE_PERMISSIONS } from '../../../../src-shared/contract';
import { call, useSession } from '../../stores/session';
import { useBacktest } from '../../stores/backtest';

/** What the editor shows beside the source: the interface a strategy is written against. */
export const STRATEGY_INTERFACE = `// A strategy is one script that calls defineStrategy(...). It runs in a sandbox:
// no require, process, timers or network; a time limit stops runaway code.
defineStrategy({
  name: string,
  description?: string,
  params: ParamSpec[],          // typed, with ranges: the form and the sweep use them
  create(params): {             // called once per run with validated values
    onStart?(ctx): void,        // before the first bar: precompute indicators here
    onBar(ctx): void,           // after each bar closes; orders fill from the next bar
    onOrderUpdate?(order, ctx): void,  // filled / cancelled / rejected
    onEnd?(ctx): void,          // after the last bar
  },
});

type ParamSpec =
  | { name: string; type: 'int' | 'float'; min: number; max: number; step: number; default: number; label?: string }
  | { name: string; type: 'bool'; default: boolean; label?: string }
  | { name: string; type: 'enum'; options: string[]; default: string; label?: string };

interface Ctx {
  candles: { length: number; time, open, high, low, close, volume: Float64Array };
  index: number;      // the bar that just closed — read only indices <= index
  time: number;       // ms, UTC
  position: number;   // signed units (negative = short)
  avgPrice: number;   // NaN when flat
  cash: number; equity: number;
  openOrders: Order[];
  params: Record<string, number | boolean | string>;
  assumptions: object; // commission, slippage, sizing, … (read only)
  indicators: { sma, ema, wma, rma, rsi, macd, bollinger, atr, stochastic,
                donchian, rollingMax, rollingMin, trueRange, crossover, crossunder, crossSeries };
  buy(o?: { type?: 'market' | 'limit' | 'stop'; quantity?: number; price?: number; tag?: string }): Order;
  sell(o?: …): Order;   // no quantity = the sizing assumption decides
  closePosition(tag?: string): Order | null;
  cancel(orderId: number): boolean;
  cancelAll(): void;
}`;

export const EXAMPLE_STRATEGY = `// Long while the close is above its moving average.
defineStrategy({
  name: 'Close above SMA',
  description: 'Long while the close is above its simple moving average',
  params: [
    { name: 'period', type: 'int', min: 2, max: 200, step: 1, default: 20, label: 'SMA period' },
  ],
  create(p) {
    let avg = new Float64Array(0);
    return {
      onStart(ctx) {
        avg = ctx.indicators.sma(ctx.candles.close, p.period);
      },
      onBar(ctx) {
        const i = ctx.index;
        const above = ctx.candles.close[i] > avg[i];
        if (above && ctx.position <= 0) ctx.buy({ tag: 'above' });
        else if (!above && ctx.position > 0) ctx.closePosition('below');
      },
    };
  },
});
`;

/**
 * Strategies tab: the editor for roles that may run their own code (`backtest.custom`), else a
 * line saying why not — the server would refuse every save and run anyway.
 */
export function StrategyEditor() {
  const role = useSession((s) => s.user?.role);
  const mayWrite = role !== undefined && ROLE_PERMISSIONS[role].includes('backtest.custom');
  if (!mayWrite) {
    return (
      <section className="card" aria-labelledby="bt-mine-title">
        <h2 id="bt-mine-title">Your strategies</h2>
        <p className="muted">
          Your role ({role ?? 'none'}) runs the built-in strategies only. Writing and running your
          own strategy code needs a trader, admin or owner role; an administrator can change it.
        </p>
      </section>
    );
  }
  return <StrategyWorkbench />;
}

/** The user's strategies: list, edit source (JS or TS), save (checked in the sandbox). */
function StrategyWorkbench() {
  const { strategies, saveStrategy, deleteStrategy, selectStrategy } = useBacktest();
  const mine = strategies.filter((s) => !s.builtIn);
  const [editing, setEditing] = useState<string | undefined>();
  const [source, setSource] = useState(EXAMPLE_STRATEGY);
  const [language, setLanguage] = useState<'js' | 'ts'>('js');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!editing) return;
    void call('backtest.strategies.get', { id: Number(editing.slice(5)) }).then((s) => {
      setSource(s.source);
      setLanguage(s.language);
    });
  }, [editing]);

  return (
    <div className="bt-editor-layout">
      <section className="card" aria-labelledby="bt-mine-title">
        <h2 id="bt-mine-title">Your strategies</h2>
        <ul className="bt-list">
          {mine.map((s) => (
            <li key={s.id} className={s.id === editing ? 'bt-selected' : ''}>
              <button type="button" className="btn-link" onClick={() => setEditing(s.id)}>
                {s.name}
              </button>{' '}
              <span className="badge">{s.language}</span>
              <button
                type="button"
                className="btn small danger"
                onClick={() => {
                  if (window.confirm(`Delete strategy “${s.name}”?`)) {
                    void deleteStrategy(s.id);
                    if (editing === s.id) setEditing(undefined);
                  }
                }}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setEditing(undefined);
            setSource(EXAMPLE_STRATEGY);
            setLanguage('js');
            setMessage(undefined);
          }}
        >
          New strategy
        </button>
        <label className="field bt-load">
          <span>Load a file</span>
          <input
            type="file"
            accept=".js,.ts,text/javascript,text/typescript"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              setLanguage(f.name.endsWith('.ts') ? 'ts' : 'js');
              void f.text().then(setSource);
            }}
          />
        </label>
      </section>
      <section className="card bt-editor" aria-labelledby="bt-editor-title">
        <h2 id="bt-editor-title">{editing ? 'Edit strategy' : 'New strategy'}</h2>
        <form
          aria-label="Strategy source"
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            void saveStrategy(
              language,
              source,
              editing ? Number(editing.slice(5)) : undefined,
            ).then((r) => {
              setBusy(false);
              if (r.ok) {
                setEditing(r.id);
                selectStrategy(r.id);
                setMessage({ ok: true, text: 'Saved and checked in the sandbox.' });
              } else setMessage({ ok: false, text: r.message });
            });
          }}
        >
          <div className="row">
            <label className="bt-check">
              <input
                type="radio"
                name="lang"
                checked={language === 'js'}
                onChange={() => setLanguage('js')}
              />
              JavaScript
            </label>
            <label className="bt-check">
              <input
                type="radio"
                name="lang"
                checked={language === 'ts'}
                onChange={() => setLanguage('ts')}
              />
              TypeScript (types are stripped)
            </label>
          </div>
          <label className="field">
            <span>Source</span>
            <textarea
              className="bt-source"
              spellCheck={false}
              value={source}
              rows={24}
              onChange={(e) => setSource(e.target.value)}
            />
          </label>
          {message && (
            <p
              className={message.ok ? 'ok-text' : 'error-text'}
              role={message.ok ? 'status' : 'alert'}
            >
              {message.text}
            </p>
          )}
          <button className="btn primary" type="submit" disabled={busy}>
            {busy ? 'Checking…' : 'Save strategy'}
          </button>
        </form>
      </section>
      <section className="card bt-interface" aria-labelledby="bt-iface-title">
        <h2 id="bt-iface-title">Strategy interface</h2>
        <pre className="mono">{STRATEGY_INTERFACE}</pre>
      </section>
    </div>
  );
}
