import { CHART_INTERVALS } from '../../../../src-shared/contract';
import type { BotInput, StrategyInfo } from '../../stores/bots';

type ParamSpec = StrategyInfo['params'][number];
export type ParamText = Record<string, string>;

export function StrategyField(props: {
  strategies: StrategyInfo[];
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  return (
    <label className="field">
      <span>Strategy</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.strategies.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
            {s.builtIn ? '' : ' (yours)'}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A free-text field; the form converts and the server validates on create. */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  inputMode?: 'decimal' | 'numeric';
  placeholder?: string;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        inputMode={props.inputMode}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

/** Any symbol may be typed; the local markets are only suggestions. */
export function MarketField(props: {
  markets: string[];
  value: string;
  onChange: (symbol: string) => void;
}) {
  return (
    <label className="field">
      <span>Market</span>
      <input
        list="bots-markets"
        value={props.value}
        required
        placeholder="BTC/USDT"
        onChange={(e) => props.onChange(e.target.value)}
      />
      <datalist id="bots-markets">
        {props.markets.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
    </label>
  );
}

export function IntervalField(props: {
  value: BotInput['interval'];
  onChange: (interval: BotInput['interval']) => void;
}) {
  return (
    <label className="field">
      <span>Bar interval</span>
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as BotInput['interval'])}
      >
        {CHART_INTERVALS.map((i) => (
          <option key={i} value={i}>
            {i}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The strategy's own parameters, each edited as text (see `paramsOf` for the conversion). */
export function ParamFields(props: {
  specs: ParamSpec[];
  text: ParamText;
  onChange: (text: ParamText) => void;
}) {
  const { specs, text, onChange } = props;
  return specs.map((p) => (
    <label className="field" key={p.name}>
      <span>{p.label ?? p.name}</span>
      {p.type === 'bool' || p.type === 'enum' ? (
        <select
          value={text[p.name] ?? String(p.default)}
          onChange={(e) => onChange({ ...text, [p.name]: e.target.value })}
        >
          {(p.type === 'bool' ? ['true', 'false'] : (p.options ?? [])).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          inputMode="decimal"
          value={text[p.name] ?? ''}
          onChange={(e) => onChange({ ...text, [p.name]: e.target.value })}
        />
      )}
    </label>
  ));
}
