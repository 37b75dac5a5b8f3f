import fs from 'node:fs';
import path from 'node:path';
import { eq, like } from 'drizzle-orm';
import { AppError } from '../../../src-shared/contract';
import { REPORT_FORMATS, type ReportFormat } from '../../../src-shared/contract/analytics';
import type { DatabaseHandle } from '../../db/database';
import { appMeta } from '../../db/schema';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../file-modes';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Periods caught up at most per run, when the backend was down at their end. */
export const CATCH_UP = { daily: 31, weekly: 8 } as const;

/** A user's report schedule; `since` is when it was last turned on (nothing before is owed). */
export interface ReportSchedule {
  daily: boolean;
  weekly: boolean;
  since: number;
}

export type Cadence = 'daily' | 'weekly';

/** A closed reporting period, UTC: a day, or an ISO week from Monday 00:00. */
export interface ReportPeriod {
  cadence: Cadence;
  name: string;
  from: number;
  /** Last millisecond included. */
  to: number;
}

const META_PREFIX = 'analytics.reports:';
const NAME_RE = /^(daily|weekly)-([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-W[0-9]{2})\.(csv|json)$/;
const SAFE_ID = /^[A-Za-z0-9_.:-]+$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO 8601 week-numbering year and week of a UTC Monday. */
function isoWeek(monday: number): { year: number; week: number } {
  const thursday = new Date(monday + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK) + 1;
  return { year, week };
}

/** The period of `cadence` that starts at `start` (a UTC midnight; a Monday for weeks). */
export function periodAt(cadence: Cadence, start: number): ReportPeriod {
  if (cadence === 'daily') {
    const d = new Date(start);
    const name = `daily-${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    return { cadence, name, from: start, to: start + DAY - 1 };
  }
  const { year, week } = isoWeek(start);
  return { cadence, name: `weekly-${year}-W${pad(week)}`, from: start, to: start + WEEK - 1 };
}

/**
 * Closed periods a schedule owes at `now`, newest first: those ending after `since` (when the
 * schedule was turned on), at most `CATCH_UP` of each cadence.
 */
export function duePeriods(s: ReportSchedule, now: number): ReportPeriod[] {
  const out: ReportPeriod[] = [];
  const today = Math.floor(now / DAY) * DAY;
  if (s.daily) {
    for (let i = 1, start = today - DAY; i <= CATCH_UP.daily; i++, start -= DAY) {
      if (start + DAY <= s.since) break;
      out.push(periodAt('daily', start));
    }
  }
  if (s.weekly) {
    // 1970-01-01 was a Thursday: Mondays are 4 days past a multiple of a week.
    const monday = Math.floor((today - 4 * DAY) / WEEK) * WEEK + 4 * DAY;
    for (let i = 1, start = monday - WEEK; i <= CATCH_UP.weekly; i++, start -= WEEK) {
      if (start + WEEK <= s.since) break;
      out.push(periodAt('weekly', start));
    }
  }
  return out;
}

/**
 * Schedules (one `app_meta` row per user: no table of its own) and the report files under
 * `<dataDir>/reports/<userId>/`, owner-only. A file is written to a temporary name and renamed,
 * so a crash leaves either the whole report or none, and a report that exists is never
 * written again.
 */
export class ReportStore {
  constructor(
    private readonly store: DatabaseHandle,
    private readonly dataDir: string,
  ) {}

  schedule(userId: string): ReportSchedule {
    const row = this.store.db
      .select()
      .from(appMeta)
      .where(eq(appMeta.key, META_PREFIX + userId))
      .get();
    return row
      ? (JSON.parse(row.value) as ReportSchedule)
      : { daily: false, weekly: false, since: 0 };
  }

  setSchedule(userId: string, next: { daily: boolean; weekly: boolean }, now: number) {
    const before = this.schedule(userId);
    // Turning a cadence on owes nothing from before; keeping it on keeps what is owed.
    const wasOff = (!before.daily && next.daily) || (!before.weekly && next.weekly);
    const value: ReportSchedule = { ...next, since: wasOff ? now : before.since };
    this.store.write('analytics.reports.schedule', () =>
      this.store.db
        .insert(appMeta)
        .values({ key: META_PREFIX + userId, value: JSON.stringify(value) })
        .onConflictDoUpdate({ target: appMeta.key, set: { value: JSON.stringify(value) } })
        .run(),
    );
    return value;
  }

  /** Every user with a cadence on. */
  scheduled(): Array<{ userId: string; schedule: ReportSchedule }> {
    return this.store.db
      .select()
      .from(appMeta)
      .where(like(appMeta.key, `${META_PREFIX}%`))
      .all()
      .map((r) => ({
        userId: r.key.slice(META_PREFIX.length),
        schedule: JSON.parse(r.value) as ReportSchedule,
      }))
      .filter((r) => r.schedule.daily || r.schedule.weekly);
  }

  private dir(userId: string): string {
    if (!SAFE_ID.test(userId) || userId.includes('..')) {
      throw new Error(`unsafe user id for a path: ${userId}`);
    }
    return path.join(this.dataDir, 'reports', userId);
  }

  has(userId: string, file: string): boolean {
    return fs.existsSync(path.join(this.dir(userId), file));
  }

  /** Writes `file` whole (temporary name, then rename), owner-only. */
  write(userId: string, file: string, body: string): void {
    const dir = this.dir(userId);
    ensurePrivateDir(path.join(this.dataDir, 'reports'));
    ensurePrivateDir(dir);
    const tmp = path.join(dir, `.${file}.tmp`);
    fs.writeFileSync(tmp, body, { mode: PRIVATE_FILE_MODE });
    fs.renameSync(tmp, path.join(dir, file));
  }

  list(userId: string) {
    const dir = this.dir(userId);
    if (!fs.existsSync(dir)) return [];
    const items = [];
    for (const name of fs.readdirSync(dir)) {
      const m = NAME_RE.exec(name);
      if (!m) continue;
      const cadence = m[1] as Cadence;
      const format = m[3] as ReportFormat;
      const start = startOfName(cadence, m[2]!);
      if (start === null || !REPORT_FORMATS.includes(format)) continue;
      const p = periodAt(cadence, start);
      const st = fs.statSync(path.join(dir, name));
      items.push({
        name,
        period: cadence,
        format,
        from: p.from,
        to: p.to,
        bytes: st.size,
        createdAt: Math.floor(st.mtimeMs),
      });
    }
    return items.sort((a, b) => b.to - a.to || (a.name < b.name ? -1 : 1));
  }

  read(userId: string, name: string) {
    const m = NAME_RE.exec(name);
    const file = path.join(this.dir(userId), name);
    if (!m || !fs.existsSync(file)) {
      throw new AppError('not_found', `No report ${name}`, { name }, 404);
    }
    return {
      filename: name,
      contentType: m[3] === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
      body: fs.readFileSync(file, 'utf8'),
    };
  }
}

/** The start of the period a file name names, or null for a name no period has. */
function startOfName(cadence: Cadence, label: string): number | null {
  if (cadence === 'daily') {
    const [y, mo, d] = label.split('-').map(Number) as [number, number, number];
    const t = Date.UTC(y, mo - 1, d);
    return periodAt('daily', t).name === `daily-${label}` ? t : null;
  }
  const [y, w] = label.split('-W').map(Number) as [number, number];
  // The Monday of ISO week 1 is the one in the week of January 4th.
  const jan4 = Date.UTC(y, 0, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
  const t = monday + (w - 1) * WEEK;
  return periodAt('weekly', t).name === `weekly-${label}` ? t : null;
}
