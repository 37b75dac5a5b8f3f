import type Database from 'better-sqlite3';
import {
  addDecimal,
  DEFAULT_RISK_SETTINGS,
  type CalendarEvent,
  type RiskSettings,
} from '../../domain/automation';

/** A webhook log row as written. JSON columns are serialised by the caller. */
export interface LogRow {
  userId: string | null;
  accountId: string | null;
  route: string;
  status: 'accepted' | 'rejected' | 'duplicate' | 'failed';
  httpStatus: number;
  format: string | null;
  alertId: string | null;
  symbol: string | null;
  remoteIp: string | null;
  contentType: string | null;
  rawBody: string;
  intent: string | null;
  decisions: string;
  orders: string;
  errorCode: string | null;
  errorMessage: string | null;
  duplicateOf: number | null;
  ordersPlaced: number;
  tradesExecuted: number;
  latencyUs: number;
  tsReceived: number;
  correlationId: string | null;
}

export interface ReceiverSettings {
  tvAllowlist: boolean;
  trustedProxy: string | null;
  dedupeWindowSec: number;
}

export const DEFAULT_RECEIVER: ReceiverSettings = {
  tvAllowlist: false,
  trustedProxy: null,
  dedupeWindowSec: 60,
};

export interface EmergencyRow {
  accountId: string;
  active: boolean;
  reason: string | null;
  summary: unknown;
  tsStopped: number;
  tsRearmed: number | null;
}

const ALL = '*';

/** Values the store remembers at most before starting afresh (see `remembered`). */
const REMEMBERED_MAX = 10_000;

/**
 * The automation tables behind prepared statements (the webhook path is hot: every alert
 * claims a dedupe key, reads settings and writes a log row).
 */
export class AutomationStore {
  private readonly s;
  /** Per account: `sessionTotals` for one session start. */
  private readonly session = new Map<
    string,
    { since: number; orders: number; trades: number; realised: string }
  >();

  /**
   * What every alert reads and a person rarely changes (risk settings, receiver settings,
   * emergency stops), remembered per key: an indexed read each, three to four per alert, was
   * ~5 % of an alert's CPU. Only this class writes those tables; each write forgets what it
   * touched, and nothing read inside a transaction is remembered (a rollback cannot leave a
   * value that was never committed).
   */
  private readonly remembered = new Map<string, unknown>();

  constructor(private readonly sqlite: Database.Database) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      claim: p(
        `INSERT INTO automation_dedupe (key, log_id, ts_claimed, ts_expires) VALUES (?, NULL, ?, ?)
         ON CONFLICT(key) DO UPDATE SET log_id = NULL, ts_claimed = excluded.ts_claimed,
           ts_expires = excluded.ts_expires WHERE automation_dedupe.ts_expires <= excluded.ts_claimed`,
      ),
      claimOf: p('SELECT log_id AS logId FROM automation_dedupe WHERE key = ?'),
      setClaimLog: p('UPDATE automation_dedupe SET log_id = ? WHERE key = ?'),
      release: p('DELETE FROM automation_dedupe WHERE key = ?'),
      purge: p('DELETE FROM automation_dedupe WHERE ts_expires <= ?'),
      insertLog: p(
        `INSERT INTO automation_webhook_log (user_id, account_id, route, status, http_status, format,
          alert_id, symbol, remote_ip, content_type, raw_body, intent, decisions, orders, error_code,
          error_message, duplicate_of, orders_placed, trades_executed, latency_us, ts_received,
          correlation_id)
         VALUES (@userId, @accountId, @route, @status, @httpStatus, @format, @alertId, @symbol,
          @remoteIp, @contentType, @rawBody, @intent, @decisions, @orders, @errorCode,
          @errorMessage, @duplicateOf, @ordersPlaced, @tradesExecuted, @latencyUs, @tsReceived,
          @correlationId)`,
      ),
      risk: p('SELECT settings FROM automation_risk_settings WHERE user_id = ? AND account_id = ?'),
      setRisk: p(
        `INSERT INTO automation_risk_settings (user_id, account_id, settings, ts_updated)
         VALUES (?, ?, ?, ?) ON CONFLICT(user_id, account_id) DO UPDATE SET
         settings = excluded.settings, ts_updated = excluded.ts_updated`,
      ),
      receiver: p(
        `SELECT tv_allowlist AS tvAllowlist, trusted_proxy AS trustedProxy,
          dedupe_window_sec AS dedupeWindowSec FROM automation_receiver WHERE user_id = ?`,
      ),
      setReceiver: p(
        `INSERT INTO automation_receiver (user_id, tv_allowlist, trusted_proxy, dedupe_window_sec, ts_updated)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET tv_allowlist = excluded.tv_allowlist,
         trusted_proxy = excluded.trusted_proxy, dedupe_window_sec = excluded.dedupe_window_sec,
         ts_updated = excluded.ts_updated`,
      ),
      activeStop: p(
        `SELECT account_id AS accountId FROM automation_emergency
         WHERE user_id = ? AND active = 1 AND account_id IN ('*', ?) LIMIT 1`,
      ),
      stops: p(
        `SELECT account_id AS accountId, active, reason, summary, ts_stopped AS tsStopped,
          ts_rearmed AS tsRearmed FROM automation_emergency WHERE user_id = ? ORDER BY ts_stopped DESC`,
      ),
      stop: p(
        `INSERT INTO automation_emergency (user_id, account_id, active, reason, summary, ts_stopped, ts_rearmed)
         VALUES (?, ?, 1, ?, '{}', ?, NULL) ON CONFLICT(user_id, account_id) DO UPDATE SET active = 1,
         reason = excluded.reason, summary = '{}', ts_stopped = excluded.ts_stopped, ts_rearmed = NULL`,
      ),
      stopSummary: p(
        'UPDATE automation_emergency SET summary = ? WHERE user_id = ? AND account_id = ?',
      ),
      rearmOne: p(
        `UPDATE automation_emergency SET active = 0, ts_rearmed = ?
         WHERE user_id = ? AND account_id = ? AND active = 1`,
      ),
      rearmAll: p(
        'UPDATE automation_emergency SET active = 0, ts_rearmed = ? WHERE user_id = ? AND active = 1',
      ),
      events: p(
        `SELECT ts, title, currency FROM automation_calendar_events
         WHERE user_id = ? AND ts BETWEEN ? AND ? ORDER BY ts`,
      ),
      addEvent: p(
        'INSERT INTO automation_calendar_events (user_id, ts, title, currency, source) VALUES (?, ?, ?, ?, ?)',
      ),
      clearEvents: p('DELETE FROM automation_calendar_events WHERE user_id = ?'),
      countEvents: p('SELECT count(*) AS n FROM automation_calendar_events WHERE user_id = ?'),
      results: p(
        `SELECT ts, pnl FROM automation_results WHERE account_id = ? AND ts >= ? ORDER BY id`,
      ),
      lastResults: p(
        `SELECT ts, pnl FROM (SELECT id, ts, pnl FROM automation_results WHERE account_id = ?
         ORDER BY id DESC LIMIT ?) ORDER BY id`,
      ),
      addResult: p(
        'INSERT INTO automation_results (user_id, account_id, symbol, pnl, ts) VALUES (?, ?, ?, ?, ?)',
      ),
      dayCounts: p(
        `SELECT coalesce(sum(orders_placed), 0) AS orders, coalesce(sum(trades_executed), 0) AS trades
         FROM automation_webhook_log WHERE account_id = ? AND status = 'accepted' AND ts_received >= ?`,
      ),
      bumpCounts: p(
        `INSERT INTO automation_trade_counts (user_id, day, trades, orders, alerts) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT(user_id, day) DO UPDATE SET trades = trades + excluded.trades,
         orders = orders + excluded.orders, alerts = alerts + 1`,
      ),
      countsDay: p(
        `SELECT alerts, orders, trades FROM automation_trade_counts WHERE user_id = ? AND day = ?`,
      ),
      countsTotal: p(
        `SELECT coalesce(sum(alerts), 0) AS alerts, coalesce(sum(orders), 0) AS orders,
          coalesce(sum(trades), 0) AS trades FROM automation_trade_counts WHERE user_id = ?`,
      ),
    };
  }

  /** Claims a dedupe key; false when a live claim exists (a duplicate). One statement: atomic. */
  claim(key: string, now: number, windowMs: number): boolean {
    return this.s.claim.run(key, now, now + windowMs).changes === 1;
  }

  /** The log row of the delivery that holds `key` (null while it is still executing). */
  claimOwner(key: string): number | null {
    const row = this.s.claimOf.get(key) as { logId: number | null } | undefined;
    return row?.logId ?? null;
  }

  attachClaim(key: string, logId: number): void {
    this.s.setClaimLog.run(logId, key);
  }

  /** Frees a claim whose alert was refused before it could execute (a retry may run). */
  release(key: string): void {
    this.s.release.run(key);
  }

  purgeClaims(now: number): number {
    return this.s.purge.run(now).changes;
  }

  insertLog(row: LogRow): number {
    return Number(this.s.insertLog.run(row).lastInsertRowid);
  }

  /** `read()` once per key outside transactions (see {@link remembered}). */
  private recall<T>(key: string, read: () => T): T {
    if (this.remembered.has(key)) return this.remembered.get(key) as T;
    const value = read();
    if (!this.sqlite.inTransaction) {
      // Keys are per user and account: a bound for deleted accounts' leftovers, not a tuning.
      if (this.remembered.size >= REMEMBERED_MAX) this.remembered.clear();
      this.remembered.set(key, value);
    }
    return value;
  }

  /** Forgets every remembered value of one user (their writes are rare: settings, stops). */
  private forget(userId: string): void {
    const prefix = `${userId}\u0000`;
    for (const key of this.remembered.keys())
      if (key.startsWith(prefix)) this.remembered.delete(key);
  }

  /**
   * Account settings, else user-wide settings, else the defaults; `stored` says which. The
   * answer is shared between callers: treat it as read-only.
   */
  riskSettings(
    userId: string,
    accountId: string | null,
  ): { settings: RiskSettings; stored: boolean } {
    return this.recall(`${userId}\u0000risk\u0000${accountId ?? ALL}`, () => {
      const row =
        (accountId ? this.s.risk.get(userId, accountId) : undefined) ??
        this.s.risk.get(userId, ALL);
      if (!row) return { settings: DEFAULT_RISK_SETTINGS, stored: false };
      return {
        settings: {
          ...DEFAULT_RISK_SETTINGS,
          ...JSON.parse((row as { settings: string }).settings),
        },
        stored: true,
      };
    });
  }

  setRiskSettings(
    userId: string,
    accountId: string | null,
    settings: RiskSettings,
    now: number,
  ): void {
    this.forget(userId);
    this.s.setRisk.run(userId, accountId ?? ALL, JSON.stringify(settings), now);
  }

  receiver(userId: string): ReceiverSettings {
    return this.recall(`${userId}\u0000receiver`, () => {
      const row = this.s.receiver.get(userId) as
        { tvAllowlist: number; trustedProxy: string | null; dedupeWindowSec: number } | undefined;
      if (!row) return DEFAULT_RECEIVER;
      return { ...row, tvAllowlist: row.tvAllowlist === 1 };
    });
  }

  setReceiver(userId: string, r: ReceiverSettings, now: number): void {
    this.forget(userId);
    this.s.setReceiver.run(userId, r.tvAllowlist ? 1 : 0, r.trustedProxy, r.dedupeWindowSec, now);
  }

  /** True when a stop covers the account (its own, or the user-wide one). */
  isStopped(userId: string, accountId: string): boolean {
    return this.recall(
      `${userId}\u0000stopped\u0000${accountId}`,
      () => this.s.activeStop.get(userId, accountId) !== undefined,
    );
  }

  stops(userId: string): EmergencyRow[] {
    return (
      this.s.stops.all(userId) as Array<
        Omit<EmergencyRow, 'active' | 'summary'> & {
          active: number;
          summary: string;
        }
      >
    ).map((r) => ({ ...r, active: r.active === 1, summary: JSON.parse(r.summary) }));
  }

  stop(userId: string, accountId: string | null, reason: string | null, now: number): void {
    this.forget(userId);
    this.s.stop.run(userId, accountId ?? ALL, reason, now);
  }

  recordStopSummary(userId: string, accountId: string | null, summary: unknown): void {
    this.s.stopSummary.run(JSON.stringify(summary), userId, accountId ?? ALL);
  }

  rearm(userId: string, accountId: string | null, now: number): number {
    this.forget(userId);
    return accountId
      ? this.s.rearmOne.run(now, userId, accountId).changes
      : this.s.rearmAll.run(now, userId).changes;
  }

  events(userId: string, from: number, to: number): CalendarEvent[] {
    return this.s.events.all(userId, from, to) as CalendarEvent[];
  }

  importEvents(userId: string, events: CalendarEvent[], source: string, replace: boolean): number {
    if (replace) this.s.clearEvents.run(userId);
    for (const e of events) this.s.addEvent.run(userId, e.ts, e.title, e.currency, source);
    return (this.s.countEvents.get(userId) as { n: number }).n;
  }

  results(accountId: string, since: number): Array<{ ts: number; pnl: string }> {
    return this.s.results.all(accountId, since) as Array<{ ts: number; pnl: string }>;
  }

  lastResults(accountId: string, n: number): Array<{ ts: number; pnl: string }> {
    return this.s.lastResults.all(accountId, n) as Array<{ ts: number; pnl: string }>;
  }

  addResult(userId: string, accountId: string, symbol: string, pnl: string, ts: number): void {
    this.s.addResult.run(userId, accountId, symbol, pnl, ts);
  }

  /**
   * What the risk rules read of an account's session since `since`: orders placed and trades
   * executed by accepted alerts, and their realised P&L. Summed from the log and results once
   * per account and session start, then kept up to date by `counted` as each accepted alert
   * commits: summing the day's rows on every alert cost O(alerts today) per alert (a bot's
   * 100,000th alert of the day read 100,000 rows before its order could leave).
   */
  sessionTotals(
    accountId: string,
    since: number,
  ): { orders: number; trades: number; realised: string } {
    let t = this.session.get(accountId);
    if (!t || t.since !== since) {
      const c = this.s.dayCounts.get(accountId, since) as { orders: number; trades: number };
      const pnls = this.results(accountId, since).map((r) => r.pnl);
      t = { since, orders: c.orders, trades: c.trades, realised: addDecimal('0', ...pnls) };
      this.session.set(accountId, t);
    }
    return { orders: t.orders, trades: t.trades, realised: t.realised };
  }

  /**
   * An accepted alert's log row and results are committed: they join the account's session
   * totals. Called after the commit, never inside it (a rolled-back row must not count).
   */
  counted(a: {
    accountId: string;
    tsReceived: number;
    orders: number;
    trades: number;
    realised: string[];
  }): void {
    const t = this.session.get(a.accountId);
    if (!t || a.tsReceived < t.since) return;
    t.orders += a.orders;
    t.trades += a.trades;
    if (a.realised.length) t.realised = addDecimal(t.realised, ...a.realised);
  }

  bumpCounts(userId: string, day: string, trades: number, orders: number): void {
    this.s.bumpCounts.run(userId, day, trades, orders);
  }

  counts(userId: string, day: string) {
    const today = (this.s.countsDay.get(userId, day) as
      { alerts: number; orders: number; trades: number } | undefined) ?? {
      alerts: 0,
      orders: 0,
      trades: 0,
    };
    const total = this.s.countsTotal.get(userId) as {
      alerts: number;
      orders: number;
      trades: number;
    };
    return { today, total };
  }
}
