import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

const HOUR_MS = 3_600_000;

/** One refused, unattributable delivery as it is counted. */
export interface Refusal {
  now: number;
  /** Counting key of the client address (see `addressKey`). */
  address: string;
  code: string;
  bytes: number;
  /** The token the caller tried, if any: only a short hash of it is kept. */
  token?: string;
}

/** One counter row: refusals from one address in one UTC hour. */
export interface RefusalRow {
  hour: number;
  address: string;
  count: number;
  bytes: number;
  lastCode: string;
  tokenHint: string | null;
  tsFirst: number;
  tsLast: number;
}

/** 8 hex digits of SHA-256: tells tokens apart, reveals nothing usable of them. */
export function tokenHash(token: string | undefined): string | null {
  return token ? createHash('sha256').update(token).digest('hex').slice(0, 8) : null;
}

/**
 * Counters of deliveries refused for want of a known token. One row per address and hour,
 * upserted in one statement, so a flood of junk adds at most one row per address per hour
 * whatever it sends (the retention job bounds the rows; `WebhookLimiter` bounds the rate).
 */
export class WebhookRefusals {
  private readonly s;

  constructor(sqlite: Database.Database) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      bump: p(
        `INSERT INTO automation_webhook_refusals
           (hour, address, count, bytes, last_code, token_hint, ts_first, ts_last)
         VALUES (@hour, @address, 1, @bytes, @code, @hint, @now, @now)
         ON CONFLICT(hour, address) DO UPDATE SET count = count + 1, bytes = bytes + excluded.bytes,
           last_code = excluded.last_code, token_hint = excluded.token_hint,
           ts_last = excluded.ts_last`,
      ),
      list: p(
        `SELECT hour, address, count, bytes, last_code AS lastCode, token_hint AS tokenHint,
           ts_first AS tsFirst, ts_last AS tsLast
         FROM automation_webhook_refusals WHERE ts_last >= ? ORDER BY ts_last DESC LIMIT ?`,
      ),
      total: p(
        `SELECT coalesce(sum(count), 0) AS deliveries, count(DISTINCT address) AS addresses
         FROM automation_webhook_refusals WHERE ts_last >= ?`,
      ),
    };
  }

  record(r: Refusal): void {
    this.s.bump.run({
      hour: Math.floor(r.now / HOUR_MS) * HOUR_MS,
      address: r.address,
      bytes: r.bytes,
      code: r.code,
      hint: tokenHash(r.token),
      now: r.now,
    });
  }

  /** Newest rows first, seen at or after `since`. */
  list(since: number, limit: number): RefusalRow[] {
    return this.s.list.all(since, limit) as RefusalRow[];
  }

  totals(since: number): { deliveries: number; addresses: number } {
    return this.s.total.get(since) as { deliveries: number; addresses: number };
  }
}
