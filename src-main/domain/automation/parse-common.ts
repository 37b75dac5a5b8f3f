import { err, ok, type Result } from '../money';
import type { DecimalText } from '../money';
import { describe, readPositive } from './read-number';
import type { Bracket, IntentOrderType } from './intent';

/** A refusal to read an alert: `code` is stable, `message` says exactly what was wrong. */
export const unreadable = <T>(message: string, details?: Record<string, unknown>): Result<T> =>
  err('alert_unreadable', message, details);

/**
 * Fields the format does not have, refused with the ones it has (`details.accepted`), as the
 * KEY=VALUE and PineConnector readers do: `where` is the object's path (`intent`,
 * `stopLoss`), absent for the body itself.
 */
export function unknownFields<T>(
  extra: readonly string[],
  accepted: readonly string[],
  where?: string,
): Result<T> {
  const path = (k: string) => (where ? `${where}.${k}` : k);
  return unreadable(
    `unknown field(s)${where ? ` in ${where}` : ''}: ${extra.join(', ')} (accepted: ${accepted.join(', ')})`,
    { field: path(extra[0]!), accepted: [...accepted] },
  );
}

const PLACEHOLDER = /\{\{\s*([^{}]{1,80}?)\s*\}\}/g;

/**
 * TradingView placeholders (`{{ticker}}`, `{{strategy.order.action}}`) left in the body: the
 * alert was sent from a chart or indicator where TradingView could not fill them. Checked
 * before anything is parsed, so an unquoted `{{close}}` in JSON is named, not a parse error.
 */
export function placeholderRefusal<T>(text: string): Result<T> | null {
  const found = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => `{{${m[1]!.trim()}}}`))];
  if (found.length === 0) return null;
  const list = found.slice(0, 5).join(', ');
  return unreadable(
    `the alert still contains the TradingView placeholder${found.length > 1 ? 's' : ''} ${list}: ` +
      'TradingView replaces them only where they apply (strategy.* placeholders need an alert on a strategy), so this alert was sent as written',
    { placeholders: found },
  );
}

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._:/!-]{0,39}$/;

/** Checks a symbol as written by the alert (exchange prefixes are resolved later). */
export function readSymbol(value: unknown, field: string): Result<string> {
  if (typeof value !== 'string' || value.trim() === '') {
    return unreadable(`${field} is missing (the market to trade, e.g. "BTCUSDT")`, { field });
  }
  const s = value.trim();
  if (/\{\{.*\}\}/.test(s)) {
    return unreadable(`${field} is "${s}": a TradingView placeholder that was not replaced`, {
      field,
    });
  }
  if (!SYMBOL.test(s)) return unreadable(`${field} ${describe(s)} is not a symbol`, { field });
  return ok(s);
}

/** Optional positive decimal: `undefined` stays absent; anything else must be valid. */
export function optionalPositive(value: unknown, field: string): Result<DecimalText | undefined> {
  if (value === undefined || value === null || value === '') return ok(undefined);
  const r = readPositive(value, field);
  return r.ok ? r : unreadable(r.error.message, { field });
}

/** An optional free-text id (alert ids, comments): trimmed, bounded. */
export function optionalText(value: unknown, field: string, max = 64): Result<string | undefined> {
  if (value === undefined || value === null || value === '') return ok(undefined);
  if (typeof value !== 'string' && typeof value !== 'number') {
    return unreadable(`${field} must be text, got ${describe(value)}`, { field });
  }
  const s = String(value).trim();
  if (s.length > max) return unreadable(`${field} is longer than ${max} characters`, { field });
  return ok(s);
}

/** Order type from what price fields are present when the alert does not name one. */
export function inferType(price?: string, stopPrice?: string): IntentOrderType {
  if (price && stopPrice) return 'stop_limit';
  if (stopPrice) return 'stop_market';
  if (price) return 'limit';
  return 'market';
}

const TYPES: Record<string, IntentOrderType> = {
  market: 'market',
  mkt: 'market',
  limit: 'limit',
  lmt: 'limit',
  stop: 'stop_market',
  stop_market: 'stop_market',
  stopmarket: 'stop_market',
  stop_limit: 'stop_limit',
  stoplimit: 'stop_limit',
};

/** An order type name in any of the usual spellings. */
export function readOrderType(value: unknown, field: string): Result<IntentOrderType> {
  const t = typeof value === 'string' ? TYPES[value.trim().toLowerCase()] : undefined;
  if (!t) {
    return unreadable(
      `${field} ${describe(value)} is not an order type (market, limit, stop, stop_limit)`,
      { field },
    );
  }
  return ok(t);
}

/** Checks that the prices an order type needs are there. */
export function checkPrices(
  type: IntentOrderType,
  price: string | undefined,
  stopPrice: string | undefined,
  names: { price: string; stopPrice: string },
): Result<true> {
  if ((type === 'limit' || type === 'stop_limit') && !price) {
    return unreadable(`a ${type} order needs ${names.price}`);
  }
  if ((type === 'stop_market' || type === 'stop_limit') && !stopPrice) {
    return unreadable(`a ${type} order needs ${names.stopPrice}`);
  }
  return ok(true);
}

/** A bracket written as a bare number (a price) or `{price|limitPrice|stopPrice|percent|amount}`. */
export function readBracket(value: unknown, field: string): Result<Bracket | undefined> {
  if (value === undefined || value === null || value === '') return ok(undefined);
  if (typeof value === 'number' || typeof value === 'string') {
    const p = optionalPositive(value, field);
    return p.ok ? ok(p.value ? { price: p.value } : undefined) : p;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return unreadable(`${field} must be a price or an object, got ${describe(value)}`, { field });
  }
  const o = value as Record<string, unknown>;
  const known = [
    'price',
    'limitPrice',
    'stopPrice',
    'percent',
    'amount',
    'type',
    'trailPercent',
    'trailAmount',
  ];
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length > 0) return unknownFields(extra, known, field);
  if (o.type === 'trailing_stop' || o.trailPercent !== undefined || o.trailAmount !== undefined) {
    return readTrailingStopLoss(o, field);
  }
  if (o.type !== undefined && o.type !== 'stop') {
    return unreadable(
      `${field}.type ${describe(o.type)} is not supported (only "stop", or "trailing_stop" for a stop-loss)`,
      { field },
    );
  }
  const price = optionalPositive(o.price ?? o.limitPrice ?? o.stopPrice, `${field}.price`);
  if (!price.ok) return price;
  const percent = optionalPositive(o.percent, `${field}.percent`);
  if (!percent.ok) return percent;
  const amount = optionalPositive(o.amount, `${field}.amount`);
  if (!amount.ok) return amount;
  const given = [price.value, percent.value, amount.value].filter((v) => v !== undefined);
  if (given.length !== 1) {
    return unreadable(`${field} needs exactly one of price, percent or amount`, { field });
  }
  return ok({
    ...(price.value ? { price: price.value } : {}),
    ...(percent.value ? { percent: percent.value } : {}),
    ...(amount.value ? { amount: amount.value } : {}),
  });
}

/**
 * TradersPost's trailing stop-loss: `{"type": "trailing_stop", "trailPercent": 2}`, a stop that
 * follows the best price 2 % behind it, or `"trailAmount": 150`, 150 in price units behind it
 * (one of the two). Only a stop-loss trails.
 */
function readTrailingStopLoss(o: Record<string, unknown>, field: string): Result<Bracket> {
  // `stopLoss` (TradersPost), `intent.stopLoss` (unify.v1); a take-profit never trails.
  if (!/(^|\.)stopLoss$/.test(field)) {
    return unreadable(`${field} cannot trail (a stop-loss can)`, { field });
  }
  const named = o.trailAmount !== undefined ? 'trailAmount' : 'trailPercent';
  if (o.type !== 'trailing_stop') {
    return unreadable(`${field}.${named} is read with type "trailing_stop"`, { field });
  }
  const others = ['price', 'limitPrice', 'stopPrice', 'percent', 'amount'].filter(
    (k) => o[k] !== undefined,
  );
  if (others.length > 0) {
    return unreadable(
      `a trailing ${field} takes trailPercent or trailAmount only, not ${others.join(', ')}`,
      { field },
    );
  }
  const pct = optionalPositive(o.trailPercent, `${field}.trailPercent`);
  if (!pct.ok) return pct;
  const amount = optionalPositive(o.trailAmount, `${field}.trailAmount`);
  if (!amount.ok) return amount;
  if (pct.value !== undefined && amount.value !== undefined) {
    return unreadable(`a trailing ${field} takes trailPercent or trailAmount, not both`, {
      field,
    });
  }
  if (amount.value !== undefined) return ok({ trailAmount: amount.value });
  if (pct.value === undefined) {
    return unreadable(
      `a trailing_stop ${field} needs trailPercent (the distance in percent) or trailAmount (in price units)`,
      { field },
    );
  }
  return ok({ trailPercent: pct.value });
}
