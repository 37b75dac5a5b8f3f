import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { OperationInput } from '../../../../src-shared/contract';
import { useAccounts, type Venue } from '../../stores/accounts';
import type { Problem } from '../../stores/brokers';
import type { AssetScales } from './asset-scales';
import {
  LEVERAGE_MAX,
  LEVERAGE_MIN,
  paperProblems,
  refusalAt,
  type CreateField,
} from './create-checks';
import { listWords, marketsIn, paperCurrencies, type PaperMarket } from './paper-terms';

/** What a paper account keeps unless another currency is chosen (the server's default too). */
const DEFAULT_CURRENCY = 'USDT';

type Field = Venue['fields'][number];
type CreateInput = OperationInput<'accounts.create'>;

const initialValues = (v: Venue | undefined) =>
  Object.fromEntries((v?.fields ?? []).map((f) => [f.name, f.masked ? '' : (f.default ?? '')]));

/** Where the broker is, for a proxy or a test double (settings every venue accepts). */
const ADDRESSES = [
  { name: 'baseUrl', label: 'REST address' },
  { name: 'wsUrl', label: 'Stream address' },
  { name: 'hubUrl', label: 'Hub address' },
] as const;

/** The error the server blamed on `name`, if it did. */
const problemFor = (p: Problem | undefined, name: string) =>
  p?.field !== undefined && p.field === name ? p : undefined;

/**
 * The field a refusal belongs to: the one it names, or for a refusal of the credentials as a
 * whole (a key that can withdraw, a key that cannot trade) the first secret field.
 */
function blamed(venue: Venue, p: Problem | undefined): string | undefined {
  if (!p?.field) return undefined;
  if (p.field === 'credentials') return venue.fields.find((f) => f.masked)?.name;
  const names = [
    ...venue.fields.map((f) => f.name),
    'outageQueueSec',
    ...ADDRESSES.map((a) => a.name),
  ];
  return names.includes(p.field) ? p.field : undefined;
}

/** One field of a venue's connection form: text, number, password (secret) or select (options). */
function VenueField(props: {
  field: Field;
  value: string;
  problem?: Problem;
  onChange: (value: string) => void;
}) {
  const { field: f, value, problem, onChange } = props;
  const id = `venue-field-${f.name}`;
  const range = f.integer
    ? `A whole number from ${f.integer.min.toLocaleString('en-US')} to ${f.integer.max.toLocaleString('en-US')}.`
    : '';
  const help = [f.help, range].filter(Boolean).join(' ');
  const described = [help ? `${id}-help` : '', problem ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    name: f.name,
    value,
    required: f.required,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': described || undefined,
  };
  return (
    <div className="venue-field">
      <label htmlFor={id}>
        {f.label}
        {f.required ? (
          <span className="venue-required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {f.options ? (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          {f.required && !f.default ? <option value="">Choose…</option> : null}
          {f.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={f.masked ? 'password' : 'text'}
          inputMode={f.integer ? 'numeric' : undefined}
          autoComplete={f.masked ? 'new-password' : 'off'}
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {help ? (
        <small id={`${id}-help`} className="muted">
          {help}
        </small>
      ) : null}
      {problem ? (
        <small id={`${id}-error`} className="error-text" role="alert">
          {problem.message}
        </small>
      ) : null}
    </div>
  );
}

/** A broker's form: its fields, trade-only keys, how long to wait for it when it is down. */
function BrokerFields(props: {
  venue: Venue;
  values: Record<string, string>;
  setValue: (name: string, value: string) => void;
  tradeOnly: boolean;
  setTradeOnly: (v: boolean) => void;
  queueSec: string;
  setQueueSec: (v: string) => void;
  problem?: Problem;
}) {
  const { venue, values, setValue } = props;
  // The addresses the venue's connector reads besides its own fields (the server says which:
  // none for Kraken, whose addresses are fields, nor for the MetaTrader bridge, which Bourse
  // does not dial). A venue with no secret field has no key to limit (the bridge: the EA
  // connects in with a token issued on creation).
  const keyed = venue.fields.some((f) => f.masked);
  const addresses = ADDRESSES.filter((a) => venue.addresses.includes(a.name));
  const tuning = venue.fields.filter((f) => f.advanced);
  const field = blamed(venue, props.problem);
  const problem = field ? { ...props.problem!, field } : undefined;
  // Open when something in it was changed or refused: a user must see what will be sent.
  const advancedOpen =
    addresses.some((a) => values[a.name]) ||
    tuning.some((f) => (values[f.name] ?? '') !== (f.default ?? '')) ||
    [...addresses, ...tuning].some((f) => f.name === field);
  const advancedTitle = [
    tuning.length > 0 ? 'timeouts and limits' : '',
    addresses.length > 0 ? 'broker addresses (a proxy, a test server)' : '',
  ]
    .filter(Boolean)
    .join('; ');
  const fieldOf = (f: Field) => (
    <VenueField
      key={f.name}
      field={f}
      value={values[f.name] ?? ''}
      problem={problemFor(problem, f.name)}
      onChange={(v) => setValue(f.name, v)}
    />
  );
  return (
    <>
      <div className="venue-fields" role="group" aria-label={`${venue.label} connection`}>
        {venue.fields.filter((f) => !f.advanced).map(fieldOf)}
        <div className="venue-field">
          <label htmlFor="venue-field-queue">Wait for an unreachable broker (seconds)</label>
          <input
            id="venue-field-queue"
            inputMode="numeric"
            value={props.queueSec}
            aria-invalid={problemFor(problem, 'outageQueueSec') ? true : undefined}
            aria-describedby="venue-field-queue-help"
            onChange={(e) => props.setQueueSec(e.target.value)}
          />
          <small id="venue-field-queue-help" className="muted">
            An alert that arrives while the broker is down waits this long, then is refused. 0:
            refused at once.
          </small>
          {problemFor(problem, 'outageQueueSec') ? (
            <small className="error-text" role="alert">
              {problem?.message}
            </small>
          ) : null}
        </div>
      </div>
      {advancedTitle ? (
        <details className="venue-advanced" open={advancedOpen}>
          <summary>Advanced: {advancedTitle}</summary>
          <div className="venue-fields">
            {tuning.map(fieldOf)}
            {addresses.map((a) =>
              fieldOf({
                name: a.name,
                label: a.label,
                masked: false,
                required: false,
                help: "Empty: the venue's own address.",
              }),
            )}
          </div>
        </details>
      ) : null}
      {keyed ? (
        <>
          <label className="venue-check">
            <input
              type="checkbox"
              checked={props.tradeOnly}
              onChange={(e) => props.setTradeOnly(e.target.checked)}
            />
            Trade-only key: refuse credentials that can withdraw
          </label>
          <p className="small muted venue-keychain">
            Secret fields are kept in your system keychain, never in Bourse&apos;s database. When
            you create the account, Bourse tests the connection first.
          </p>
        </>
      ) : (
        <p className="small muted venue-keychain">
          No password here: creating the account issues a bridge token, shown once, that the
          terminal&apos;s EA connects with.
        </p>
      )}
    </>
  );
}

/** A broker account's settings and credentials from the form: masked fields are credentials. */
function brokerInput(
  venue: Venue | undefined,
  values: Record<string, string>,
  o: { mode: 'demo' | 'live'; tradeOnly: boolean; queueSec: string },
): Partial<CreateInput> {
  const fields = [
    ...(venue?.fields ?? []),
    ...ADDRESSES.map((a) => ({ name: a.name, masked: false })),
  ];
  const pick = (masked: boolean) =>
    Object.fromEntries(
      fields
        .filter((f) => f.masked === masked && (values[f.name] ?? '').trim() !== '')
        .map((f) => [f.name, (values[f.name] ?? '').trim()]),
    );
  const seconds = Number.parseInt(o.queueSec, 10);
  return {
    mode: o.mode,
    settings: pick(false),
    credentials: pick(true),
    tradeOnly: o.tradeOnly,
    outageQueueSec: Number.isFinite(seconds) && seconds >= 0 ? seconds : 0,
  };
}

/**
 * One input of the form with its rule or refusal under it. The words are outside the label
 * (a label reads everything in it into the input's name) and describe the input instead.
 */
function CreateFormField(props: {
  id: string;
  label: string;
  problem: string | undefined;
  hint?: string | undefined;
  children: (a11y: {
    id: string;
    'aria-invalid': true | undefined;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}) {
  const { id, problem, hint } = props;
  const described = [hint ? `${id}-hint` : '', problem ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="accounts-create-field">
      <label htmlFor={id}>{props.label}</label>
      {props.children({
        id,
        'aria-invalid': problem ? true : undefined,
        'aria-describedby': described || undefined,
      })}
      {hint ? (
        <small id={`${id}-hint`} className="muted accounts-create-hint">
          {hint}
        </small>
      ) : null}
      {problem ? (
        <small id={`${id}-error`} className="error-text accounts-create-hint" role="alert">
          {problem}
        </small>
      ) : null}
    </div>
  );
}

/** A paper account's currency, demo balance (in that currency) and maximum leverage. */
function PaperFields(p: {
  currencies: string[];
  currency: string;
  setCurrency: (v: string) => void;
  /** The markets an account in `currency` trades. */
  markets: string[];
  balance: string;
  setBalance: (v: string) => void;
  leverage: string;
  setLeverage: (v: string) => void;
  problems: Partial<Record<CreateField, string>>;
}) {
  const { problems } = p;
  return (
    <>
      <CreateFormField
        id="paper-currency"
        label="Account currency"
        problem={problems.currency}
        hint={p.markets.length > 0 ? `Trades ${listWords(p.markets)}.` : undefined}
      >
        {(a11y) => (
          <select {...a11y} value={p.currency} onChange={(e) => p.setCurrency(e.target.value)}>
            {(p.currencies.includes(p.currency) ? p.currencies : [p.currency, ...p.currencies]).map(
              (c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ),
            )}
          </select>
        )}
      </CreateFormField>
      <CreateFormField
        id="paper-balance"
        label={`Demo balance (${p.currency})`}
        problem={problems.balance}
      >
        {(a11y) => (
          <input
            {...a11y}
            value={p.balance}
            onChange={(e) => p.setBalance(e.target.value)}
            inputMode="decimal"
          />
        )}
      </CreateFormField>
      <CreateFormField
        id="paper-leverage"
        label="Maximum leverage"
        problem={problems.leverage}
        hint={problems.leverage ? undefined : `${LEVERAGE_MIN} to ${LEVERAGE_MAX}`}
      >
        {(a11y) => (
          <input
            {...a11y}
            value={p.leverage}
            onChange={(e) => p.setLeverage(e.target.value)}
            inputMode="numeric"
          />
        )}
      </CreateFormField>
    </>
  );
}

/** A request from elsewhere on the screen to open the form on a paper account in a currency. */
export interface CurrencyAsk {
  currency: string;
  /** Changes with every ask, so asking twice for the same currency opens the form again. */
  at: number;
}

/** The first of the form's inputs that shows a problem, to take the focus. */
const INPUT_IDS: Record<CreateField, string> = {
  name: 'account-name',
  currency: 'paper-currency',
  balance: 'paper-balance',
  leverage: 'paper-leverage',
};

/**
 * New trading account: local, paper, or a broker with the fields its venue asks for. A paper
 * account keeps one currency (one its markets settle in) and trades the markets in it.
 */
export function CreateForm(props: {
  /** The paper broker's markets: the currencies a paper account can keep. */
  markets: readonly PaperMarket[];
  scales: AssetScales;
  ask?: CurrencyAsk | undefined;
}) {
  const { venues, busy, create, createProblem, clearCreateProblem } = useAccounts();
  const [venueId, setVenueId] = useState('paper');
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState(DEFAULT_CURRENCY);
  const [balance, setBalance] = useState('100000');
  const [leverage, setLeverage] = useState('10');
  // Inputs edited since the last create, and whether a create was tried: their own checks show.
  const [touched, setTouched] = useState<ReadonlySet<CreateField>>(new Set());
  const [tried, setTried] = useState(false);
  const [mode, setMode] = useState<'demo' | 'live'>('demo');
  const [values, setValues] = useState<Record<string, string>>({});
  const [tradeOnly, setTradeOnly] = useState(true);
  const [queueSec, setQueueSec] = useState('0');
  const venue = venues.find((v) => v.venue === venueId);
  const paper = venueId === 'paper';
  const external = venue?.external === true;
  const currencies = paperCurrencies(props.markets);
  const scale = props.scales[currency];
  const nameRef = useRef<HTMLInputElement>(null);

  const pickVenue = (id: string) => {
    const next = venues.find((v) => v.venue === id);
    setVenueId(id);
    setValues(initialValues(next));
    setMode(next?.modes[0] ?? 'demo');
    clearCreateProblem();
  };

  // Asked for an account in a currency (the ticket's "New paper account in USD"): the form
  // switches to it (while rendering, as React advises for state that follows a prop) and
  // waits for a name.
  const { ask } = props;
  const [seenAsk, setSeenAsk] = useState(ask);
  if (ask !== seenAsk) {
    setSeenAsk(ask);
    if (ask) {
      setVenueId('paper');
      setCurrency(ask.currency);
    }
  }
  useEffect(() => {
    if (!ask) return;
    clearCreateProblem();
    nameRef.current?.scrollIntoView({ block: 'center' });
    nameRef.current?.focus();
  }, [ask, clearCreateProblem]);

  const own = paper ? paperProblems({ balance, leverage, currency, scale }) : {};
  const server = refusalAt(
    createProblem && (paper || createProblem.field === 'name') ? createProblem : undefined,
    { currency, scale },
  );
  const problemAt = (input: CreateField): string | undefined =>
    ((tried || touched.has(input)) && own[input]) ||
    (server?.input === input ? server.message : undefined);
  const edit = (input: CreateField, set: (v: string) => void) => (v: string) => {
    set(v);
    setTouched((t) => new Set(t).add(input));
    // The server's refusal was about this input: once it is edited, it no longer applies.
    if (server?.input === input) clearCreateProblem();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const first = (Object.keys(INPUT_IDS) as CreateField[]).find((i) => own[i]);
    if (first) {
      setTried(true);
      document.getElementById(INPUT_IDS[first])?.focus();
      return;
    }
    const ok = await create({
      venue: venueId,
      name,
      ...(paper
        ? {
            baseCurrency: currency,
            initialBalance: balance.trim(),
            paperConfig: { maxLeverage: Number(leverage.trim()) },
          }
        : {}),
      ...(external ? brokerInput(venue, values, { mode, tradeOnly, queueSec }) : {}),
    });
    if (ok) {
      setName('');
      setValues(initialValues(venue));
      setTouched(new Set());
      setTried(false);
    }
  };

  // The server's refusal, unless a field shows it next to itself.
  const formProblem =
    createProblem && !server && !(external && venue && blamed(venue, createProblem))
      ? createProblem
      : undefined;
  const nameProblem = problemAt('name');

  return (
    <form
      className="card accounts-create"
      onSubmit={(e) => void submit(e)}
      aria-label="New account"
      noValidate
    >
      <h2>New trading account</h2>
      <div className="accounts-create-fields">
        <label>
          Venue
          <select value={venueId} onChange={(e) => pickVenue(e.target.value)}>
            {venues.map((v) => (
              <option key={v.venue} value={v.venue}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <CreateFormField id={INPUT_IDS.name} label="Account name" problem={nameProblem}>
          {(a11y) => (
            <input
              {...a11y}
              ref={nameRef}
              value={name}
              onChange={(e) => edit('name', setName)(e.target.value)}
              required
              maxLength={60}
            />
          )}
        </CreateFormField>
        {external && venue && venue.modes.length > 1 ? (
          <label>
            Mode
            <select
              value={mode}
              onChange={(e) => setMode(e.target.value === 'live' ? 'live' : 'demo')}
            >
              {venue.modes.map((m) => (
                <option key={m} value={m}>
                  {m === 'demo' ? 'Demo' : 'Live (real money)'}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {paper ? (
          <PaperFields
            currencies={currencies}
            currency={currency}
            setCurrency={edit('currency', setCurrency)}
            markets={marketsIn(props.markets, currency).map((m) => m.symbol)}
            balance={balance}
            setBalance={edit('balance', setBalance)}
            leverage={leverage}
            setLeverage={edit('leverage', setLeverage)}
            problems={{
              currency: problemAt('currency'),
              balance: problemAt('balance'),
              leverage: problemAt('leverage'),
            }}
          />
        ) : external ? null : (
          <p className="small muted">
            Local accounts trade your spot balances on Bourse&apos;s exchange.
          </p>
        )}
        {external ? null : (
          <button className="btn primary" type="submit" disabled={busy || name.trim() === ''}>
            Create account
          </button>
        )}
      </div>
      {external && venue ? (
        <>
          <BrokerFields
            venue={venue}
            values={values}
            setValue={(k, v) => {
              setValues((s) => ({ ...s, [k]: v }));
              // The refusal was about this field: once it is edited, it no longer applies.
              if (blamed(venue, createProblem) === k) clearCreateProblem();
            }}
            tradeOnly={tradeOnly}
            setTradeOnly={setTradeOnly}
            queueSec={queueSec}
            setQueueSec={setQueueSec}
            problem={createProblem}
          />
          <div className="venue-submit">
            <button className="btn primary" type="submit" disabled={busy || name.trim() === ''}>
              {busy ? 'Testing the connection…' : 'Create account'}
            </button>
          </div>
        </>
      ) : null}
      {formProblem ? (
        <p className="error-text" role="alert">
          {formProblem.message}
        </p>
      ) : null}
    </form>
  );
}
