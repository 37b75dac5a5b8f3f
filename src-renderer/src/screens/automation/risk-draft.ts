import type { RiskSettings } from '../../stores/automation';

/**
 * The risk form's pure rules: the settings as text the trader types, what each field accepts
 * (said in words at the field), the settings a valid form sends, and which field a refusal of
 * the server is about. Kept apart from the form so they are tested without a DOM.
 *
 * Nothing typed is dropped: a rule filled in half (a trading-hours window without a day, a
 * cooldown without its minutes) is refused at its fields, and nothing is sent until the whole
 * form reads.
 */

/** Form state: every limit as text, empty = no limit. */
export interface Draft {
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

/** A field of the form a problem is shown at. */
export type DraftField = Exclude<keyof Draft, 'enabled'> | 'enabled';

/** Problems by field; `form` is one that names no field (shown beside the save button). */
export type DraftProblems = Partial<Record<DraftField | 'form', string>>;

export const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export function toDraft(s: RiskSettings): Draft {
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

const PLAIN_DECIMAL = /^[0-9]+(\.[0-9]+)?$/;
const WHOLE = /^[0-9]+$/;
const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
/** A window may end at midnight written as 24:00 (the end is exclusive). */
const CLOCK_END = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

const QTY_WORDS = 'a quantity such as 0.01';
const MONEY_WORDS = 'a number such as 250';
const CLOCK_WORDS = 'HH:MM, 00:00–23:59';
const CLOCK_END_WORDS = 'HH:MM, 00:00–24:00';

/** What each field accepts, in the words shown under it when it does not read. */
export const FIELD_WORDS: Record<Exclude<DraftField, 'enabled'>, string> = {
  allowedSymbols: 'markets separated by commas, such as BTC/USDT, ETH/USDT',
  defaultQty: `${QTY_WORDS}, or empty: the alert must give one`,
  maxOrderQty: `${QTY_WORDS}, or empty: no limit`,
  maxPositionQty: `${QTY_WORDS}, or empty: no limit`,
  maxDailyLoss: `${MONEY_WORDS}, or empty: no limit`,
  dailyProfitTarget: `${MONEY_WORDS}, or empty: no target`,
  maxTradesPerDay: 'a whole number such as 10, or empty: no limit',
  maxOrdersPerDay: 'a whole number such as 20, or empty: no limit',
  timeZone: 'an IANA time zone such as Europe/Berlin or UTC',
  sessionReset: CLOCK_WORDS,
  hoursStart: CLOCK_WORDS,
  hoursEnd: CLOCK_END_WORDS,
  hoursDays: 'tick at least one trading day',
  newsBefore: 'whole minutes, 0–1440',
  newsAfter: 'whole minutes, 0–1440',
  cooldownLosses: 'a whole number of losses, 1–100',
  cooldownMinutes: 'whole minutes, 1–10080 (a week)',
};

const blank = (t: string) => t.trim() === '';

/** A positive decimal written plainly: why not, or undefined when it reads. */
function positiveProblem(text: string, words: string): string | undefined {
  const t = text.trim();
  if (!PLAIN_DECIMAL.test(t)) return words;
  if (/^[0.]+$/.test(t)) return `more than 0 (${words})`;
  return undefined;
}

/** A whole number in [min, max]: why not, or undefined when it reads. */
function wholeProblem(text: string, min: number, max: number, words: string): string | undefined {
  const t = text.trim();
  if (!WHOLE.test(t) || t.length > 15) return words;
  const n = Number(t);
  return n < min || n > max ? words : undefined;
}

/** Whether the runtime knows `zone` as an IANA time zone (as the server checks it). */
export function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The markets typed in "Allowed symbols", split on commas and spaces. */
const symbolsOf = (t: string) =>
  t
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Every problem of the draft, at its field: a value that does not read, and a rule given in
 * half (the other fields it needs are named). Empty when the draft can be saved.
 */
export function checkDraft(d: Draft): DraftProblems {
  const out: DraftProblems = {};
  const symbols = symbolsOf(d.allowedSymbols);
  if (symbols.length > 200 || symbols.some((s) => s.length > 40)) {
    out.allowedSymbols = 'at most 200 markets of at most 40 characters each';
  }
  for (const key of ['defaultQty', 'maxOrderQty', 'maxPositionQty'] as const) {
    if (!blank(d[key])) {
      const p = positiveProblem(d[key], QTY_WORDS);
      if (p) out[key] = p;
    }
  }
  for (const key of ['maxDailyLoss', 'dailyProfitTarget'] as const) {
    if (!blank(d[key])) {
      const p = positiveProblem(d[key], MONEY_WORDS);
      if (p) out[key] = p;
    }
  }
  for (const key of ['maxTradesPerDay', 'maxOrdersPerDay'] as const) {
    if (!blank(d[key])) {
      const p = wholeProblem(d[key], 0, Number.MAX_SAFE_INTEGER, FIELD_WORDS[key]);
      if (p) out[key] = p;
    }
  }
  const zone = d.timeZone.trim();
  if (zone.length > 64 || (zone !== '' && !knownTimeZone(zone))) {
    out.timeZone = `not a time zone: ${FIELD_WORDS.timeZone}`;
  }
  if (!blank(d.sessionReset) && !CLOCK.test(d.sessionReset.trim())) {
    out.sessionReset = CLOCK_WORDS;
  }

  // Trading hours: from, until and at least one day, or none of them.
  const start = d.hoursStart.trim();
  const end = d.hoursEnd.trim();
  const anyHours = start !== '' || end !== '' || d.hoursDays.length > 0;
  if (anyHours) {
    if (start === '') out.hoursStart = `give the start time too (${CLOCK_WORDS})`;
    else if (!CLOCK.test(start)) out.hoursStart = CLOCK_WORDS;
    if (end === '') out.hoursEnd = `give the end time too (${CLOCK_END_WORDS})`;
    else if (!CLOCK_END.test(end)) out.hoursEnd = CLOCK_END_WORDS;
    else if (end === start || (end === '24:00' && start === '00:00')) {
      out.hoursEnd = 'must differ from the start (a window of no time)';
    }
    if (d.hoursDays.length === 0) {
      out.hoursDays = 'Tick at least one trading day: the window applies on the days ticked.';
    }
  }

  // News lockout: either side alone is fine (the other is 0).
  for (const key of ['newsBefore', 'newsAfter'] as const) {
    if (!blank(d[key])) {
      const p = wholeProblem(d[key], 0, 1440, FIELD_WORDS[key]);
      if (p) out[key] = p;
    }
  }

  // Cooldown: both numbers, or neither.
  const losses = d.cooldownLosses.trim();
  const minutes = d.cooldownMinutes.trim();
  if (losses !== '' || minutes !== '') {
    if (losses === '') {
      out.cooldownLosses = `give the losses in a row too (${FIELD_WORDS.cooldownLosses})`;
    } else {
      const p = wholeProblem(losses, 1, 100, FIELD_WORDS.cooldownLosses);
      if (p) out.cooldownLosses = p;
    }
    if (minutes === '') {
      out.cooldownMinutes = `give the cooldown's minutes too (${FIELD_WORDS.cooldownMinutes})`;
    } else {
      const p = wholeProblem(minutes, 1, 10080, FIELD_WORDS.cooldownMinutes);
      if (p) out.cooldownMinutes = p;
    }
  }
  return out;
}

const num = (t: string) => (t.trim() === '' ? null : Number(t.trim()));
const dec = (t: string) => (t.trim() === '' ? null : t.trim());

/**
 * The settings a draft stands for. Only for a draft `checkDraft` passes: every rule typed is
 * in them. Per-market limits and trading-hours windows beyond the first (set through the API;
 * the form shows the `*` limit and one window) are kept as they were.
 */
export function fromDraft(d: Draft, base: RiskSettings): RiskSettings {
  const perSymbol = (t: string, old: Record<string, string>) => {
    const rest = Object.fromEntries(Object.entries(old).filter(([k]) => k !== '*'));
    return t.trim() ? { ...rest, '*': t.trim() } : rest;
  };
  const start = d.hoursStart.trim();
  const end = d.hoursEnd.trim();
  const first =
    start && end && d.hoursDays.length
      ? [{ days: [...d.hoursDays].sort((a, b) => a - b), start, end }]
      : [];
  return {
    enabled: d.enabled,
    allowedSymbols: symbolsOf(d.allowedSymbols),
    maxOrderQty: perSymbol(d.maxOrderQty, base.maxOrderQty),
    maxPositionQty: perSymbol(d.maxPositionQty, base.maxPositionQty),
    maxDailyLoss: dec(d.maxDailyLoss),
    dailyProfitTarget: dec(d.dailyProfitTarget),
    sessionReset: d.sessionReset.trim() || '00:00',
    timeZone: d.timeZone.trim() || 'UTC',
    maxTradesPerDay: num(d.maxTradesPerDay),
    maxOrdersPerDay: num(d.maxOrdersPerDay),
    tradingHours: [...first, ...base.tradingHours.slice(1)],
    newsLockout:
      d.newsBefore.trim() || d.newsAfter.trim()
        ? {
            beforeMinutes: Number(d.newsBefore.trim() || 0),
            afterMinutes: Number(d.newsAfter.trim() || 0),
          }
        : null,
    cooldown:
      d.cooldownLosses.trim() && d.cooldownMinutes.trim()
        ? { afterLosses: Number(d.cooldownLosses), minutes: Number(d.cooldownMinutes) }
        : null,
    defaultQty: dec(d.defaultQty),
  };
}

/**
 * The form field a server path names: `settings.maxDailyLoss` (a schema refusal),
 * `settings.tradingHours.0.start`, `maxOrderQty[*]` (the service's own check). Undefined for
 * a path the form has no field for (a per-market limit other than `*`, a later window).
 */
export function fieldOfPath(path: string): DraftField | undefined {
  const parts = path
    .replace(/^\/+/, '')
    .replace(/\[([^\]]*)\]/g, '.$1')
    .split(/[./]/)
    .filter(Boolean);
  if (parts[0] === 'settings') parts.shift();
  const [head, second, third] = parts;
  switch (head) {
    case 'enabled':
    case 'allowedSymbols':
    case 'maxDailyLoss':
    case 'dailyProfitTarget':
    case 'defaultQty':
    case 'sessionReset':
    case 'timeZone':
    case 'maxTradesPerDay':
    case 'maxOrdersPerDay':
      return head;
    case 'maxOrderQty':
    case 'maxPositionQty':
      return second === undefined || second === '*' ? head : undefined;
    case 'tradingHours':
      if (second !== undefined && second !== '0') return undefined;
      return third === 'start'
        ? 'hoursStart'
        : third === 'end'
          ? 'hoursEnd'
          : third === 'days'
            ? 'hoursDays'
            : undefined;
    case 'newsLockout':
      return second === 'beforeMinutes'
        ? 'newsBefore'
        : second === 'afterMinutes'
          ? 'newsAfter'
          : undefined;
    case 'cooldown':
      return second === 'afterLosses'
        ? 'cooldownLosses'
        : second === 'minutes'
          ? 'cooldownMinutes'
          : undefined;
    default:
      return undefined;
  }
}

/** The parts of a refusal this reads: its message and details (`field`, `fields[]`). */
export interface Refusal {
  message: string;
  details?: unknown;
}

/** The `field` / `fields[].field` paths a refusal's details name. */
function pathsOf(details: unknown): string[] {
  if (typeof details !== 'object' || details === null) return [];
  const out: string[] = [];
  if ('field' in details && typeof details.field === 'string') out.push(details.field);
  if ('fields' in details && Array.isArray(details.fields)) {
    for (const f of details.fields as unknown[]) {
      if (typeof f === 'object' && f !== null && 'field' in f && typeof f.field === 'string') {
        out.push(f.field);
      }
    }
  }
  return out;
}

/**
 * The server's refusal of a save, at the fields it names, in the form's own words (a schema's
 * "must match pattern …; must be null; must match a schema in anyOf" says nothing to a
 * trader). What names no field of the form stays whole, beside the save button.
 */
export function problemsFromRefusal(r: Refusal): DraftProblems {
  const out: DraftProblems = {};
  let unplaced = false;
  const paths = pathsOf(r.details);
  for (const path of paths) {
    const field = fieldOfPath(path);
    if (field === undefined || field === 'enabled') {
      unplaced = true;
      continue;
    }
    out[field] ??= FIELD_WORDS[field];
  }
  if (paths.length === 0 || unplaced) out.form = r.message;
  return out;
}
