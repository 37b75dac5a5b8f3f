import { ok, type Result } from '../money';
import type { AlertIntent, Bracket, IntentOrderType, ParsedAlert } from './intent';
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
const UNSUPPORTED = [
  'newsltplong',
  'newsltpshort',
  'eaon',
  'eaoff',
  'closealleaoff',
  'closelongbuy',
  'closeshortsell',
];

/** `sl=`/`tp=` and their explicit variants, and the bracket unit each one is in. */
const LEVELS: Record<string, keyof Bracket> = {
  sl: 'pips',
  sl_pips: 'pips',
  sl_price: 'price',
  sl_pct: 'percent',
  tp: 'pips',
  tp_pips: 'pips',
  tp_price: 'price',
  tp_pct: 'percent',
};

/** Parameters Bourse reads: PineConnector's, plus Bourse's `id=` (dedupe) and `leverage=`. */
const PARAMS = [
  'risk',
  'vol_lots',
  'price',
  ...Object.keys(LEVELS),
  'comment',
  'secret',
  'id',
  'leverage',
];

/** Parameters of features the PineConnector EA runs inside MetaTrader and Bourse does not. */
const EA_FEATURES: Record<string, string> = {
  betrigger: 'breakeven',
  beoffset: 'breakeven',
  trailtrig: 'pips trailing',
  traildist: 'pips trailing',
  trailstep: 'pips trailing',
  atrtimeframe: 'ATR trailing',
  atrperiod: 'ATR trailing',
  atrmultiplier: 'ATR trailing',
  atrshift: 'ATR trailing',
  atrtrigger: 'ATR trailing',
  spread: 'spread filter',
  accfilter: 'account filter',
};

/** Refuses a parameter Bourse does not read, saying why and listing the ones it does. */
function refuseParam(key: string): Result<never> {
  const feature = EA_FEATURES[key];
  if (feature) {
    return unreadable(
      `${key}= (${feature}) is a feature of the PineConnector EA that Bourse does not run; remove it`,
      { field: key },
    );
  }
  if (key.startsWith('vol_')) {
    return unreadable(
      `${key}= sizes from the MetaTrader account (balance, risk in money); Bourse reads the size in lots: use vol_lots= or risk=`,
      { field: key, accepted: PARAMS },
    );
  }
  return unreadable(`unknown parameter "${key}" (accepted: ${PARAMS.join(', ')})`, {
    field: key,
    accepted: PARAMS,
  });
}

/** Reads `key=value` parts; at most one of each key. */
function readParams(rest: string[]): Result<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const p of rest) {
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq <= 0) return unreadable(`"${p}" is not key=value (only one command per line)`);
    const key = p.slice(0, eq).trim().toLowerCase();
    if (!PARAMS.includes(key)) return refuseParam(key);
    if (key in params) return unreadable(`parameter "${key}" is given twice`, { field: key });
    params[key] = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return ok(params);
}

/** The stop-loss or take-profit from whichever of its variants the line gives (at most one). */
function readLevel(params: Record<string, string>, kind: 'sl' | 'tp'): Result<Bracket | undefined> {
  const given = Object.keys(LEVELS).filter((k) => k.startsWith(`${kind}`) && k in params);
  if (given.length > 1) {
    return unreadable(`give one of ${given.map((k) => `${k}=`).join(', ')}, not several`);
  }
  const key = given[0];
  if (!key) return ok(undefined);
  const v = optionalPositive(params[key], key);
  if (!v.ok) return v;
  return ok(v.value ? { [LEVELS[key]!]: v.value } : undefined);
}

/**
 * A PineConnector line as its syntax guide writes it: `LicenseID,command,SYMBOL,key=value,...`,
 * e.g. `60123456789,sell,GBPJPY,sl=50,risk=1`. Read with the EA's default settings: `risk=`
 * and `vol_lots=` are lots (Volume Type "Lots"); `sl=`/`tp=` are pips from the entry (Target
 * Type "Pips"), `sl_price=`/`sl_pct=`/`sl_pips=` (and `tp_…`) say their unit; `price=` is the
 * pending order's price. Lots and pips become base units and prices once the market is known
 * (`resolveUnits`). The license id may carry the webhook token, or `secret=` does.
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
      `"${rawCommand}" is not a PineConnector command (${Object.keys(COMMANDS).join(', ')})`,
    );
  }
  const symbol = readSymbol(rawSymbol, 'symbol');
  if (!symbol.ok) return symbol;
  const read = readParams(rest);
  if (!read.ok) return read;
  const params = read.value;
  if (params.risk !== undefined && params.vol_lots !== undefined) {
    return unreadable('give either risk= or vol_lots=, not both');
  }
  const nums = {
    lots: optionalPositive(params.risk ?? params.vol_lots, params.risk ? 'risk' : 'vol_lots'),
    price: optionalPositive(params.price, 'price'),
    leverage: optionalPositive(params.leverage, 'leverage'),
  };
  for (const c of Object.values(nums)) if (!c.ok) return c;
  const val = (k: keyof typeof nums) => (nums[k].ok ? nums[k].value : undefined);
  const sl = readLevel(params, 'sl');
  if (!sl.ok) return sl;
  const tp = readLevel(params, 'tp');
  if (!tp.ok) return tp;
  const comment = optionalText(params.comment, 'comment', 200);
  if (!comment.ok) return comment;
  const alertId = optionalText(params.id, 'id');
  if (!alertId.ok) return alertId;

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
      lots: val('lots'),
      ...(command.type === 'limit' ? { price: val('price') } : {}),
      ...(command.type === 'stop_market' ? { stopPrice: val('price') } : {}),
      takeProfit: tp.value,
      stopLoss: sl.value,
      leverage: val('leverage'),
    };
  } else if (command.action === 'exit') {
    intent = {
      ...base,
      action: 'exit',
      exitSide: command.exitSide,
      type: 'market',
      lots: val('lots'),
    };
  } else {
    intent = { ...base, action: 'cancel', type: 'market' };
  }
  const secret = params.secret ?? license;
  return ok({ intent: clean(intent), secret });
}
