import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import type { NotificationService } from '../notifications/service';
import type { AlertPipeline } from './pipeline';
import type { AccountsPort, AutomationAccount } from './ports';
import type { AutomationStore } from './store';

export interface StopReport {
  accountId: string;
  cancelled: number;
  closed: number;
  error?: string;
}

export interface EmergencyDeps {
  store: DatabaseHandle;
  repo: AutomationStore;
  accounts: () => AccountsPort;
  pipeline: AlertPipeline;
  notifications: NotificationService;
  now: () => number;
}

/** The user's account, or a not-found error that does not reveal other users' accounts. */
export function ownAccount(
  accounts: AccountsPort,
  userId: string,
  accountId: string,
): AutomationAccount {
  const a = accounts.get(accountId);
  if (!a || a.userId !== userId) throw new AppError('not_found', `No account ${accountId}`);
  return a;
}

/**
 * Emergency stop: the block is written first (every alert checked after this point is
 * refused), then executions already past their risk check are awaited, then every open order
 * is cancelled and every position closed. Automation stays blocked until re-armed by hand.
 */
export async function emergencyStop(
  d: EmergencyDeps,
  userId: string,
  accountId: string | null,
  reason: string | null,
): Promise<StopReport[]> {
  const accounts = d.accounts();
  const targets = accountId
    ? [ownAccount(accounts, userId, accountId)]
    : accounts.listForUser(userId);
  d.store.write('automation.emergency_stop', () => d.repo.stop(userId, accountId, reason, d.now()));
  await d.pipeline.settle(userId);
  const reports: StopReport[] = [];
  for (const account of targets) {
    const report: StopReport = { accountId: account.id, cancelled: 0, closed: 0 };
    try {
      const venue = accounts.venue(account.id);
      report.cancelled = await venue.cancelAll();
      report.closed = await venue.closeAll();
    } catch (e) {
      report.error = e instanceof AppError ? e.message : 'the venue failed';
    }
    reports.push(report);
  }
  d.store.write('automation.emergency_stop', () =>
    d.repo.recordStopSummary(userId, accountId, { accounts: reports }),
  );
  const failed = reports.filter((r) => r.error);
  // Named as the user named them: an id means nothing in a notification.
  const names = new Map(targets.map((a) => [a.id, a.name]));
  d.notifications.notify({
    userId,
    level: failed.length ? 'error' : 'warning',
    kind: 'automation.emergency_stop',
    title: accountId ? `Emergency stop on ${targets[0]!.name}` : 'Emergency stop on every account',
    body:
      reports
        .map(
          (r) =>
            `${names.get(r.accountId) ?? r.accountId}: ${r.cancelled} order(s) cancelled, ${r.closed} position(s) closed${r.error ? ` — FAILED: ${r.error}` : ''}`,
        )
        .join('\n') + '\nAutomated orders are blocked until you re-arm.',
  });
  return reports;
}
