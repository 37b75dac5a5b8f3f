import { useEffect, useState, type FormEvent } from 'react';
import { permissionsOfRole, type OperationOutput } from '../../../../src-shared/contract';
import { call, messageOf, useSession } from '../../stores/session';
import { useTrade } from '../../stores/trade';
import { Outcome } from '../../components/outcome';
import { TwoFactorNotice } from '../../components/two-factor-notice';

type SimMarket = OperationOutput<'admin.simulator.status'>['items'][number];

const NUMBER_FIELDS = [
  ['spreadBps', 'Spread (bps)'],
  ['levels', 'Levels per side'],
  ['volatilityPct', 'Volatility (%/yr)'],
  ['takerRatePerSecond', 'Takers per second'],
  ['tickMs', 'Tick (ms)'],
] as const;

function describe(sim: SimMarket): string {
  if (sim.referenceKind === 'replay') return `replaying ${sim.replayName ?? 'a file'}`;
  if (sim.referenceKind === 'feed') return 'following a live feed';
  return `random walk, ${sim.volatilityPct}% a year`;
}

type SimForm = Record<string, string>;

/** The tune form's fields as the simulator runs now (text, as the inputs hold them). */
function formOf(m: SimMarket): SimForm {
  return {
    spreadBps: String(m.spreadBps),
    levels: String(m.levels),
    sizePerLevel: m.sizePerLevel,
    volatilityPct: String(m.volatilityPct),
    takerRatePerSecond: String(m.takerRatePerSecond),
    tickMs: String(m.tickMs),
    reference: m.referenceKind,
  };
}

/** Whether it runs, what drives its price and, when following a feed, how the feed is doing. */
function SimulatorStatus({ sim }: { sim: SimMarket }) {
  return (
    <>
      <div className="trade-card-head">
        <h2>Market simulator</h2>
        <span className={sim.running ? 'ok-text' : 'warn-text'}>
          {sim.running ? 'running' : 'paused'}
        </span>
      </div>
      <p className="muted small-print">
        Reference {sim.reference} · {describe(sim)} · seed {sim.seed}
      </p>
      {sim.feed ? (
        <p className={`small-print ${sim.feed.error ? 'warn-text' : 'ok-text'}`} role="status">
          LIVE: {sim.feed.source}
          {sim.feed.lastPrice ? ` at ${sim.feed.lastPrice}` : ''}
          {sim.feed.error ? ` — unreachable (${sim.feed.error}); the price holds still` : ''}
        </p>
      ) : null}
    </>
  );
}

interface TuneFormProps {
  sim: SimMarket;
  form: SimForm;
  setForm: (change: (f: SimForm) => SimForm) => void;
  onSubmit: (e: FormEvent) => void;
}

/** The simulator's settings as text fields; applied together on submit. */
function TuneForm({ sim, form, setForm, onSubmit }: TuneFormProps) {
  return (
    <form onSubmit={onSubmit} aria-label="Tune the simulator" className="sim-form">
      {NUMBER_FIELDS.map(([k, label]) => (
        <label key={k} className="field">
          <span>{label}</span>
          <input
            inputMode="decimal"
            value={form[k] ?? ''}
            onChange={(e) => setForm((f) => ({ ...f, [k]: e.target.value }))}
          />
        </label>
      ))}
      <label className="field">
        <span>Size per level</span>
        <input
          inputMode="decimal"
          value={form.sizePerLevel ?? ''}
          onChange={(e) => setForm((f) => ({ ...f, sizePerLevel: e.target.value }))}
        />
      </label>
      <label className="field wide">
        <span>Reference price</span>
        <select
          value={form.reference ?? sim.referenceKind}
          onChange={(e) => setForm((f) => ({ ...f, reference: e.target.value }))}
        >
          <option value="walk">Random walk</option>
          {sim.replayName ? <option value="replay">Replay {sim.replayName}</option> : null}
          <option value="feed">Kraken live (needs network)</option>
        </select>
      </label>
      <button type="submit" className="btn small primary">
        Apply
      </button>
    </form>
  );
}

/** Administrators only: the selected market's simulator — pause, resume, tune, replay a file. */
export function SimulatorPanel() {
  const role = useSession((s) => s.user?.role);
  const symbol = useTrade((s) => s.symbol);
  const permitted = role ? permissionsOfRole(role).has('admin.markets') : false;
  const twoFactorRequired = useSession((s) => s.user?.twoFactorRequired ?? false);
  // Until 2FA is on every admin call is refused: nothing to load, the card says why.
  const allowed = permitted && !twoFactorRequired;
  const [sim, setSim] = useState<SimMarket>();
  const [form, setForm] = useState<SimForm>({});
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const show = (m: SimMarket | undefined) => {
    setSim(m);
    if (m) setForm(formOf(m));
  };

  useEffect(() => {
    if (!allowed) return;
    let live = true;
    call('admin.simulator.status', {}).then(
      (s) => live && show(s.items.find((i) => i.symbol === symbol)),
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [allowed, symbol]);

  if (!permitted) return null;
  if (!allowed) {
    return (
      <section className="card trade-sim" aria-label="Market simulator">
        <h2>Market simulator</h2>
        <TwoFactorNotice what="Tuning the simulator" />
      </section>
    );
  }
  if (!sim) {
    return (
      <section className="card trade-sim" aria-label="Market simulator">
        <h2>Market simulator</h2>
        <p className="muted">{error ?? `No simulator for ${symbol}.`}</p>
      </section>
    );
  }

  const run = async (fn: () => Promise<SimMarket | undefined>, done: string) => {
    setError(undefined);
    setNotice(undefined);
    try {
      show(await fn());
      // The market bar tells every trader what drives the price; keep it in step.
      await useTrade.getState().loadSources();
      setNotice(done);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const pick = (s: OperationOutput<'admin.simulator.status'>) =>
    s.items.find((i) => i.symbol === symbol);
  const toggle = () =>
    run(
      async () =>
        pick(
          await call(sim.running ? 'admin.simulator.pause' : 'admin.simulator.resume', { symbol }),
        ),
      sim.running ? 'Paused' : 'Running',
    );
  const tune = (e: FormEvent) => {
    e.preventDefault();
    const nums = Object.fromEntries(NUMBER_FIELDS.map(([k]) => [k, Number(form[k])]));
    void run(
      () =>
        call('admin.simulator.tune', {
          symbol,
          spreadBps: nums.spreadBps,
          levels: nums.levels,
          volatilityPct: nums.volatilityPct,
          takerRatePerSecond: nums.takerRatePerSecond,
          tickMs: nums.tickMs,
          sizePerLevel: form.sizePerLevel ?? sim.sizePerLevel,
          reference: (form.reference ?? sim.referenceKind) as 'walk' | 'replay' | 'feed',
        }),
      'Settings applied',
    );
  };
  const replay = async (file: File | undefined) => {
    if (!file) return;
    const content = await file.text();
    await run(async () => {
      const out = await call('admin.simulator.replay', { symbol, name: file.name, content });
      return out.market;
    }, `Replaying ${file.name}`);
  };

  return (
    <section className="card trade-sim" aria-label="Market simulator">
      <SimulatorStatus sim={sim} />
      <button type="button" className="btn small" onClick={() => void toggle()}>
        {sim.running ? 'Pause' : 'Resume'}
      </button>
      <details className="ticket-options">
        <summary>Tune</summary>
        <TuneForm sim={sim} form={form} setForm={setForm} onSubmit={tune} />
        <label className="field sim-file">
          <span>Replay a candle file (CSV or JSON)</span>
          <input
            type="file"
            accept=".csv,.txt,.json"
            onChange={(e) => void replay(e.target.files?.[0])}
          />
        </label>
      </details>
      <Outcome error={error} notice={notice} />
    </section>
  );
}
