/** A select's choices: the value stored, then the words shown. */
export type Options<T extends string> = readonly (readonly [T, string])[];

export function NumberField({
  label,
  value,
  onChange,
  step = 'any',
  min,
  hint,
  ariaLabel,
}: {
  label: string;
  ariaLabel?: string;
  value: number;
  onChange: (v: number) => void;
  step?: string | number;
  min?: number;
  hint?: string;
}) {
  return (
    <label className="field">
      <span>
        {label}
        {hint && <small className="muted"> {hint}</small>}
      </span>
      <input
        type="number"
        aria-label={ariaLabel}
        value={Number.isFinite(value) ? value : ''}
        step={step}
        min={min}
        onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))}
      />
    </label>
  );
}

export function Select<T extends string>({
  label,
  value,
  options,
  onChange,
  wide,
}: {
  label: string;
  value: T;
  options: Options<T>;
  onChange: (v: T) => void;
  /** Across both columns of a two-column grid: its choices are too long for one. */
  wide?: boolean;
}) {
  return (
    <label className={wide ? 'field bt-span2' : 'field'}>
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}
