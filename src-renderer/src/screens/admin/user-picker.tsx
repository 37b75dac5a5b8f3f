import { useEffect, useId, useState } from 'react';
import { call } from '../../stores/session';
import { useSettled } from './hooks';

interface Match {
  id: string;
  email: string;
  role: string;
  banned: boolean;
}

/** Suggestions shown while typing; an exact email picks its account. */
const SUGGESTIONS = 20;

/**
 * Picks one account by email without loading every account: typing asks the server for up to
 * 20 matches (a datalist), and the account is chosen once the text is exactly one of them.
 */
export function UserPicker(props: { label: string; onChange: (userId: string) => void }) {
  const { onChange } = props;
  const listId = useId();
  const [text, setText] = useState('');
  const typed = useSettled(text.trim().toLowerCase(), 200);
  // The answer remembers its question: a stale answer is never shown for newer text.
  const [answer, setAnswer] = useState<{ query: string; matches: Match[] }>();
  useEffect(() => {
    if (typed === '') return;
    let live = true;
    // The exact address too: it may not be among the first matches of a short address.
    Promise.all([
      call('admin.users.list', { search: typed, limit: SUGGESTIONS }),
      typed.includes('@') ? call('admin.users.list', { email: typed, limit: 1 }) : undefined,
    ])
      .then(([similar, exact]) => {
        const first = exact?.items[0];
        const rest = similar.items.filter((u) => u.id !== first?.id);
        if (live) setAnswer({ query: typed, matches: first ? [first, ...rest] : rest });
      })
      .catch(() => live && setAnswer({ query: typed, matches: [] }));
    return () => {
      live = false;
    };
  }, [typed]);
  const answered = typed !== '' && answer?.query === typed;
  const matches = answered ? answer.matches : [];
  const picked = matches.find((u) => u.email === typed);
  useEffect(() => {
    onChange(picked?.id ?? '');
  }, [picked?.id, onChange]);
  const hint = !answered
    ? undefined
    : picked
      ? undefined
      : matches.length === 0
        ? 'No account has this in its email'
        : `${matches.length === SUGGESTIONS ? `${SUGGESTIONS}+` : matches.length} match${matches.length === 1 ? '' : 'es'}: pick one`;
  return (
    <label className="field user-picker">
      <span>{props.label}</span>
      <input
        list={listId}
        value={text}
        autoComplete="off"
        placeholder="Type an email"
        aria-invalid={hint !== undefined && matches.length === 0}
        onChange={(e) => setText(e.target.value)}
      />
      <datalist id={listId}>
        {matches.map((u) => (
          <option key={u.id} value={u.email} />
        ))}
      </datalist>
      {hint ? <small className="muted">{hint}</small> : null}
      {picked ? (
        <small className="ok-text">
          ✓ {picked.role} account{picked.banned ? ' (banned)' : ''}
        </small>
      ) : null}
    </label>
  );
}
