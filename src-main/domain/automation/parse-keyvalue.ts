import { ok, type Result } from '../money';
import type { ParsedAlert } from './intent';
import { unreadable } from './parse-common';
import { parseUnify } from './parse-unify';

/** Accepted keys (case-insensitive) and the unify field each one fills. */
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
 * `KEY=VALUE` lines (or `;`-separated pairs): `action=buy`, `symbol=BTCUSDT`, `qty=0.1`,
 * `type=limit`, `price=…`, `sl=…`, `tp=…`, `id=…`. `action` is buy, sell, exit/close or
 * cancel; `side=long|short` picks which position an exit closes.
 */
export function parseKeyValue(text: string): Result<ParsedAlert> {
  const pairs = text
    .split(/[\r\n;&]+/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (pairs.length === 0) return unreadable('the alert is empty');
  const fields: Record<string, string> = {};
  for (const line of pairs) {
    const eq = line.indexOf('=');
    if (eq <= 0) return unreadable(`line "${line.slice(0, 60)}" is not KEY=VALUE`);
    const key = line.slice(0, eq).trim().toLowerCase();
    const target = KEYS[key];
    if (!target) return unreadable(`unknown key "${key}"`, { field: key });
    if (target in fields) return unreadable(`key "${key}" is given twice`, { field: key });
    fields[target] = line.slice(eq + 1).trim();
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
  const parsed = parseUnify({
    version: 'unify.v1',
    ...(id ? { id } : {}),
    ...(token ? { token } : {}),
    intent: { ...rest, action, ...(side ? { side } : {}) },
  });
  if (!parsed.ok) {
    return unreadable(parsed.error.message.replace(/intent\./g, ''), parsed.error.details);
  }
  return ok({ ...parsed.value, intent: { ...parsed.value.intent, format: 'keyvalue' } });
}
