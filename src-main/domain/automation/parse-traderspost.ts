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
import { clean } from './parse-unify';

const KNOWN = [
  'ticker',
  'action',
  'sentiment',
  'orderType',
  'limitPrice',
  'stopPrice',
  'trailPercent',
  'trailAmount',
  'quantity',
  'quantityType',
  'takeProfit',
  'stopLoss',
  'price',
  'signalPrice',
  'time',
  'timestamp',
  'interval',
  'id',
  'alertId',
  'comment',
  'token',
  'passphrase',
  'extras',
];

const SENTIMENTS = ['bullish', 'bearish', 'flat', 'long', 'short'];

/**
 * The TradersPost-style signal: `{"ticker":"BTCUSDT","action":"buy","quantity":0.1}`.
 * `action`: buy, sell, exit (close the position), cancel (cancel open orders), add (add to
 * the position in the direction of `sentiment`). `sentiment: "flat"` turns buy/sell into an
 * exit of the opposite position, as TradersPost does for strategy alerts.
 */
export function parseTradersPost(body: Record<string, unknown>): Result<ParsedAlert> {
  const extra = Object.keys(body).filter((k) => !KNOWN.includes(k));
  if (extra.length) return unknownFields(extra, KNOWN);
  const symbol = readSymbol(body.ticker, 'ticker');
  if (!symbol.ok) return symbol;
  const action = typeof body.action === 'string' ? body.action.trim().toLowerCase() : body.action;
  if (!['buy', 'sell', 'exit', 'cancel', 'add'].includes(action as string)) {
    return unreadable(`action ${describe(body.action)} must be buy, sell, exit, cancel or add`, {
      field: 'action',
    });
  }
  const sentiment =
    typeof body.sentiment === 'string' ? body.sentiment.trim().toLowerCase() : body.sentiment;
  if (sentiment !== undefined && !SENTIMENTS.includes(sentiment as string)) {
    return unreadable(`sentiment ${describe(body.sentiment)} must be bullish, bearish or flat`);
  }
  if (body.quantityType !== undefined && body.quantityType !== 'fixed_quantity') {
    return unreadable(
      `quantityType ${describe(body.quantityType)} is not supported (only fixed_quantity)`,
    );
  }
  const fields = {
    qty: optionalPositive(body.quantity, 'quantity'),
    price: optionalPositive(body.limitPrice, 'limitPrice'),
    stopPrice: optionalPositive(body.stopPrice, 'stopPrice'),
  };
  for (const f of Object.values(fields)) if (!f.ok) return f;
  const v = (k: keyof typeof fields) => (fields[k].ok ? fields[k].value : undefined);
  const tp = readBracket(body.takeProfit, 'takeProfit');
  if (!tp.ok) return tp;
  const sl = readBracket(body.stopLoss, 'stopLoss');
  if (!sl.ok) return sl;
  const alertId = optionalText(body.id ?? body.alertId, 'id');
  if (!alertId.ok) return alertId;
  const comment = optionalText(body.comment, 'comment', 200);
  if (!comment.ok) return comment;

  const trailing = readTrailing(body);
  if (!trailing.ok) return trailing;
  const trail = trailing.value;
  let type = inferType(v('price'), v('stopPrice'));
  if (trail !== undefined) type = 'stop_market';
  else if (body.orderType !== undefined) {
    const t = readOrderType(body.orderType, 'orderType');
    if (!t.ok) return t;
    type = t.value;
  }
  const base = {
    format: 'traderspost' as const,
    symbol: symbol.value,
    type,
    qty: v('qty'),
    alertId: alertId.value,
    comment: comment.value,
  };
  let intent: AlertIntent;
  const flat = sentiment === 'flat';
  if (trail !== undefined && (action === 'exit' || action === 'cancel' || flat)) {
    return unreadable(
      `orderType "trailing_stop" is read with action buy or sell (a sell trailing stop protects a long); got ${action === 'cancel' ? 'cancel' : 'an exit'}`,
      { field: 'action' },
    );
  }
  if (action === 'cancel') intent = { ...base, action: 'cancel', type: 'market' };
  // TradersPost's exit cancels the ticker's open orders and flattens ("Order Behavior").
  else if (action === 'exit') {
    intent = { ...base, action: 'exit', exitSide: 'both', cancelOrders: true };
  } else if (flat && (action === 'buy' || action === 'sell')) {
    intent = {
      ...base,
      action: 'exit',
      exitSide: action === 'sell' ? 'long' : 'short',
      cancelOrders: true,
    };
  } else {
    let side: 'buy' | 'sell';
    if (action === 'add') {
      if (sentiment === 'bullish' || sentiment === 'long') side = 'buy';
      else if (sentiment === 'bearish' || sentiment === 'short') side = 'sell';
      else return unreadable('action "add" needs sentiment bullish or bearish (which way to add)');
    } else side = action as 'buy' | 'sell';
    // A trailing stop's stopPrice is optional (where it starts trailing).
    const c =
      trail !== undefined
        ? ok(true)
        : checkPrices(type, v('price'), v('stopPrice'), {
            price: 'limitPrice',
            stopPrice: 'stopPrice',
          });
    if (!c.ok) return c;
    intent = {
      ...base,
      action: 'entry',
      side,
      price: v('price'),
      stopPrice: v('stopPrice'),
      ...trail,
      takeProfit: tp.value,
      stopLoss: sl.value,
    };
  }
  const secret = typeof body.token === 'string' ? body.token : body.passphrase;
  return ok({ intent: clean(intent), ...(typeof secret === 'string' ? { secret } : {}) });
}

/**
 * TradersPost's trailing stop: `orderType: "trailing_stop"` with `trailPercent` (the distance
 * in percent) or `trailAmount` (in price units), one of the two. Either trail field without
 * that order type is refused.
 */
function readTrailing(body: Record<string, unknown>): Result<Trailing | undefined> {
  const named =
    typeof body.orderType === 'string' &&
    body.orderType.trim().toLowerCase().replace('-', '_') === 'trailing_stop';
  if (!named) {
    const stray = ['trailPercent', 'trailAmount'].find((k) => body[k] !== undefined);
    return stray
      ? unreadable(`${stray} is read only with orderType "trailing_stop"`, { field: stray })
      : ok(undefined);
  }
  if (body.limitPrice !== undefined) {
    return unreadable('a trailing_stop order takes no limitPrice (it sells or buys at market)', {
      field: 'limitPrice',
    });
  }
  const pct = optionalPositive(body.trailPercent, 'trailPercent');
  if (!pct.ok) return pct;
  const amount = optionalPositive(body.trailAmount, 'trailAmount');
  if (!amount.ok) return amount;
  if (pct.value !== undefined && amount.value !== undefined) {
    return unreadable('a trailing_stop order takes trailPercent or trailAmount, not both', {
      field: 'trailAmount',
    });
  }
  if (amount.value !== undefined) return ok({ trailAmount: amount.value });
  if (pct.value === undefined) {
    return unreadable(
      'orderType "trailing_stop" needs trailPercent (the distance in percent) or trailAmount (in price units)',
      { field: 'trailPercent' },
    );
  }
  return ok({ trailPercent: pct.value });
}

/** A trailing stop's distance as the alert wrote it. */
type Trailing = { trailPercent: string } | { trailAmount: string };
