import {
  analyticsEquity,
  analyticsSummary,
  analyticsTotalEquity,
  analyticsTrades,
  reportsGet,
  reportsList,
  reportsPnl,
  reportsScheduleGet,
  reportsScheduleSet,
} from '../../../src-shared/contract/analytics';
import type { OperationContext } from '../../operations/context';
import { callerUserId } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import type { ReportStore } from './reports';
import type { AnalyticsService } from './service';
import { buildStatement, renderStatement } from './statement';

function me(op: OperationContext): string {
  return callerUserId(op.principal, 'trading accounts');
}

const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);

/** The analytics and report operations, each over the caller's own accounts only. */
export function bindAnalyticsOperations(
  svc: AnalyticsService,
  reports: ReportStore,
  now: () => number,
): BoundOperation[] {
  const schedule = (userId: string) => {
    const { daily, weekly } = reports.schedule(userId);
    return { daily, weekly };
  };
  return [
    bind(analyticsSummary, (input, op) => svc.summary(me(op), input)),
    bind(analyticsTrades, (input, op) => svc.trades(me(op), input)),
    bind(analyticsEquity, (input, op) => svc.equity(me(op), input)),
    bind(analyticsTotalEquity, (input, op) => svc.totalEquity(me(op), input)),
    bind(reportsPnl, (input, op) => {
      const { from, to } = svc.period(input);
      const statement = buildStatement(svc.history(me(op), to), from, to, now());
      return renderStatement(statement, input.format, `pnl-${day(from)}-${day(to)}`);
    }),
    bind(reportsScheduleGet, (_input, op) => schedule(me(op))),
    bind(reportsScheduleSet, (input, op) => {
      const { daily, weekly } = reports.setSchedule(me(op), input, now());
      return { daily, weekly };
    }),
    bind(reportsList, (_input, op) => ({ items: reports.list(me(op)) })),
    bind(reportsGet, (input, op) => reports.read(me(op), input.name)),
  ];
}
