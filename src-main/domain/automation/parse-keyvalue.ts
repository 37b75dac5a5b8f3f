import { ok, type Result } from '../money';
import type { ParsedAlert } from './intent';
import { unreadable } from './parse-common';
import { parseUnify } from './parse-unify';

/** Bourse's own keys (case-insensitive) and the unify field each one fills. */
const KEYS: Record<string, string> = {
  action: 'action',
  side: 'side',
  symbol: 'symbol',
  ticker: 'symbol',
  qty: 'qty',
  quantity: 'qty',
  size: 'qty',
  type: 'type',
  order_type: 'type',
  ordertype: 'type',
  price: 'price',
  limit: 'price',
  limit_price: 'price',
  stop: 'stopPrice',
  stop_price: 'stopPrice',
  stopprice: 'stopPrice',
  tp: 'takeProfit',
  take_profit: 'takeProfit',
  sl: 'stopLoss',
  stop_loss: 'stopLoss',
  leverage: 'leverage',
  comment: 'comment',
  id: 'id',
  alert_id: 'id',
  token: 'token',
  passphrase: 'token',
};

/**
 * OctoBot's TradingView keys (its "alert format" guide). An alert with SIGNAL is read as
 * OctoBot means it; ORDER_TYPE, PRICE and STOP_PRICE are shared with Bourse's keys.
 */
const OCTOBOT_KEYS = [
  'exchange',
  'symbol',
  'signal',
  'order_type',
  'volume',
  'price',
  'stop_price',
  'take_profit_price',
  'reduce_only',
  'tag',
  'token',
  'id',
];

const ACCEPTED = [...new Set([...Object.keys(KEYS), ...OCTOBOT_KEYS])].map((k) => k.toUpperCase());

/** Splits lines (or `;`-separated pairs) into lower-case keys; unknown or repeated keys refused. */
function readPairs(text: string): Result<Record<string, string>> {
  const pairs = text
    .split(/[\r\n;&]+/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (pairs.length === 0) return unreadable('the alert is empty');
  const raw: Record<string, string> = {};
  for (const line of pairs) {
    const eq = line.indexOf('=');
    if (eq <= 0) return unreadable(`line "${line.slice(0, 60)}" is not KEY=VALUE`);
    const key = line.slice(0, eq).trim().toLowerCase();
    if (/^take_profit_price_\d+$/.test(key)) {
      return unreadable(
        `${key.toUpperCase()}: Bourse places one take-profit; use TAKE_PROFIT_PRICE`,
        {
          field: key,
        },
      );
    }
    if (!(key in KEYS) && !OCTOBOT_KEYS.includes(key)) {
      return unreadable(`unknown key "${key}" (accepted: ${ACCEPTED.join(', ')})`, {
        field: key,
        accepted: ACCEPTED,
      });
    }
    if (key in raw) return unreadable(`key "${key}" is given twice`, { field: key });
    raw[key] = line.slice(eq + 1).trim();
  }
  return ok(raw);
}

/** Maps Bourse's keys onto a unify intent (`action` buy/sell/exit/close/cancel, `side`). */
function bourseIntent(raw: Record<string, string>): Result<Record<string, unknown>> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const target = KEYS[key];
    if (!target) {
      return unreadable(`${key.toUpperCase()} is an OctoBot key: give SIGNAL=BUY|SELL|CANCEL too`, {
        field: key,
      });
    }
    if (target in fields) return unreadable(`key "${key}" repeats ${target}`, { field: key });
    fields[target] = value;
  }
  const rawAction = (fields.action ?? fields.side ?? '').toLowerCase();
  let action: string;
  let side: string | undefined;
  if (rawAction === 'buy' || rawAction === 'sell') {
    action = 'entry';
    side = rawAction;
  } else if (rawAction === 'exit' || rawAction === 'close') {
    action = 'exit';
    side = fields.action ? fields.side?.toLowerCase() : undefined;
  } else if (rawAction === 'cancel') action = 'cancel';
  else {
    return unreadable(
      rawAction === ''
        ? 'action is missing (buy, sell, exit or cancel)'
        : `action "${rawAction}" must be buy, sell, exit or cancel`,
      { field: 'action' },
    );
  }
  const { id, token, action: _a, side: _s, ...rest } = fields;
  return ok({
    ...(id ? { id } : {}),
    ...(token ? { token } : {}),
    intent: { ...rest, action, ...(side ? { side } : {}) },
  });
}

const OCTO_TYPES: Record<string, string> = { market: 'market', limit: 'limit', stop: 'stop' };

/**
 * OctoBot's keys onto a unify intent. SIGNAL=BUY|SELL enters, CANCEL cancels the market's
 * orders; VOLUME is the base amount; PRICE the limit price; STOP_PRICE the stop-loss (or the
 * trigger of ORDER_TYPE=STOP); TAKE_PROFIT_PRICE the take-profit; REDUCE_ONLY=true makes the
 * signal an exit of the opposite position (never opens one); TAG becomes the comment;
 * EXCHANGE is read and not checked (Bourse is the exchange).
 */
function octobotIntent(raw: Record<string, string>): Result<Record<string, unknown>> {
  const bourseOnly = Object.keys(raw).filter((k) => !OCTOBOT_KEYS.includes(k));
  if (bourseOnly.length) {
    return unreadable(
      `${bourseOnly.map((k) => k.toUpperCase()).join(', ')} cannot be mixed with SIGNAL (OctoBot keys: ${OCTOBOT_KEYS.map((k) => k.toUpperCase()).join(', ')})`,
    );
  }
  const signal = raw.signal!.toLowerCase();
  const volume = raw.volume;
  if (volume && /%$/.test(volume)) {
    return unreadable(
      `VOLUME=${volume} is a share of the portfolio; Bourse takes VOLUME as an amount of the base asset`,
      { field: 'volume' },
    );
  }
  const reduce = (raw.reduce_only ?? 'false').toLowerCase();
  if (reduce !== 'true' && reduce !== 'false') {
    return unreadable(`REDUCE_ONLY must be true or false, got "${raw.reduce_only}"`);
  }
  const type = raw.order_type ? OCTO_TYPES[raw.order_type.toLowerCase()] : undefined;
  if (raw.order_type && !type) {
    return unreadable(`ORDER_TYPE "${raw.order_type}" must be MARKET, LIMIT or STOP`);
  }
  const top = { ...(raw.id ? { id: raw.id } : {}), ...(raw.token ? { token: raw.token } : {}) };
  const common = { symbol: raw.symbol, ...(raw.tag ? { comment: raw.tag } : {}) };
  if (signal === 'cancel') return ok({ ...top, intent: { ...common, action: 'cancel' } });
  if (signal !== 'buy' && signal !== 'sell') {
    return unreadable(`SIGNAL "${raw.signal}" must be BUY, SELL or CANCEL`, { field: 'signal' });
  }
  if (reduce === 'true') {
    const exitSide = signal === 'sell' ? 'long' : 'short';
    return ok({ ...top, intent: { ...common, action: 'exit', side: exitSide, qty: volume } });
  }
  const stop = type === 'stop';
  return ok({
    ...top,
    intent: {
      ...common,
      action: 'entry',
      side: signal,
      type: type ?? (raw.price ? 'limit' : 'market'),
      qty: volume,
      price: raw.price,
      ...(stop ? { stopPrice: raw.stop_price } : { stopLoss: raw.stop_price }),
      takeProfit: raw.take_profit_price,
    },
  });
}

/**
 * `KEY=VALUE` lines (or `;`-separated pairs), keys in any case. Bourse's own keys
 * (`action=buy`, `symbol=BTCUSDT`, `qty=0.1`, `type=limit`, `price=…`, `sl=…`, `tp=…`,
 * `id=…`; `action` buy, sell, exit/close or cancel, `side=long|short` for exits) or
 * OctoBot's, recognised by `SIGNAL=` (see `octobotIntent`).
 */
export function parseKeyValue(text: string): Result<ParsedAlert> {
  const raw = readPairs(text);
  if (!raw.ok) return raw;
  const body = 'signal' in raw.value ? octobotIntent(raw.value) : bourseIntent(raw.value);
  if (!body.ok) return body;
  const parsed = parseUnify({ version: 'unify.v1', ...body.value });
  if (!parsed.ok) {
    return unreadable(parsed.error.message.replace(/intent\./g, ''), parsed.error.details);
  }
  return ok({ ...parsed.value, intent: { ...parsed.value.intent, format: 'keyvalue' } });
}
