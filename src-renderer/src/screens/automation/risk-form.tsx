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
  placeholder?: string;
  hint?: string;
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
          <Text
            label="Allowed symbols"
            value={draft.allowedSymbols}
            placeholder="all markets"
            onChange={(v) => set({ allowedSymbols: v })}
          />
          <Text
            label="Default quantity"
            value={draft.defaultQty}
            placeholder="alert must give one"
            onChange={(v) => set({ defaultQty: v })}
          />
          <Text
            label="Max order quantity"
            value={draft.maxOrderQty}
            onChange={(v) => set({ maxOrderQty: v })}
          />
          <Text
            label="Max position"
            value={draft.maxPositionQty}
            onChange={(v) => set({ maxPositionQty: v })}
          />
          <Text
            label="Max daily loss"
            value={draft.maxDailyLoss}
            onChange={(v) => set({ maxDailyLoss: v })}
            hint="realised + unrealised, in the account currency"
          />
          <Text
            label="Max trades per day"
            value={draft.maxTradesPerDay}
            onChange={(v) => set({ maxTradesPerDay: v })}
          />
          <Text
            label="Max orders per day"
            value={draft.maxOrdersPerDay}
            onChange={(v) => set({ maxOrdersPerDay: v })}
          />
          <Text
            label="Time zone"
            value={draft.timeZone}
            placeholder="UTC"
            onChange={(v) => set({ timeZone: v })}
            hint="IANA name, e.g. Europe/Berlin"
          />
          <Text
            label="Day resets at"
            value={draft.sessionReset}
            placeholder="00:00"
            onChange={(v) => set({ sessionReset: v })}
          />
          <Text
            label="Trading hours from"
            value={draft.hoursStart}
            placeholder="any time"
            onChange={(v) => set({ hoursStart: v })}
          />
          <Text
            label="Trading hours until"
            value={draft.hoursEnd}
            placeholder="any time"
            onChange={(v) => set({ hoursEnd: v })}
          />
          <Text
            label="News lockout: minutes before"
            value={draft.newsBefore}
            placeholder="off"
            onChange={(v) => set({ newsBefore: v })}
          />
          <Text
            label="News lockout: minutes after"
            value={draft.newsAfter}
            placeholder="off"
            onChange={(v) => set({ newsAfter: v })}
          />
          <Text
            label="Cooldown after losses in a row"
            value={draft.cooldownLosses}
            placeholder="off"
            onChange={(v) => set({ cooldownLosses: v })}
          />
          <Text
            label="Cooldown minutes"
            value={draft.cooldownMinutes}
            placeholder="off"
            onChange={(v) => set({ cooldownMinutes: v })}
          />
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
