import { addDecimal, compareDecimal, negateDecimal, showDecimal, type DecimalText } from '../money';
import type { RiskSettings, TradingWindow } from './risk-settings';
import { localTime, parseClock, sessionStart, showLocal, WEEKDAY_NAMES } from './time-zone';

/** The rules, in the order they are checked. */
export const RISK_RULES = [
  'emergency_stop',
  'enabled',
  'allowed_symbols',
  'max_order_qty',
  'max_position',
  'max_daily_loss',
  'daily_profit_target',
  'max_trades_per_day',
  'max_orders_per_day',
  'trading_hours',
  'news_lockout',
  'cooldown',
] as const;
export type RiskRule = (typeof RISK_RULES)[number];

/** One rule's verdict, with the numbers that decided it. */
export interface RiskDecision {
  rule: RiskRule;
  passed: boolean;
  message: string;
}

/** A calendar event a news lockout is built around. */
export interface CalendarEvent {
  ts: number;
  title: string;
  /** Currency the event moves (`USD`); null = every market. */
  currency: string | null;
}

/** The facts the rules need, gathered by the service; amounts are exact decimals. */
export interface RiskInput {
  now: number;
  emergencyStopped: boolean;
  action: 'entry' | 'exit' | 'cancel';
  symbol: string;
  /** Base and quote asset codes of the market (news lockout matches currencies). */
  assets: string[];
  side?: 'buy' | 'sell';
  qty: DecimalText;
  /** Signed position in `symbol` before the order (short < 0). */
  position: DecimalText;
  /** Realised P&L since the session reset (loss < 0). */
  realisedToday: DecimalText;
  /** Unrealised P&L now (loss < 0). */
  unrealised: DecimalText;
  /** Automated trades and orders since the session reset. */
  tradesToday: number;
  ordersToday: number;
  /** Closed trades' results, oldest first (the cooldown reads the losing streak at the end). */
  results: Array<{ ts: number; pnl: DecimalText }>;
  events: CalendarEvent[];
}

/** The verdict: every rule that was checked, and the first refusal. */
export interface RiskVerdict {
  allowed: boolean;
  decisions: RiskDecision[];
  rejection?: RiskDecision;
}

const pass = (rule: RiskRule, message: string): RiskDecision => ({ rule, passed: true, message });
const fail = (rule: RiskRule, message: string): RiskDecision => ({ rule, passed: false, message });

function limitFor(table: Record<string, DecimalText>, symbol: string): DecimalText | undefined {
  return table[symbol] ?? table['*'];
}

function abs(d: DecimalText): DecimalText {
  return d.startsWith('-') ? d.slice(1) : d;
}

/** True when `ts` falls inside the window (local time in `timeZone`). */
export function inWindow(ts: number, w: TradingWindow, timeZone: string): boolean {
  const l = localTime(ts, timeZone);
  const minute = l.hour * 60 + l.minute;
  const start = parseClock(w.start) ?? 0;
  const end = parseClock(w.end) ?? 0;
  if (start < end) return w.days.includes(l.weekday) && minute >= start && minute < end;
  // Past midnight: the evening part belongs to the listed day, the morning to the next.
  const yesterday = (l.weekday + 6) % 7;
  return (
    (w.days.includes(l.weekday) && minute >= start) || (w.days.includes(yesterday) && minute < end)
  );
}

function showWindow(w: TradingWindow): string {
  const days = [...w.days].sort((a, b) => a - b);
  const contiguous = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  const dayText =
    contiguous && days.length > 2
      ? `${WEEKDAY_NAMES[days[0]!]}–${WEEKDAY_NAMES[days[days.length - 1]!]}`
      : days.map((d) => WEEKDAY_NAMES[d]).join(',');
  return `${dayText} ${w.start}–${w.end}`;
}

function sizeRules(s: RiskSettings, i: RiskInput): RiskDecision[] {
  const out: RiskDecision[] = [];
  const maxQty = limitFor(s.maxOrderQty, i.symbol);
  if (maxQty !== undefined) {
    out.push(
      compareDecimal(i.qty, maxQty) > 0
        ? fail('max_order_qty', `order qty ${i.qty} > max ${maxQty} for ${i.symbol}`)
        : pass('max_order_qty', `order qty ${i.qty} ≤ max ${maxQty}`),
    );
  }
  const maxPos = limitFor(s.maxPositionQty, i.symbol);
  if (maxPos !== undefined) {
    const signed = i.side === 'sell' ? negateDecimal(i.qty) : i.qty;
    const after = abs(addDecimal(i.position, signed));
    const grows = compareDecimal(after, abs(i.position)) > 0;
    out.push(
      grows && compareDecimal(after, maxPos) > 0
        ? fail('max_position', `position after order ${after} > max ${maxPos} for ${i.symbol}`)
        : pass('max_position', `position after order ${after} (max ${maxPos})`),
    );
  }
  return out;
}

function dayRules(s: RiskSettings, i: RiskInput): RiskDecision[] {
  const out: RiskDecision[] = [];
  if (s.maxDailyLoss !== null) {
    const pnl = addDecimal(i.realisedToday, i.unrealised);
    const loss = compareDecimal(pnl, '0') < 0 ? negateDecimal(pnl) : '0';
    const since = showLocal(sessionStart(i.now, s.timeZone, s.sessionReset), s.timeZone, true);
    const text = `daily loss ${showDecimal(loss)} ${
      compareDecimal(loss, s.maxDailyLoss) >= 0 ? '≥' : '<'
    } limit ${showDecimal(s.maxDailyLoss)} (since ${since} ${s.timeZone})`;
    out.push(
      compareDecimal(loss, s.maxDailyLoss) >= 0
        ? fail('max_daily_loss', text)
        : pass('max_daily_loss', text),
    );
  }
  if (s.dailyProfitTarget !== null && i.action === 'entry') {
    const pnl = addDecimal(i.realisedToday, i.unrealised);
    const reached = compareDecimal(pnl, s.dailyProfitTarget) >= 0;
    const text = `day's P&L ${showDecimal(pnl)} ${reached ? '≥' : '<'} profit target ${showDecimal(
      s.dailyProfitTarget,
    )}`;
    out.push(reached ? fail('daily_profit_target', text) : pass('daily_profit_target', text));
  }
  if (s.maxTradesPerDay !== null) {
    out.push(
      i.tradesToday >= s.maxTradesPerDay
        ? fail('max_trades_per_day', `trades today ${i.tradesToday} ≥ limit ${s.maxTradesPerDay}`)
        : pass('max_trades_per_day', `trades today ${i.tradesToday} < limit ${s.maxTradesPerDay}`),
    );
  }
  if (s.maxOrdersPerDay !== null) {
    out.push(
      i.ordersToday >= s.maxOrdersPerDay
        ? fail('max_orders_per_day', `orders today ${i.ordersToday} ≥ limit ${s.maxOrdersPerDay}`)
        : pass('max_orders_per_day', `orders today ${i.ordersToday} < limit ${s.maxOrdersPerDay}`),
    );
  }
  return out;
}

function clockRules(s: RiskSettings, i: RiskInput): RiskDecision[] {
  const out: RiskDecision[] = [];
  const tz = s.timeZone;
  if (s.tradingHours.length > 0) {
    const inside = s.tradingHours.some((w) => inWindow(i.now, w, tz));
    const windows = s.tradingHours.map(showWindow).join('; ');
    out.push(
      inside
        ? pass('trading_hours', `${showLocal(i.now, tz)} ${tz} inside ${windows}`)
        : fail(
            'trading_hours',
            `outside trading hours: ${showLocal(i.now, tz)} ${tz} not in ${windows}`,
          ),
    );
  }
  if (s.newsLockout) {
    const { beforeMinutes, afterMinutes } = s.newsLockout;
    const hit = i.events.find(
      (e) =>
        (e.currency === null || i.assets.includes(e.currency)) &&
        i.now >= e.ts - beforeMinutes * 60_000 &&
        i.now <= e.ts + afterMinutes * 60_000,
    );
    out.push(
      hit
        ? fail(
            'news_lockout',
            `news lockout: "${hit.title}" at ${showLocal(hit.ts, tz, true)} ${tz} (locked ${showLocal(
              hit.ts - beforeMinutes * 60_000,
              tz,
            )}–${showLocal(hit.ts + afterMinutes * 60_000, tz)})`,
          )
        : pass('news_lockout', 'no calendar event within the lockout window'),
    );
  }
  if (s.cooldown) {
    let streak = 0;
    for (let k = i.results.length - 1; k >= 0 && compareDecimal(i.results[k]!.pnl, '0') < 0; k--) {
      streak++;
    }
    const last = i.results[i.results.length - 1];
    const until = last ? last.ts + s.cooldown.minutes * 60_000 : 0;
    out.push(
      streak >= s.cooldown.afterLosses && i.now < until
        ? fail(
            'cooldown',
            `cooldown: ${streak} losses in a row ≥ ${s.cooldown.afterLosses}; entries resume at ${showLocal(until, tz, true)} ${tz}`,
          )
        : pass(
            'cooldown',
            `${streak} losing trade(s) in a row (cooldown after ${s.cooldown.afterLosses})`,
          ),
    );
  }
  return out;
}

/**
 * Checks an automated order against the account's limits. Exits and cancels only face the
 * emergency stop, the enabled switch and the symbol list: reducing risk is never blocked by
 * a loss limit, a counter or the clock.
 */
export function checkRisk(s: RiskSettings, i: RiskInput): RiskVerdict {
  const decisions: RiskDecision[] = [
    i.emergencyStopped
      ? fail('emergency_stop', 'emergency stop is active: re-arm automation to trade')
      : pass('emergency_stop', 'armed'),
    s.enabled
      ? pass('enabled', 'automation enabled')
      : fail('enabled', 'automation is disabled for this account'),
  ];
  if (s.allowedSymbols.length > 0) {
    decisions.push(
      s.allowedSymbols.includes(i.symbol)
        ? pass('allowed_symbols', `${i.symbol} is allowed`)
        : fail(
            'allowed_symbols',
            `symbol ${i.symbol} is not in the allowed symbols (${s.allowedSymbols.join(', ')})`,
          ),
    );
  }
  if (i.action === 'entry') {
    decisions.push(...sizeRules(s, i), ...dayRules(s, i), ...clockRules(s, i));
  }
  const rejection = decisions.find((d) => !d.passed);
  return { allowed: !rejection, decisions, ...(rejection ? { rejection } : {}) };
}
