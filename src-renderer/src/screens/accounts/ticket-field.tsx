/** A ticket's labelled input; a refusal (the form's or the server's) sits between label and input. */
export function Field(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem?: string | undefined;
  disabled?: boolean;
  placeholder?: string;
  list?: string;
  describedBy?: string;
  /** Marked refused by the words with this id, said elsewhere (too long for the cell). */
  invalidBy?: string | undefined;
  numeric?: 'decimal' | 'numeric';
}) {
  const invalid = props.problem !== undefined || props.invalidBy !== undefined;
  const described = [props.describedBy, props.invalidBy].filter(Boolean).join(' ');
  // Under the input it would lift the ticket's other inputs, which line up at the bottom.
  return (
    <label>
      {props.label}
      {props.problem ? (
        <small className="error-text" role="alert">
          {props.problem}
        </small>
      ) : null}
      <input
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        disabled={props.disabled}
        placeholder={props.placeholder}
        list={props.list}
        inputMode={props.numeric}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={described || undefined}
      />
    </label>
  );
}
