import { SlidingWindowLimiter } from '../broker/limiter';
import type { ColumnConfig } from './wire';

/** One entry of `/trade/config` `rateLimits[]`: at most `limit` calls per `intervalNum` units. */
export interface RateLimitRule {
  rateLimitType: string;
  measure: 'SECONDS' | 'MINUTES' | string;
  intervalNum: number;
  limit: number;
}

/** The parts of `/trade/config` the connector reads. */
export interface TradeConfig {
  customerAccess?: Record<string, boolean>;
  positionsConfig?: ColumnConfig;
  ordersConfig?: ColumnConfig;
  ordersHistoryConfig?: ColumnConfig;
  filledOrdersConfig?: ColumnConfig;
  accountDetailsConfig?: ColumnConfig;
  rateLimits?: RateLimitRule[];
}

/** Rate-limit route names the connector's calls count against (the SDK's `RouteNamesType`). */
export const ROUTES = {
  accounts: 'GET_ACCOUNTS',
  executions: 'GET_EXECUTIONS',
  instruments: 'GET_INSTRUMENTS',
  orders: 'GET_ORDERS',
  ordersHistory: 'GET_ORDERS_HISTORY',
  positions: 'GET_POSITIONS',
  state: 'GET_ACCOUNTS_STATE',
  details: 'GET_INSTRUMENT_DETAILS',
  place: 'PLACE_ORDER',
  modifyOrder: 'MODIFY_ORDER',
  modifyPosition: 'MODIFY_POSITION',
  quotes: 'QUOTES',
} as const;

const UNIT_MS: Record<string, number> = { SECONDS: 1000, MINUTES: 60_000 };

/**
 * The window of one rule in ms, or null when the rule is not one Bourse understands (an
 * unknown measure or a non-positive number): such a rule is ignored rather than guessed.
 */
export function ruleWindowMs(rule: RateLimitRule): number | null {
  const unit = UNIT_MS[rule.measure];
  if (!unit || !(rule.intervalNum > 0) || !(rule.limit > 0)) return null;
  return unit * rule.intervalNum;
}

/**
 * Bourse counts a call when it leaves, the broker when it arrives: a slow first call and a
 * fast later one can land inside one broker window although they left a full window apart.
 * Each window is padded by 5% (at least 50 ms) so that jitter does not cost a refusal.
 */
export function windowMarginMs(windowMs: number): number {
  return Math.max(50, Math.ceil(windowMs * 0.05));
}

/**
 * Sliding-window limiters per route from `rateLimits[]`. A route may have several rules (per
 * second and per minute); a call waits for a slot in each, so Bourse stays under all of them.
 */
export function limitersFromConfig(
  config: TradeConfig,
  now: () => number,
): Map<string, SlidingWindowLimiter[]> {
  const out = new Map<string, SlidingWindowLimiter[]>();
  for (const rule of config.rateLimits ?? []) {
    const windowMs = ruleWindowMs(rule);
    if (windowMs === null) continue;
    const list = out.get(rule.rateLimitType) ?? [];
    list.push(new SlidingWindowLimiter(rule.limit, windowMs + windowMarginMs(windowMs), now));
    out.set(rule.rateLimitType, list);
  }
  return out;
}
