/** The accounts an alert or a bot may trade through, named with their venue. */
export function AccountSelect(props: {
  accounts: ReadonlyArray<{ id: string; name: string; venue: string }>;
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <label className="field">
      <span>Account</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name} ({a.venue})
          </option>
        ))}
      </select>
    </label>
  );
}
