import { useEffect, useId, useState, type FormEvent } from 'react';
import { ClientError } from '../../client/transport';
import { call, messageOf } from '../../stores/session';
import type { RiskSettings } from '../../stores/automation';
import {
  DAYS,
  checkDraft,
  fromDraft,
  problemsFromRefusal,
  toDraft,
  type Draft,
  type DraftProblems,
} from './risk-draft';
import './automation.css';

function Text(props: {
  label: string;
  value: string;
  onChange(v: string): void;
  placeholder?: string | undefined;
  hint?: string | undefined;
  problem?: string | undefined;
}) {
  const id = useId();
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        value={props.value}
        placeholder={props.placeholder ?? 'no limit'}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.problem ? true : undefined}
        aria-describedby={props.problem ? `${id}-problem` : undefined}
      />
      {props.problem ? (
        <small id={`${id}-problem`} className="error-text risk-problem">
          {props.problem}
        </small>
      ) : props.hint ? (
        <small className="muted">{props.hint}</small>
      ) : null}
    </label>
  );
}

type TextKey = { [K in keyof Draft]: Draft[K] extends string ? K : never }[keyof Draft];

/** The limits typed as text, in the order the form shows them. */
const TEXT_FIELDS: { key: TextKey; label: string; placeholder?: string; hint?: string }[] = [
  { key: 'allowedSymbols', label: 'Allowed symbols', placeholder: 'all markets' },
  { key: 'defaultQty', label: 'Default quantity', placeholder: 'alert must give one' },
  { key: 'maxOrderQty', label: 'Max order quantity' },
  { key: 'maxPositionQty', label: 'Max position' },
  {
    key: 'maxDailyLoss',
    label: 'Max daily loss',
    hint: 'realised + unrealised, in the account currency',
  },
  {
    key: 'dailyProfitTarget',
    label: 'Daily profit target',
    hint: 'entries stop once reached (prop-firm rule)',
  },
  { key: 'maxTradesPerDay', label: 'Max trades per day' },
  { key: 'maxOrdersPerDay', label: 'Max orders per day' },
  {
    key: 'timeZone',
    label: 'Time zone',
    placeholder: 'UTC',
    hint: 'IANA name, e.g. Europe/Berlin',
  },
  { key: 'sessionReset', label: 'Day resets at', placeholder: '00:00', hint: 'HH:MM' },
  {
    key: 'hoursStart',
    label: 'Trading hours from',
    placeholder: 'any time',
    hint: 'HH:MM, with the days below',
  },
  { key: 'hoursEnd', label: 'Trading hours until', placeholder: 'any time', hint: 'HH:MM' },
  { key: 'newsBefore', label: 'News lockout: minutes before', placeholder: 'off' },
  { key: 'newsAfter', label: 'News lockout: minutes after', placeholder: 'off' },
  {
    key: 'cooldownLosses',
    label: 'Cooldown after losses in a row',
    placeholder: 'off',
    hint: 'with the minutes beside',
  },
  { key: 'cooldownMinutes', label: 'Cooldown minutes', placeholder: 'off' },
];

const countWords = (n: number) => (n === 1 ? '1 field' : `${n} fields`);

/** Risk limits of one account, checked before every automated order. */
export function RiskForm(props: { accountId?: string; accountName?: string }) {
  const [base, setBase] = useState<RiskSettings>();
  const [draft, setDraft] = useState<Draft>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [problems, setProblems] = useState<DraftProblems>({});
  const daysProblemId = useId();
  useEffect(() => {
    let live = true;
    call('automation.risk.get', props.accountId ? { accountId: props.accountId } : {}).then(
      (r) => {
        if (!live) return;
        setBase(r.settings);
        setDraft(toDraft(r.settings));
        setMessage(undefined);
        setProblems({});
      },
      (err: unknown) => live && setMessage({ ok: false, text: messageOf(err) }),
    );
    return () => {
      live = false;
    };
  }, [props.accountId]);
  if (!draft || !base) {
    return (
      <article className="card">
        <h2>Risk limits</h2>
        {message ? <p className="error-text">{message.text}</p> : <p className="muted">Loading…</p>}
      </article>
    );
  }
  const set = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    // Once a save was refused, the marks follow the typing: a fixed field loses its mark.
    if (Object.keys(problems).length > 0) setProblems(checkDraft(next));
    setMessage(undefined);
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const found = checkDraft(draft);
    const count = Object.keys(found).length;
    if (count > 0) {
      setProblems(found);
      setMessage({ ok: false, text: `Not saved: ${countWords(count)} to correct, marked above.` });
      return;
    }
    try {
      const r = await call('automation.risk.set', {
        ...(props.accountId ? { accountId: props.accountId } : {}),
        settings: fromDraft(draft, base),
      });
      setBase(r.settings);
      setDraft(toDraft(r.settings));
      setProblems({});
      setMessage({ ok: true, text: 'Saved. The next alert is checked against these limits.' });
    } catch (err) {
      const refused = problemsFromRefusal({
        message: messageOf(err),
        details: err instanceof ClientError ? err.details : undefined,
      });
      const { form, ...atFields } = refused;
      const count = Object.keys(atFields).length;
      setProblems(atFields);
      setMessage({
        ok: false,
        text: [count > 0 ? `Not saved: ${countWords(count)} to correct, marked above.` : '', form]
          .filter(Boolean)
          .join(' '),
      });
    }
  };
  const extraWindows = base.tradingHours.length - 1;
  return (
    <article className="card automation-risk" aria-labelledby="risk-title">
      <h2 id="risk-title">Risk limits {props.accountName ? `· ${props.accountName}` : ''}</h2>
      <form onSubmit={(e) => void save(e)} noValidate>
        <label className="automation-switch">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => set({ enabled: e.target.checked })}
          />
          <span>Automation enabled for this account</span>
        </label>
        <div className="automation-form-grid">
          {TEXT_FIELDS.map((f) => (
            <Text
              key={f.key}
              label={f.label}
              value={draft[f.key]}
              placeholder={f.placeholder}
              hint={f.hint}
              problem={problems[f.key]}
              onChange={(v) => set({ [f.key]: v })}
            />
          ))}
        </div>
        <fieldset
          className="checks automation-days"
          aria-invalid={problems.hoursDays ? true : undefined}
          aria-describedby={problems.hoursDays ? daysProblemId : undefined}
        >
          <legend>Trading days (for the trading hours)</legend>
          {DAYS.map((d, i) => (
            <label key={d}>
              <input
                type="checkbox"
                checked={draft.hoursDays.includes(i)}
                onChange={(e) =>
                  set({
                    hoursDays: e.target.checked
                      ? [...draft.hoursDays, i].sort((a, b) => a - b)
                      : draft.hoursDays.filter((x) => x !== i),
                  })
                }
              />{' '}
              {d}
            </label>
          ))}
          {problems.hoursDays ? (
            <small id={daysProblemId} className="error-text risk-problem risk-days-problem">
              {problems.hoursDays}
            </small>
          ) : null}
        </fieldset>
        {extraWindows > 0 ? (
          <p className="muted small">
            {extraWindows === 1 ? 'One more window' : `${extraWindows} more windows`} set through
            the API {extraWindows === 1 ? 'is' : 'are'} kept as{' '}
            {extraWindows === 1 ? 'it is' : 'they are'}.
          </p>
        ) : null}
        <div className="row">
          <button className="btn primary" type="submit">
            Save limits
          </button>
          {message ? (
            <span className={message.ok ? 'ok-text' : 'error-text'} role="status">
              {message.text}
            </span>
          ) : null}
        </div>
      </form>
    </article>
  );
}
