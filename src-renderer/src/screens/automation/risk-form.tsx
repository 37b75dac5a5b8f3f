import { useEffect, useState, type FormEvent } from 'react';
import { call, messageOf } from '../../stores/session';
import type { RiskSettings } from '../../stores/automation';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Form state: every limit as text, empty = no limit. */
interface Draft {
  enabled: boolean;
  allowedSymbols: string;
  maxOrderQty: string;
  maxPositionQty: string;
  maxDailyLoss: string;
  dailyProfitTarget: string;
  sessionReset: string;
  timeZone: string;
  maxTradesPerDay: string;
  maxOrdersPerDay: string;
  hoursDays: number[];
  hoursStart: string;
  hoursEnd: string;
  newsBefore: string;
  newsAfter: string;
  cooldownLosses: string;
  cooldownMinutes: string;
  defaultQty: string;
}

function toDraft(s: RiskSettings): Draft {
  const w = s.tradingHours[0];
  return {
    enabled: s.enabled,
    allowedSymbols: s.allowedSymbols.join(', '),
    maxOrderQty: s.maxOrderQty['*'] ?? '',
    maxPositionQty: s.maxPositionQty['*'] ?? '',
    maxDailyLoss: s.maxDailyLoss ?? '',
    dailyProfitTarget: s.dailyProfitTarget ?? '',
    sessionReset: s.sessionReset,
    timeZone: s.timeZone,
    maxTradesPerDay: s.maxTradesPerDay?.toString() ?? '',
    maxOrdersPerDay: s.maxOrdersPerDay?.toString() ?? '',
    hoursDays: w?.days ?? [],
    hoursStart: w?.start ?? '',
    hoursEnd: w?.end ?? '',
    newsBefore: s.newsLockout?.beforeMinutes.toString() ?? '',
    newsAfter: s.newsLockout?.afterMinutes.toString() ?? '',
    cooldownLosses: s.cooldown?.afterLosses.toString() ?? '',
    cooldownMinutes: s.cooldown?.minutes.toString() ?? '',
    defaultQty: s.defaultQty ?? '',
  };
}

const num = (t: string) => (t.trim() === '' ? null : Number(t));
const dec = (t: string) => (t.trim() === '' ? null : t.trim());

function fromDraft(d: Draft, base: RiskSettings): RiskSettings {
  const perSymbol = (t: string, old: Record<string, string>) => {
    const rest = Object.fromEntries(Object.entries(old).filter(([k]) => k !== '*'));
    return t.trim() ? { ...rest, '*': t.trim() } : rest;
  };
  return {
    enabled: d.enabled,
    allowedSymbols: d.allowedSymbols
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    maxOrderQty: perSymbol(d.maxOrderQty, base.maxOrderQty),
    maxPositionQty: perSymbol(d.maxPositionQty, base.maxPositionQty),
    maxDailyLoss: dec(d.maxDailyLoss),
    dailyProfitTarget: dec(d.dailyProfitTarget),
    sessionReset: d.sessionReset,
    timeZone: d.timeZone.trim(),
    maxTradesPerDay: num(d.maxTradesPerDay),
    maxOrdersPerDay: num(d.maxOrdersPerDay),
    tradingHours:
      d.hoursStart && d.hoursEnd && d.hoursDays.length
        ? [{ days: d.hoursDays, start: d.hoursStart, end: d.hoursEnd }]
        : [],
    newsLockout:
      d.newsBefore || d.newsAfter
        ? { beforeMinutes: Number(d.newsBefore || 0), afterMinutes: Number(d.newsAfter || 0) }
        : null,
    cooldown:
      d.cooldownLosses && d.cooldownMinutes
        ? { afterLosses: Number(d.cooldownLosses), minutes: Number(d.cooldownMinutes) }
        : null,
    defaultQty: dec(d.defaultQty),
  };
}

function Text(props: {
  label: string;
  value: string;
  onChange(v: string): void;
  placeholder?: string | undefined;
  hint?: string | undefined;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        value={props.value}
        placeholder={props.placeholder ?? 'no limit'}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint ? <small className="muted">{props.hint}</small> : null}
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
  { key: 'sessionReset', label: 'Day resets at', placeholder: '00:00' },
  { key: 'hoursStart', label: 'Trading hours from', placeholder: 'any time' },
  { key: 'hoursEnd', label: 'Trading hours until', placeholder: 'any time' },
  { key: 'newsBefore', label: 'News lockout: minutes before', placeholder: 'off' },
  { key: 'newsAfter', label: 'News lockout: minutes after', placeholder: 'off' },
  { key: 'cooldownLosses', label: 'Cooldown after losses in a row', placeholder: 'off' },
  { key: 'cooldownMinutes', label: 'Cooldown minutes', placeholder: 'off' },
];

/** Risk limits of one account, checked before every automated order. */
export function RiskForm(props: { accountId?: string; accountName?: string }) {
  const [base, setBase] = useState<RiskSettings>();
  const [draft, setDraft] = useState<Draft>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  useEffect(() => {
    let live = true;
    call('automation.risk.get', props.accountId ? { accountId: props.accountId } : {}).then(
      (r) => {
        if (!live) return;
        setBase(r.settings);
        setDraft(toDraft(r.settings));
        setMessage(undefined);
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
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await call('automation.risk.set', {
        ...(props.accountId ? { accountId: props.accountId } : {}),
        settings: fromDraft(draft, base),
      });
      setBase(r.settings);
      setDraft(toDraft(r.settings));
      setMessage({ ok: true, text: 'Saved. The next alert is checked against these limits.' });
    } catch (err) {
      setMessage({ ok: false, text: messageOf(err) });
    }
  };
  return (
    <article className="card automation-risk" aria-labelledby="risk-title">
      <h2 id="risk-title">Risk limits {props.accountName ? `· ${props.accountName}` : ''}</h2>
      <form onSubmit={(e) => void save(e)}>
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
              onChange={(v) => set({ [f.key]: v })}
            />
          ))}
        </div>
        <fieldset className="checks automation-days">
          <legend>Trading days</legend>
          {DAYS.map((d, i) => (
            <label key={d}>
              <input
                type="checkbox"
                checked={draft.hoursDays.includes(i)}
                onChange={(e) =>
                  set({
                    hoursDays: e.target.checked
                      ? [...draft.hoursDays, i].sort()
                      : draft.hoursDays.filter((x) => x !== i),
                  })
                }
              />{' '}
              {d}
            </label>
          ))}
        </fieldset>
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
