import { defineFeature } from '../feature';
import { bindAnalyticsOperations } from './operations';
import { PnlLive } from './live';
import type { AnalyticsDeps } from './ports';
import { duePeriods, ReportStore } from './reports';
import { AnalyticsService } from './service';
import { buildStatement, renderStatement } from './statement';

/**
 * Scheduled statements are written a minute past midnight UTC: the day (and on Mondays the
 * week) that just closed, and any a stopped backend missed (bounded by `CATCH_UP`).
 */
export const REPORTS_SCHEDULE = '1 0 * * *';

/**
 * P&L analytics and reports over the user's accounts: the dashboard's figures, trade
 * statistics, equity against a benchmark, P&L statements (on demand and scheduled, kept as
 * files in the data directory) and the live `pnl` stream.
 */
export const analyticsFeature = defineFeature({
  name: 'analytics',
  setup(ctx, deps: AnalyticsDeps) {
    const now = ctx.config.now;
    const service = new AnalyticsService(deps, now);
    const reports = new ReportStore(ctx.store, ctx.config.dataDir);
    const live = new PnlLive({ hub: ctx.hub, deps, service, log: ctx.log });
    service.onHistory = (userId, h) => live.learn(userId, h);
    ctx.registry.registerAll(bindAnalyticsOperations(service, reports, now));

    ctx.scheduler.register({
      name: 'reports.scheduled',
      description: 'Writes the daily and weekly P&L statements users asked for',
      schedule: REPORTS_SCHEDULE,
      run(job) {
        return writeDueReports(service, reports, now(), job.signal);
      },
    });
    return {
      provides: { analytics: service },
      start: () => live.start(),
      stop: () => live.stop(),
    };
  },
});

/**
 * Writes every statement a schedule owes that is not on disk yet (CSV and JSON), so a run
 * that is repeated, or resumed after a crash, writes nothing twice.
 */
export function writeDueReports(
  service: AnalyticsService,
  reports: ReportStore,
  at: number,
  signal?: AbortSignal,
): { written: number } {
  let written = 0;
  for (const { userId, schedule } of reports.scheduled()) {
    const owed = duePeriods(schedule, at).flatMap((p) => {
      const missing = (['json', 'csv'] as const).filter(
        (f) => !reports.has(userId, `${p.name}.${f}`),
      );
      return missing.length > 0 ? [{ p, missing }] : [];
    });
    if (owed.length === 0) continue;
    // One read of the user's fills serves every period (round trips never look ahead).
    const history = service.history(userId, Math.max(...owed.map((o) => o.p.to)));
    for (const { p, missing } of owed) {
      if (signal?.aborted) return { written };
      const statement = buildStatement(history, p.from, p.to, at);
      for (const format of missing) {
        const r = renderStatement(statement, format, p.name);
        reports.write(userId, r.filename, r.body);
        written++;
      }
    }
  }
  return { written };
}
