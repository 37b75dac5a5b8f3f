import { ok, type Result } from '../money';
import type { AlertIntent, IntentOrderType, ParsedAlert } from './intent';
import { optionalPositive, optionalText, readSymbol, unreadable } from './parse-common';
import { clean } from './parse-unify';

type Command =
  | { action: 'entry'; side: 'buy' | 'sell'; type: IntentOrderType }
  | { action: 'exit'; exitSide: 'long' | 'short' | 'both' }
  | { action: 'cancel' };

const COMMANDS: Record<string, Command> = {
  buy: { action: 'entry', side: 'buy', type: 'market' },
  long: { action: 'entry', side: 'buy', type: 'market' },
  bull: { action: 'entry', side: 'buy', type: 'market' },
  bullish: { action: 'entry', side: 'buy', type: 'market' },
  sell: { action: 'entry', side: 'sell', type: 'market' },
  short: { action: 'entry', side: 'sell', type: 'market' },
  bear: { action: 'entry', side: 'sell', type: 'market' },
  bearish: { action: 'entry', side: 'sell', type: 'market' },
  buylimit: { action: 'entry', side: 'buy', type: 'limit' },
  selllimit: { action: 'entry', side: 'sell', type: 'limit' },
  buystop: { action: 'entry', side: 'buy', type: 'stop_market' },
  sellstop: { action: 'entry', side: 'sell', type: 'stop_market' },
  closelong: { action: 'exit', exitSide: 'long' },
  closeshort: { action: 'exit', exitSide: 'short' },
  closelongshort: { action: 'exit', exitSide: 'both' },
  closeall: { action: 'exit', exitSide: 'both' },
  cancellong: { action: 'cancel' },
  cancelshort: { action: 'cancel' },
};

/** PineConnector commands we recognise but do not execute (they manage an MT EA's state). */
const UNSUPPORTED = ['newsltplong', 'newsltpshort', 'eaon', 'eaoff', 'closelongbuy'];

const PARAMS = [
  'risk',
  'vol_lots',
  'price',
  'sl',
  'tp',
  'sl_price',
  'tp_price',
  'sl_pct',
  'tp_pct',
  'comment',
  'secret',
  'id',
  'leverage',
];

/**
 * A PineConnector-style line: `LicenseID,command,SYMBOL,key=value,...` — e.g.
 * `60123456789,buy,EURUSD,risk=1,sl=1.0650,tp=1.0950`. In Bourse `risk=` (or `vol_lots=`) is
 * the quantity in base units; `sl=`/`tp=` are prices (`sl_pct=`/`tp_pct=` percent from
 * entry); `price=` is the pending order price. The license id may carry the webhook token.
 */
export function parsePineConnector(text: string): Result<ParsedAlert> {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length < 3) {
    return unreadable(
      `a PineConnector line needs LicenseID,command,symbol (got ${parts.length} part(s))`,
    );
  }
  const [license, rawCommand, rawSymbol, ...rest] = parts as [string, string, string, ...string[]];
  if (!license || license.includes('=')) {
    return unreadable('the first part of a PineConnector line must be the license id');
  }
  const name = rawCommand.toLowerCase();
  if (UNSUPPORTED.includes(name)) {
    return unreadable(`PineConnector command "${rawCommand}" is not supported by Bourse`);
  }
  const command = COMMANDS[name];
  if (!command) {
    return unreadable(
      `"${rawCommand}" is not a PineConnector command (buy, sell, buylimit, selllimit, buystop, sellstop, closelong, closeshort, closeall, cancellong, cancelshort)`,
    );
  }
  const symbol = readSymbol(rawSymbol, 'symbol');
  if (!symbol.ok) return symbol;
  const params: Record<string, string> = {};
  for (const p of rest) {
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq <= 0) return unreadable(`"${p}" is not key=value (only one command per line)`);
    const key = p.slice(0, eq).trim().toLowerCase();
    if (!PARAMS.includes(key)) return unreadable(`unknown parameter "${key}"`, { field: key });
    if (key in params) return unreadable(`parameter "${key}" is given twice`, { field: key });
    params[key] = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  if (params.risk !== undefined && params.vol_lots !== undefined) {
    return unreadable('give either risk= or vol_lots=, not both');
  }
  const num = (key: string) => optionalPositive(params[key], key);
  const checks = Object.fromEntries(
    [
      'risk',
      'vol_lots',
      'price',
      'sl',
      'tp',
      'sl_price',
      'tp_price',
      'sl_pct',
      'tp_pct',
      'leverage',
    ].map((k) => [k, num(k)]),
  );
  for (const c of Object.values(checks)) if (!c.ok) return c;
  const val = (k: string) => {
    const c = checks[k]!;
    return c.ok ? c.value : undefined;
  };
  const comment = optionalText(params.comment, 'comment', 200);
  if (!comment.ok) return comment;
  const alertId = optionalText(params.id, 'id');
  if (!alertId.ok) return alertId;

  const slPrice = val('sl') ?? val('sl_price');
  const tpPrice = val('tp') ?? val('tp_price');
  if (slPrice && val('sl_pct')) return unreadable('give either sl= or sl_pct=, not both');
  if (tpPrice && val('tp_pct')) return unreadable('give either tp= or tp_pct=, not both');
  const base = {
    format: 'pineconnector' as const,
    symbol: symbol.value,
    alertId: alertId.value,
    comment: comment.value,
  };
  let intent: AlertIntent;
  if (command.action === 'entry') {
    const pending = command.type !== 'market';
    if (pending && !val('price')) {
      return unreadable(`${rawCommand} is a pending order and needs price=`, { field: 'price' });
    }
    intent = {
      ...base,
      action: 'entry',
      side: command.side,
      type: command.type,
      qty: val('risk') ?? val('vol_lots'),
      ...(command.type === 'limit' ? { price: val('price') } : {}),
      ...(command.type === 'stop_market' ? { stopPrice: val('price') } : {}),
      takeProfit: tpPrice
        ? { price: tpPrice }
        : val('tp_pct')
          ? { percent: val('tp_pct') }
          : undefined,
      stopLoss: slPrice
        ? { price: slPrice }
        : val('sl_pct')
          ? { percent: val('sl_pct') }
          : undefined,
      leverage: val('leverage'),
    };
  } else if (command.action === 'exit') {
    intent = {
      ...base,
      action: 'exit',
      exitSide: command.exitSide,
      type: 'market',
      qty: val('risk') ?? val('vol_lots'),
    };
  } else {
    intent = { ...base, action: 'cancel', type: 'market' };
  }
  const secret = params.secret ?? license;
  return ok({ intent: clean(intent), secret });
}
