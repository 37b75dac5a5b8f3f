import { ok, type Result } from '../money';
import { describe } from './read-number';
import type { AlertIntent, ParsedAlert } from './intent';
import {
  checkPrices,
  inferType,
  optionalPositive,
  optionalText,
  readBracket,
  readOrderType,
  readSymbol,
  unknownFields,
  unreadable,
} from './parse-common';

const TOP = ['version', 'intent', 'id', 'alertId', 'token', 'passphrase'];
const INTENT = [
  'action',
  'side',
  'type',
  'symbol',
  'qty',
  'price',
  'stopPrice',
  'takeProfit',
  'stopLoss',
  'leverage',
  'comment',
  'broker',
  'account',
  'trailPercent',
  'trailAmount',
  'cancelOrders',
];

/**
 * Bourse's own JSON intent, the original TradeFlow `unify.v1` shape:
 * `{"version":"unify.v1","intent":{"side":"buy","type":"market","symbol":"BTC/USDT","qty":"0.01"}}`.
 * `intent.action` is `entry` (default), `exit` or `cancel`; `intent.broker` names the venue
 * the sender meant (checked against the token's account); unknown fields are errors.
 */
export function parseUnify(body: Record<string, unknown>): Result<ParsedAlert> {
  if (body.version !== 'unify.v1') {
    return unreadable(`version must be "unify.v1", got ${describe(body.version)}`);
  }
  const extraTop = Object.keys(body).filter((k) => !TOP.includes(k));
  if (extraTop.length) return unknownFields(extraTop, TOP);
  const i = body.intent;
  if (typeof i !== 'object' || i === null || Array.isArray(i)) {
    return unreadable(`intent must be an object, got ${describe(i)}`);
  }
  const it = i as Record<string, unknown>;
  const extra = Object.keys(it).filter((k) => !INTENT.includes(k));
  if (extra.length) return unknownFields(extra, INTENT, 'intent');

  const action = it.action ?? 'entry';
  if (action !== 'entry' && action !== 'exit' && action !== 'cancel') {
    return unreadable(`intent.action ${describe(action)} must be entry, exit or cancel`);
  }
  const symbol = readSymbol(it.symbol, 'intent.symbol');
  if (!symbol.ok) return symbol;
  const fields = {
    qty: optionalPositive(it.qty, 'intent.qty'),
    price: optionalPositive(it.price, 'intent.price'),
    stopPrice: optionalPositive(it.stopPrice, 'intent.stopPrice'),
    leverage: optionalPositive(it.leverage, 'intent.leverage'),
  };
  for (const f of Object.values(fields)) if (!f.ok) return f;
  const v = (k: keyof typeof fields) => (fields[k].ok ? fields[k].value : undefined);
  const tp = readBracket(it.takeProfit, 'intent.takeProfit');
  if (!tp.ok) return tp;
  const sl = readBracket(it.stopLoss, 'intent.stopLoss');
  if (!sl.ok) return sl;
  const alertId = optionalText(body.id ?? body.alertId, 'id');
  if (!alertId.ok) return alertId;
  const comment = optionalText(it.comment, 'intent.comment', 200);
  if (!comment.ok) return comment;
  const broker = readBroker(it.broker);
  if (!broker.ok) return broker;
  const account = optionalText(it.account, 'intent.account', 64);
  if (!account.ok) return account;

  let side: AlertIntent['side'];
  let exitSide: AlertIntent['exitSide'];
  if (action === 'entry') {
    if (it.side !== 'buy' && it.side !== 'sell') {
      return unreadable(`intent.side ${describe(it.side)} must be "buy" or "sell"`);
    }
    side = it.side;
  } else if (action === 'exit') {
    const s = it.side ?? 'both';
    if (s === 'long' || s === 'short' || s === 'both') exitSide = s;
    else if (s === 'sell') exitSide = 'long';
    else if (s === 'buy') exitSide = 'short';
    else return unreadable(`intent.side ${describe(s)} must be long, short or both for an exit`);
  }
  const trailing = readTrailing(it, action);
  if (!trailing.ok) return trailing;
  const trail = trailing.value;
  const cancelOrders = readCancelOrders(it.cancelOrders, action);
  if (!cancelOrders.ok) return cancelOrders;
  let type = trail ? 'stop_market' : inferType(v('price'), v('stopPrice'));
  if (it.type !== undefined) {
    const t = readOrderType(it.type, 'intent.type');
    if (!t.ok) return t;
    if (trail && t.value !== 'stop_market') {
      return unreadable(
        `a trailing stop is type "stop_market", got intent.type ${describe(it.type)}`,
        { field: 'intent.type' },
      );
    }
    type = t.value;
  }
  // A trailing stop's stopPrice is optional: where it starts trailing.
  if (action === 'entry' && !trail) {
    const c = checkPrices(type, v('price'), v('stopPrice'), {
      price: 'intent.price',
      stopPrice: 'intent.stopPrice',
    });
    if (!c.ok) return c;
  }
  if (trail && v('price') !== undefined) {
    return unreadable('a trailing stop takes no intent.price (it buys or sells at market)', {
      field: 'intent.price',
    });
  }
  const secret = typeof body.token === 'string' ? body.token : body.passphrase;
  return ok({
    intent: clean({
      format: 'unify',
      action,
      symbol: symbol.value,
      side,
      exitSide,
      type,
      qty: v('qty'),
      price: v('price'),
      stopPrice: v('stopPrice'),
      ...trail,
      cancelOrders: cancelOrders.value,
      takeProfit: tp.value,
      stopLoss: sl.value,
      leverage: v('leverage'),
      alertId: alertId.value,
      comment: comment.value,
      broker: broker.value,
      account: account.value,
    }),
    ...(typeof secret === 'string' ? { secret } : {}),
  });
}

/**
 * `intent.trailPercent` / `intent.trailAmount`: a trailing stop entry's distance, in percent or
 * in price units (one of the two; an entry only).
 */
function readTrailing(
  it: Record<string, unknown>,
  action: unknown,
): Result<{ trailPercent: string } | { trailAmount: string } | undefined> {
  const pct = optionalPositive(it.trailPercent, 'intent.trailPercent');
  if (!pct.ok) return pct;
  const amount = optionalPositive(it.trailAmount, 'intent.trailAmount');
  if (!amount.ok) return amount;
  if (pct.value === undefined && amount.value === undefined) return ok(undefined);
  const field = amount.value !== undefined ? 'intent.trailAmount' : 'intent.trailPercent';
  if (action !== 'entry') return unreadable(`${field} is for an entry`, { field });
  if (pct.value !== undefined && amount.value !== undefined) {
    return unreadable('give intent.trailPercent or intent.trailAmount, not both', { field });
  }
  return ok(
    amount.value !== undefined ? { trailAmount: amount.value } : { trailPercent: pct.value! },
  );
}

/** `intent.cancelOrders`: an exit that also cancels the orders that would reopen the position. */
function readCancelOrders(value: unknown, action: unknown): Result<boolean | undefined> {
  if (value === undefined) return ok(undefined);
  if (typeof value !== 'boolean') {
    return unreadable(`intent.cancelOrders must be true or false, got ${describe(value)}`, {
      field: 'intent.cancelOrders',
    });
  }
  if (action !== 'exit') {
    return unreadable('intent.cancelOrders is for an exit', { field: 'intent.cancelOrders' });
  }
  return ok(value || undefined);
}

/** `intent.broker`: a venue name (`local`, `paper`, a connector's), lower-cased. */
function readBroker(value: unknown): Result<string | undefined> {
  if (value === undefined || value === null || value === '') return ok(undefined);
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,40}$/.test(value.trim())) {
    return unreadable(
      `intent.broker ${describe(value)} is not a venue name (e.g. "local", "paper")`,
      {
        field: 'intent.broker',
      },
    );
  }
  return ok(value.trim().toLowerCase());
}

/** Drops absent optional fields so intents compare and log cleanly. */
export function clean(intent: AlertIntent): AlertIntent {
  return Object.fromEntries(
    Object.entries(intent).filter(([, value]) => value !== undefined),
  ) as unknown as AlertIntent;
}
