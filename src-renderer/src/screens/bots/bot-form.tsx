import { useMemo, useState } from 'react';
import { AccountSelect } from '../../components/account-select';
import { useBots, type BotInput, type StrategyInfo } from '../../stores/bots';
import {
  IntervalField,
  MarketField,
  ParamFields,
  StrategyField,
  TextField,
  type ParamText,
} from './bot-form-fields';

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

/** The chosen strategy (the first until one is picked) and its parameters as typed. */
function useStrategyChoice(strategies: StrategyInfo[]) {
  const [strategyId, setStrategyId] = useState('');
  const strategy = useMemo(
    () => strategies.find((s) => s.id === strategyId) ?? strategies[0],
    [strategies, strategyId],
  );
  // Edited parameter text per strategy (switching back keeps what was typed).
  const [edited, setEdited] = useState<Record<string, ParamText>>({});
  const params = strategy ? (edited[strategy.id] ?? defaultsOf(strategy)) : {};
  const setParams = (next: ParamText) => strategy && setEdited({ ...edited, [strategy.id]: next });
  return { strategy, setStrategyId, params, setParams };
}

/** The rest of the form as typed; text until submit, so a half-typed number is kept. */
function useBotDraft() {
  const [name, setName] = useState('');
  const [accountId, setAccountId] = useState('');
  const [symbol, setSymbol] = useState('');
  const [interval, setInterval] = useState<BotInput['interval']>('1m');
  const [capital, setCapital] = useState('1000');
  const [warmup, setWarmup] = useState('50');
  const [startNow, setStartNow] = useState(true);
  return {
    name,
    setName,
    accountId,
    setAccountId,
    symbol,
    setSymbol,
    interval,
    setInterval,
    capital,
    setCapital,
    warmup,
    setWarmup,
    startNow,
    setStartNow,
  };
}

type BotDraft = ReturnType<typeof useBotDraft>;

/** What `bots.create` is sent: an empty name is left out so the server names the bot. */
function botInputOf(
  draft: BotDraft,
  strategy: StrategyInfo,
  params: ParamText,
  accountId: string,
): BotInput {
  const { name, symbol, interval, capital, warmup } = draft;
  return {
    ...(name.trim() ? { name: name.trim() } : {}),
    strategyId: strategy.id,
    params: paramsOf(strategy, params),
    accountId,
    symbol: symbol.trim(),
    interval,
    capital: capital.trim(),
    warmupBars: Number(warmup),
  };
}

function CreateActions(props: {
  startNow: boolean;
  onStartNow: (start: boolean) => void;
  pending: boolean | undefined;
  problem: string | undefined;
}) {
  return (
    <>
      <p className="muted small">
        On every closed bar the strategy is replayed as a backtest over its window; the bot's
        position follows the backtest's with market orders, through your risk rules and the
        emergency stop.
      </p>
      <div className="bots-actions">
        <label className="bt-check">
          <input
            type="checkbox"
            checked={props.startNow}
            onChange={(e) => props.onStartNow(e.target.checked)}
          />
          Start it now
        </label>
        <button className="btn primary" type="submit" disabled={props.pending === true}>
          {props.pending ? 'Creating…' : 'Create bot'}
        </button>
      </div>
      {props.problem ? (
        <p className="error-text" role="alert">
          {props.problem}
        </p>
      ) : null}
    </>
  );
}

/**
 * A new bot: a strategy (built-in or yours) with its parameters, the account and market it
 * trades, the bar interval it runs on, the capital its backtest sizes from, and the warm-up.
 */
export function BotForm() {
  const { strategies, accounts, markets, create, problems, pending } = useBots();
  const { strategy, setStrategyId, params, setParams } = useStrategyChoice(strategies);
  const draft = useBotDraft();
  const account = draft.accountId || accounts[0]?.id || '';

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
        void create(botInputOf(draft, strategy, params, account), draft.startNow).then(
          (bot) => bot && draft.setName(''),
        );
      }}
    >
      <div className="bots-grid">
        <StrategyField strategies={strategies} value={strategy?.id} onChange={setStrategyId} />
        <TextField
          label="Name"
          value={draft.name}
          placeholder={strategy?.name}
          onChange={draft.setName}
        />
        <AccountSelect accounts={accounts} value={account} onChange={draft.setAccountId} />
        <MarketField markets={markets} value={draft.symbol} onChange={draft.setSymbol} />
        <IntervalField value={draft.interval} onChange={draft.setInterval} />
        <TextField
          label="Capital (sizing base)"
          inputMode="decimal"
          value={draft.capital}
          onChange={draft.setCapital}
        />
        <TextField
          label="Warm-up bars"
          inputMode="numeric"
          value={draft.warmup}
          onChange={draft.setWarmup}
        />
        <ParamFields specs={strategy?.params ?? []} text={params} onChange={setParams} />
      </div>
      <CreateActions
        startNow={draft.startNow}
        onStartNow={draft.setStartNow}
        pending={pending.create}
        problem={problems.create}
      />
    </form>
  );
}
