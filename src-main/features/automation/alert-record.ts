import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import { compareDecimal, type AlertIntent } from '../../domain/automation';
import type { NotificationService } from '../notifications/service';
import type { AlertOutcome, IncomingAlert } from './delivery';
import type { AutomationAccount, VenueOrderResult } from './ports';
import type { AutomationStore, LogRow } from './store';

/** A log row while its delivery runs: every field but the latency, filled in as it goes. */
export type Draft = Omit<LogRow, 'latencyUs'>;

/** A log row with nothing known yet but its route and when it came: a refusal until it is not. */
export function blankDraft(route: string, tsReceived: number): Draft {
  return {
    userId: null,
    accountId: null,
    route,
    status: 'rejected',
    httpStatus: 400,
    format: null,
    alertId: null,
    symbol: null,
    remoteIp: null,
    contentType: null,
    rawBody: '',
    intent: null,
    decisions: '[]',
    orders: '[]',
    errorCode: null,
    errorMessage: null,
    duplicateOf: null,
    ordersPlaced: 0,
    tradesExecuted: 0,
    tsReceived,
    correlationId: null,
  };
}

export interface RecorderDeps {
  store: DatabaseHandle;
  repo: AutomationStore;
  notifications: NotificationService;
}

/**
 * Where a delivery's outcome is written down: its one log row (with the claim's owner, the
 * realised results and the day's counts, in one transaction), the refusal's answer, and the
 * owner's notifications. The pipeline decides; this records.
 */
export class AlertRecorder {
  constructor(private readonly d: RecorderDeps) {}

  /** Tells the owner what an accepted alert filled (inside the log row's transaction). */
  notifyFills(
    account: AutomationAccount,
    intent: AlertIntent,
    market: string,
    orders: VenueOrderResult[],
  ) {
    const filled = orders.filter((o) => o.filledQty && compareDecimal(o.filledQty, '0') > 0);
    if (filled.length === 0) return;
    this.d.notifications.notify({
      userId: account.userId,
      level: 'info',
      kind: 'automation.fill',
      title: `Alert filled: ${intent.side ?? intent.action} ${market}`,
      body: filled
        .map(
          (o) =>
            `${o.side} ${o.filledQty} ${o.symbol}${o.avgPrice ? ` @ ${o.avgPrice}` : ''} (${account.name})`,
        )
        .join('\n'),
    });
  }

  /** Logs a refusal and shapes its answer; `notify` tells the owner about unreadable alerts. */
  refuse(a: IncomingAlert, draft: Draft, e: AppError, notify = false, key?: string): AlertOutcome {
    if (draft.status !== 'failed') draft.status = 'rejected';
    draft.httpStatus = e.status;
    draft.errorCode = e.code;
    draft.errorMessage = e.message;
    const logId = this.write(a, draft, key);
    if (notify && draft.userId) {
      this.d.notifications.notify({
        userId: draft.userId,
        level: 'warning',
        kind: 'automation.rejected',
        title: 'Alert refused',
        body: e.message,
      });
    }
    const details = { logId, ...(typeof e.details === 'object' && e.details ? e.details : {}) };
    return { httpStatus: e.status, error: new AppError(e.code, e.message, details, e.status) };
  }

  /**
   * One transaction: the log row, the claim's owner, realised results and trade counts.
   * Deferred: `handle` waits for the disk before the answer leaves.
   */
  write(
    a: IncomingAlert,
    draft: Draft,
    key?: string,
    orders: VenueOrderResult[] = [],
    alsoInTransaction?: () => void,
  ): number {
    const latencyUs = Number((process.hrtime.bigint() - a.t0) / 1000n);
    const realised: string[] = [];
    const logId = this.d.store.writeDeferred('automation.log', () => {
      const id = this.d.repo.insertLog({ ...draft, latencyUs });
      alsoInTransaction?.();
      if (key) this.d.repo.attachClaim(key, id);
      if (draft.status === 'accepted' && draft.userId && draft.accountId) {
        for (const o of orders) {
          if (o.realisedPnl && compareDecimal(o.realisedPnl, '0') !== 0) {
            realised.push(o.realisedPnl);
            this.d.repo.addResult(
              draft.userId,
              draft.accountId,
              o.symbol,
              o.realisedPnl,
              draft.tsReceived,
            );
          }
        }
        const day = new Date(draft.tsReceived).toISOString().slice(0, 10);
        this.d.repo.bumpCounts(draft.userId, day, draft.tradesExecuted, draft.ordersPlaced);
      }
      return id;
    });
    // Committed: the risk rules' session totals count it (never a rolled-back row).
    if (draft.status === 'accepted' && draft.userId && draft.accountId) {
      this.d.repo.counted({
        accountId: draft.accountId,
        tsReceived: draft.tsReceived,
        orders: draft.ordersPlaced,
        trades: draft.tradesExecuted,
        realised,
      });
    }
    return logId;
  }
}
