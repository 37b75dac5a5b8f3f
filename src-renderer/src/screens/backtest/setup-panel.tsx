import { useBacktest, type ParamSpec, type Range } from '../../stores/backtest';
import { AssumptionsFields } from './assumptions-fields';
import { int } from './format';
import { NumberField, Select } from './setup-fields';

function rangeHint(p: ParamSpec): string {
  if (p.type === 'int' || p.type === 'float') return `${p.min} – ${p.max}`;
  return '';
}

/** One parameter: its value, or (sweep) the range of values to try. */
function ParamField({ p, sweep }: { p: ParamSpec; sweep: boolean }) {
  const { params, ranges, setParam, setRange } = useBacktest();
  const value = params[p.name] ?? p.default;
  const range = ranges[p.name];
  const label = p.label ?? p.name;
  const numeric = p.type === 'int' || p.type === 'float';
  if (sweep && numeric) {
    const r = (range && !Array.isArray(range) ? range : undefined) as
      { min: number; max: number; step: number } | undefined;
    return (
      <fieldset className="bt-range">
        <legend>
          <label className="bt-check">
            <input
              type="checkbox"
              checked={r !== undefined}
              onChange={(e) =>
                setRange(
                  p.name,
                  e.target.checked
                    ? {
                        min: Number(value),
                        max: Math.min(p.max ?? Number(value), Number(value) + 4 * (p.step ?? 1)),
                        step: p.step ?? 1,
                      }
                    : undefined,
                )
              }
            />
            Vary {label}
          </label>
        </legend>
        {r ? (
          <div className="bt-grid3">
            {(['min', 'max', 'step'] as const).map((k) => (
              <NumberField
                key={k}
                label={k === 'min' ? 'from' : k === 'max' ? 'to' : 'step'}
                ariaLabel={`${label} ${k === 'min' ? 'from' : k === 'max' ? 'to' : 'step'}`}
                value={r[k]}
                step={p.type === 'int' ? 1 : 'any'}
                onChange={(v) => setRange(p.name, { ...r, [k]: v } as Range)}
              />
            ))}
          </div>
        ) : (
          <NumberField
            label={label}
            hint={rangeHint(p)}
            value={Number(value)}
            step={p.type === 'int' ? 1 : 'any'}
            onChange={(v) => setParam(p.name, v)}
          />
        )}
      </fieldset>
    );
  }
  if (numeric) {
    return (
      <NumberField
        label={label}
        hint={rangeHint(p)}
        value={Number(value)}
        step={p.type === 'int' ? 1 : 'any'}
        min={p.min}
        onChange={(v) => setParam(p.name, v)}
      />
    );
  }
  if (p.type === 'bool') {
    const boolRange = Array.isArray(range);
    return (
      <div className="bt-bool">
        <label className="bt-check">
          <input
            type="checkbox"
            checked={value === true}
            disabled={sweep && boolRange}
            onChange={(e) => setParam(p.name, e.target.checked)}
          />
          {label}
        </label>
        {sweep && (
          <label className="bt-check small">
            <input
              type="checkbox"
              checked={boolRange}
              onChange={(e) => setRange(p.name, e.target.checked ? [false, true] : undefined)}
            />
            try both
          </label>
        )}
      </div>
    );
  }
  const options = (p.options ?? []).map((o) => [o, o] as const);
  return (
    <div>
      <Select
        label={label}
        value={String(value)}
        options={options}
        onChange={(v) => setParam(p.name, v)}
      />
      {sweep && (
        <label className="bt-check small">
          <input
            type="checkbox"
            checked={Array.isArray(range)}
            onChange={(e) =>
              setRange(p.name, e.target.checked ? [...(p.options ?? [])] : undefined)
            }
          />
          try every option
        </label>
      )}
    </div>
  );
}

/** Dataset, strategy, parameters and assumptions; Run (or Sweep) at the bottom. */
export function SetupPanel({ mode }: { mode: 'backtest' | 'sweep' }) {
  const s = useBacktest();
  const strategy = s.strategies.find((x) => x.id === s.strategyId);
  const sweep = mode === 'sweep';
  const gridSize = sweep
    ? Object.values(s.ranges).reduce((n, r) => {
        if (!r) return n;
        if (Array.isArray(r)) return n * r.length;
        return r.step > 0 && r.max >= r.min
          ? n * (Math.floor((r.max - r.min) / r.step + 1e-9) + 1)
          : n;
      }, 1)
    : 1;
  const varying = Object.values(s.ranges).some((r) => r !== undefined);
  return (
    <form
      className="card bt-setup"
      aria-label={sweep ? 'Sweep setup' : 'Backtest setup'}
      onSubmit={(e) => {
        e.preventDefault();
        void (sweep ? s.runSweep() : s.runBacktest());
      }}
    >
      <label className="field">
        <span>Dataset</span>
        <select
          value={s.datasetId ?? ''}
          onChange={(e) => s.selectDataset(e.target.value ? Number(e.target.value) : undefined)}
        >
          {s.datasets.length === 0 && <option value="">Import a dataset first</option>}
          {s.datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} · {int(d.barCount)} × {d.interval ?? '?'}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Strategy</span>
        <select value={s.strategyId} onChange={(e) => s.selectStrategy(e.target.value)}>
          <optgroup label="Built-in">
            {s.strategies
              .filter((x) => x.builtIn)
              .map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
          </optgroup>
          {s.strategies.some((x) => !x.builtIn) && (
            <optgroup label="Yours">
              {s.strategies
                .filter((x) => !x.builtIn)
                .map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
            </optgroup>
          )}
        </select>
      </label>
      {strategy && <p className="small muted">{strategy.description}</p>}
      <fieldset className="bt-params">
        <legend>Parameters</legend>
        {strategy?.params.length === 0 && <p className="small muted">This strategy has none.</p>}
        {strategy?.params.map((p) => (
          <ParamField key={p.name} p={p} sweep={sweep} />
        ))}
      </fieldset>
      <AssumptionsFields />
      {s.error && (
        <p className="error-text" role="alert">
          {s.error}
        </p>
      )}
      <div className="row">
        <button
          className="btn primary"
          type="submit"
          disabled={s.busy || s.datasetId === undefined || (sweep && !varying)}
        >
          {sweep ? (varying ? `Run sweep (${int(gridSize)} runs)` : 'Run sweep') : 'Run backtest'}
        </button>
      </div>
      {sweep && !varying && <p className="small muted">Tick at least one parameter to vary.</p>}
    </form>
  );
}
