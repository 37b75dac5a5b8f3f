import { useBacktest, type ParamSpec, type Range } from '../../stores/backtest';
import { AssumptionsFields } from './assumptions-fields';
import { int } from './format';
import { NumberField, Select } from './setup-fields';

function rangeHint(p: ParamSpec): string {
  if (p.type === 'int' || p.type === 'float') return `${p.min} – ${p.max}`;
  return '';
}

/** One parameter: its value, or (sweep) the range of values to try. */
type NumericRange = { min: number; max: number; step: number };

/** One strategy parameter's input, by type; in a sweep, with the choice of values to try. */
function ParamField({ p, sweep }: { p: ParamSpec; sweep: boolean }) {
  const numeric = p.type === 'int' || p.type === 'float';
  if (numeric && sweep) return <SweepRangeField p={p} />;
  if (numeric) return <NumericParamField p={p} />;
  if (p.type === 'bool') return <BoolParamField p={p} sweep={sweep} />;
  return <ChoiceParamField p={p} sweep={sweep} />;
}

function NumericParamField({ p }: { p: ParamSpec }) {
  const { params, setParam } = useBacktest();
  return (
    <NumberField
      label={p.label ?? p.name}
      hint={rangeHint(p)}
      value={Number(params[p.name] ?? p.default)}
      step={p.type === 'int' ? 1 : 'any'}
      min={p.min}
      onChange={(v) => setParam(p.name, v)}
    />
  );
}

/** A number in a sweep: one value, or (ticked) a range from, to and step. */
function SweepRangeField({ p }: { p: ParamSpec }) {
  const { params, ranges, setParam, setRange } = useBacktest();
  const value = params[p.name] ?? p.default;
  const range = ranges[p.name];
  const label = p.label ?? p.name;
  const r = (range && !Array.isArray(range) ? range : undefined) as NumericRange | undefined;
  const step = p.type === 'int' ? 1 : 'any';
  // Ticked: from the current value, five steps up (within the parameter's maximum).
  const startRange = (): NumericRange => ({
    min: Number(value),
    max: Math.min(p.max ?? Number(value), Number(value) + 4 * (p.step ?? 1)),
    step: p.step ?? 1,
  });
  const bound = (k: keyof NumericRange) => (k === 'min' ? 'from' : k === 'max' ? 'to' : 'step');
  return (
    <fieldset className="bt-range">
      <legend>
        <label className="bt-check">
          <input
            type="checkbox"
            checked={r !== undefined}
            onChange={(e) => setRange(p.name, e.target.checked ? startRange() : undefined)}
          />
          Vary {label}
        </label>
      </legend>
      {r ? (
        <div className="bt-grid3">
          {(['min', 'max', 'step'] as const).map((k) => (
            <NumberField
              key={k}
              label={bound(k)}
              ariaLabel={`${label} ${bound(k)}`}
              value={r[k]}
              step={step}
              onChange={(v) => setRange(p.name, { ...r, [k]: v } as Range)}
            />
          ))}
        </div>
      ) : (
        <NumberField
          label={label}
          hint={rangeHint(p)}
          value={Number(value)}
          step={step}
          onChange={(v) => setParam(p.name, v)}
        />
      )}
    </fieldset>
  );
}

function BoolParamField({ p, sweep }: { p: ParamSpec; sweep: boolean }) {
  const { params, ranges, setParam, setRange } = useBacktest();
  const boolRange = Array.isArray(ranges[p.name]);
  return (
    <div className="bt-bool">
      <label className="bt-check">
        <input
          type="checkbox"
          checked={(params[p.name] ?? p.default) === true}
          disabled={sweep && boolRange}
          onChange={(e) => setParam(p.name, e.target.checked)}
        />
        {p.label ?? p.name}
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

function ChoiceParamField({ p, sweep }: { p: ParamSpec; sweep: boolean }) {
  const { params, ranges, setParam, setRange } = useBacktest();
  const options = (p.options ?? []).map((o) => [o, o] as const);
  return (
    <div>
      <Select
        label={p.label ?? p.name}
        value={String(params[p.name] ?? p.default)}
        options={options}
        onChange={(v) => setParam(p.name, v)}
      />
      {sweep && (
        <label className="bt-check small">
          <input
            type="checkbox"
            checked={Array.isArray(ranges[p.name])}
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
