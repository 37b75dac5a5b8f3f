import { useMemo, useState } from 'react';
import { CHART_INTERVALS } from '../../../../src-shared/contract';
import { useBots, type BotInput, type StrategyInfo } from '../../stores/bots';

type ParamText = Record<string, string>;

/** The strategy's defaults as text (what the fields edit). */
const defaultsOf = (s: StrategyInfo | undefined): ParamText =>
  Object.fromEntries((s?.params ?? []).map((p) => [p.name, String(p.default)]));

/** Field text back to the parameter's type; the server validates ranges and says which. */
function paramsOf(s: StrategyInfo, text: ParamText): BotInput['params'] {
  const out: NonNullable<BotInput['params']> = {};
  for (const p of s.params) {
    const v = text[p.name] ?? String(p.default);
    out[p.name] =
      p.type === 'bool' ? v === 'true' : p.type === 'enum' ? v : v.trim() === '' ? NaN : Number(v);
  }
  return out;
}

/**
 * A new bot: a strategy (built-in or yours) with its parameters, the account and market it
 * trades, the bar interval it runs on, the capital its backtest sizes from, and the warm-up.
 */
export function BotForm() {
  const { strategies, accounts, markets, create, problems, pending } = useBots();
  const [strategyId, setStrategyId] = useState('');
  const strategy = useMemo(
    () => strategies.find((s) => s.id === strategyId) ?? strategies[0],
    [strategies, strategyId],
  );
  // Edited parameter text per strategy (switching back keeps what was typed).
  const [edited, setEdited] = useState<Record<string, ParamText>>({});
  const params = strategy ? (edited[strategy.id] ?? defaultsOf(strategy)) : {};
  const setParams = (next: ParamText) => strategy && setEdited({ ...edited, [strategy.id]: next });
  const [name, setName] = useState('');
  const [accountId, setAccountId] = useState('');
  const [symbol, setSymbol] = useState('');
  const [interval, setInterval] = useState<BotInput['interval']>('1m');
  const [capital, setCapital] = useState('1000');
  const [warmup, setWarmup] = useState('50');
  const [startNow, setStartNow] = useState(true);
  const account = accountId || accounts[0]?.id || '';

  if (strategies.length === 0 || accounts.length === 0) {
    return (
      <p className="muted">
        {accounts.length === 0
          ? 'A bot trades on one of your trading accounts: create a paper account first (Accounts).'
          : 'Loading strategies…'}
      </p>
    );
  }
  return (
    <form
      className="bots-form"
      aria-label="New bot"
      onSubmit={(e) => {
        e.preventDefault();
        if (!strategy) return;
        void create(
          {
            ...(name.trim() ? { name: name.trim() } : {}),
            strategyId: strategy.id,
            params: paramsOf(strategy, params),
            accountId: account,
            symbol: symbol.trim(),
            interval,
            capital: capital.trim(),
            warmupBars: Number(warmup),
          },
          startNow,
        ).then((bot) => bot && setName(''));
      }}
    >
      <div className="bots-grid">
        <label className="field">
          <span>Strategy</span>
          <select value={strategy?.id} onChange={(e) => setStrategyId(e.target.value)}>
            {strategies.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.builtIn ? '' : ' (yours)'}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            placeholder={strategy?.name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Account</span>
          <select value={account} onChange={(e) => setAccountId(e.target.value)}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.venue})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Market</span>
          <input
            list="bots-markets"
            value={symbol}
            required
            placeholder="BTC/USDT"
            onChange={(e) => setSymbol(e.target.value)}
          />
          <datalist id="bots-markets">
            {markets.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </label>
        <label className="field">
          <span>Bar interval</span>
          <select
            value={interval}
            onChange={(e) => setInterval(e.target.value as BotInput['interval'])}
          >
            {CHART_INTERVALS.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Capital (sizing base)</span>
          <input inputMode="decimal" value={capital} onChange={(e) => setCapital(e.target.value)} />
        </label>
        <label className="field">
          <span>Warm-up bars</span>
          <input inputMode="numeric" value={warmup} onChange={(e) => setWarmup(e.target.value)} />
        </label>
        {(strategy?.params ?? []).map((p) => (
          <label className="field" key={p.name}>
            <span>{p.label ?? p.name}</span>
            {p.type === 'bool' || p.type === 'enum' ? (
              <select
                value={params[p.name] ?? String(p.default)}
                onChange={(e) => setParams({ ...params, [p.name]: e.target.value })}
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
                value={params[p.name] ?? ''}
                onChange={(e) => setParams({ ...params, [p.name]: e.target.value })}
              />
            )}
          </label>
        ))}
      </div>
      <p className="muted small">
        On every closed bar the strategy is replayed as a backtest over its window; the bot's
        position follows the backtest's with market orders, through your risk rules and the
        emergency stop.
      </p>
      <div className="bots-actions">
        <label className="bt-check">
          <input
            type="checkbox"
            checked={startNow}
            onChange={(e) => setStartNow(e.target.checked)}
          />
          Start it now
        </label>
        <button className="btn primary" type="submit" disabled={pending.create === true}>
          {pending.create ? 'Creating…' : 'Create bot'}
        </button>
      </div>
      {problems.create ? (
        <p className="error-text" role="alert">
          {problems.create}
        </p>
      ) : null}
    </form>
  );
}
