import { and, desc, eq, gt, gte, lt, lte, type SQL } from 'drizzle-orm';
import { AppError, type InputOf } from '../../../src-shared/contract';
import type { automationLogList } from '../../../src-shared/contract/automation';
import type { DatabaseHandle } from '../../db/database';
import { automationCalendarEvents, automationWebhookLog } from '../../db/schema';
import { parseCalendar, validateRiskSettings, type RiskSettings } from '../../domain/automation';
import type { Logger } from '../../observability/logger';
import type { NotificationService } from '../notifications/service';
import { emergencyStop, ownAccount } from './emergency';
import { WebhookAdmission } from './admission';
import type { AlertOutcome } from './delivery';
import { AlertPipeline } from './pipeline';
import { readAlert } from './read-alert';
import { WebhookRefusals } from './refusals';
import { WebhookRetention, type RetentionPolicy } from './retention';
import type { AccountsPort, OwnerStanding } from './ports';
import { AutomationStore, type ReceiverSettings } from './store';
import { WebhookLimiter, type WebhookRates } from './webhook-limiter';

export interface AutomationServiceOptions {
  store: DatabaseHandle;
  notifications: NotificationService;
  log: Logger;
  now: () => number;
  /** The accounts port; resolved lazily because the accounts feature may set up later. */
  accounts: () => AccountsPort;
  /** Webhook deliveries per minute (see `WebhookLimiter`); `false` turns the limit off. */
  rates: WebhookRates | false;
  retention: RetentionPolicy;
  /** Notifications kept at most per recipient by the retention job. */
  notificationsPerRecipient: number;
  /** Counts deliveries not logged or not served, by reason (a metric). */
  onRefused?: (reason: string) => void;
  /** Refuses webhook deliveries for accounts whose owner is banned or gone. */
  ownerStanding: OwnerStanding;
}

const DAY_MS = 86_400_000;

type LogRowDb = typeof automationWebhookLog.$inferSelect;

/** The exits placed with an alert's entry (role take_profit / stop_loss, not refused). */
function exitsPlaced(ordersJson: string): number {
  const orders = JSON.parse(ordersJson) as Array<{ role?: string; status?: string }>;
  return orders.filter(
    (o) => (o.role === 'take_profit' || o.role === 'stop_loss') && o.status !== 'rejected',
  ).length;
}

function summary(r: LogRowDb) {
  return {
    id: r.id,
    accountId: r.accountId,
    route: r.route,
    status: r.status,
    httpStatus: r.httpStatus,
    format: r.format,
    symbol: r.symbol,
    alertId: r.alertId,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    ordersPlaced: r.ordersPlaced,
    exitsPlaced: exitsPlaced(r.orders),
    latencyMs: r.latencyUs / 1000,
    tsReceived: r.tsReceived,
  };
}

/** TradingView automation: the webhook pipeline plus its settings, log, stop and calendar. */
export class AutomationService {
  readonly repo: AutomationStore;
  readonly pipeline: AlertPipeline;
  private readonly refusals: WebhookRefusals;
  private readonly retention: WebhookRetention;
  private rateLimited = 0;

  constructor(private readonly o: AutomationServiceOptions) {
    this.repo = new AutomationStore(o.store.sqlite);
    this.refusals = new WebhookRefusals(o.store.sqlite);
    this.retention = new WebhookRetention(o.store.sqlite);
    this.pipeline = new AlertPipeline({
      store: o.store,
      repo: this.repo,
      accounts: o.accounts,
      ownerStanding: o.ownerStanding,
      notifications: o.notifications,
      log: o.log,
      now: o.now,
      admission: new WebhookAdmission({
        store: o.store,
        limiter: new WebhookLimiter(o.rates, o.now),
        refusals: this.refusals,
        log: o.log,
        now: o.now,
        onRefused: (reason) => {
          if (reason.startsWith('rate_limited')) this.rateLimited++;
          o.onRefused?.(reason);
        },
      }),
    });
  }

  listAccounts(userId: string) {
    const items = this.o
      .accounts()
      .listForUser(userId)
      .map((a) => ({
        id: a.id,
        name: a.name,
        venue: a.venue,
        enabled: a.enabled,
        stopped: this.repo.isStopped(userId, a.id),
        riskSettingsStored: this.repo.riskSettings(userId, a.id).stored,
      }));
    return { items };
  }

  listLog(userId: string, input: InputOf<typeof automationLogList>) {
    const t = automationWebhookLog;
    const where: SQL[] = [eq(t.userId, userId)];
    if (input.accountId) where.push(eq(t.accountId, input.accountId));
    if (input.status) where.push(eq(t.status, input.status));
    if (input.format) where.push(eq(t.format, input.format));
    if (input.symbol) where.push(eq(t.symbol, input.symbol));
    if (input.since !== undefined) where.push(gte(t.tsReceived, input.since));
    if (input.until !== undefined) where.push(lte(t.tsReceived, input.until));
    if (input.cursor) where.push(lt(t.id, Number(input.cursor)));
    const limit = input.limit ?? 100;
    const rows = this.o.store.db
      .select()
      .from(t)
      .where(and(...where))
      .orderBy(desc(t.id))
      .limit(limit + 1)
      .all();
    const items = rows.slice(0, limit).map(summary);
    return rows.length > limit
      ? { items, nextCursor: String(items[items.length - 1]!.id) }
      : { items };
  }

  /**
   * The orders each accepted alert of a user placed, oldest first (analytics attributes
   * fills to their alert source). Only what the log still keeps (its retention).
   */
  orderSources(userId: string, until: number) {
    const t = automationWebhookLog;
    return this.o.store.db
      .select({
        accountId: t.accountId,
        route: t.route,
        alertId: t.alertId,
        orders: t.orders,
        tsReceived: t.tsReceived,
      })
      .from(t)
      .where(
        and(
          eq(t.userId, userId),
          eq(t.status, 'accepted'),
          gt(t.ordersPlaced, 0),
          lte(t.tsReceived, until),
        ),
      )
      .orderBy(t.id)
      .all()
      .map((r) => ({
        ...r,
        orderIds: (JSON.parse(r.orders) as Array<{ orderId?: unknown }>).flatMap((o) =>
          typeof o.orderId === 'string' ? [o.orderId] : [],
        ),
      }));
  }

  getLog(userId: string, id: number) {
    const r = this.o.store.db
      .select()
      .from(automationWebhookLog)
      .where(and(eq(automationWebhookLog.id, id), eq(automationWebhookLog.userId, userId)))
      .get();
    if (!r) throw new AppError('not_found', `No webhook log entry ${id}`);
    return {
      ...summary(r),
      remoteIp: r.remoteIp,
      contentType: r.contentType,
      rawBody: r.rawBody,
      intent: r.intent ? JSON.parse(r.intent) : null,
      decisions: JSON.parse(r.decisions),
      orders: JSON.parse(r.orders),
      duplicateOf: r.duplicateOf,
      correlationId: r.correlationId,
    };
  }

  private checkAccount(userId: string, accountId: string | undefined): string | null {
    if (!accountId) return null;
    return ownAccount(this.o.accounts(), userId, accountId).id;
  }

  getRisk(userId: string, accountId?: string) {
    const id = this.checkAccount(userId, accountId);
    return { accountId: id ?? '*', ...this.repo.riskSettings(userId, id) };
  }

  setRisk(userId: string, accountId: string | undefined, settings: RiskSettings) {
    const id = this.checkAccount(userId, accountId);
    const valid = validateRiskSettings(settings);
    if (!valid.ok) throw new AppError(valid.error.code, valid.error.message, valid.error.details);
    this.o.store.write('automation.risk', () =>
      this.repo.setRiskSettings(userId, id, valid.value, this.o.now()),
    );
    return { accountId: id ?? '*', settings: valid.value, stored: true };
  }

  setReceiver(userId: string, r: ReceiverSettings): ReceiverSettings {
    const proxy = r.trustedProxy?.trim() || null;
    if (proxy && !/^[0-9a-fA-F:.]+$/.test(proxy)) {
      throw new AppError('validation_failed', `trustedProxy "${proxy}" is not an IP address`);
    }
    const value = { ...r, trustedProxy: proxy };
    this.o.store.write('automation.receiver', () =>
      this.repo.setReceiver(userId, value, this.o.now()),
    );
    return value;
  }

  importCalendar(
    userId: string,
    content: string,
    timeZone: string,
    replace: boolean,
    source: string,
  ) {
    const events = parseCalendar(content, timeZone);
    if (!events.ok)
      throw new AppError(events.error.code, events.error.message, events.error.details);
    const total = this.o.store.write('automation.calendar', () =>
      this.repo.importEvents(userId, events.value, source, replace),
    );
    return { imported: events.value.length, total };
  }

  listCalendar(userId: string, from: number, to: number, limit: number) {
    const t = automationCalendarEvents;
    const items = this.o.store.db
      .select({ id: t.id, ts: t.ts, title: t.title, currency: t.currency })
      .from(t)
      .where(and(eq(t.userId, userId), gte(t.ts, from), lte(t.ts, to)))
      .orderBy(t.ts)
      .limit(limit)
      .all();
    return { items };
  }

  async emergencyStop(userId: string, accountId: string | undefined, reason: string | null) {
    const accounts = await emergencyStop(
      {
        store: this.o.store,
        repo: this.repo,
        accounts: this.o.accounts,
        pipeline: this.pipeline,
        notifications: this.o.notifications,
        now: this.o.now,
      },
      userId,
      accountId ?? null,
      reason,
    );
    const state = this.repo.stops(userId).find((s) => s.accountId === (accountId ?? '*'))!;
    return { state, accounts };
  }

  rearm(userId: string, accountId?: string) {
    const id = this.checkAccount(userId, accountId);
    const rearmed = this.o.store.write('automation.rearm', () =>
      this.repo.rearm(userId, id, this.o.now()),
    );
    if (rearmed > 0) {
      this.o.notifications.notify({
        userId,
        level: 'info',
        kind: 'automation.rearmed',
        title: 'Automation re-armed',
        body: id
          ? `Automated orders are allowed again on ${id}`
          : 'Automated orders are allowed again',
      });
    }
    return { rearmed };
  }

  status(userId: string) {
    const stops = this.repo.stops(userId);
    const day = new Date(this.o.now()).toISOString().slice(0, 10);
    return { stopped: stops.some((s) => s.active), stops, ...this.repo.counts(userId, day) };
  }

  async testAlert(userId: string, accountId: string, body: string, correlationId: string) {
    const account = ownAccount(this.o.accounts(), userId, accountId);
    const t0 = process.hrtime.bigint(); // before the body is read, as at the webhook door
    const outcome: AlertOutcome = await this.pipeline.handle({
      route: 'test',
      rawBody: body,
      reading: readAlert(body),
      account,
      contentType: 'text/plain',
      correlationId,
      t0,
    });
    if (outcome.answer) return outcome.answer;
    throw outcome.error!;
  }

  /** Refused deliveries nobody owns, per address and hour, for administrators. */
  listRefusals(since: number | undefined, limit: number) {
    const from = since ?? this.o.now() - DAY_MS;
    return {
      items: this.refusals.list(from, limit),
      totals: this.refusals.totals(from),
      rateLimitedSinceStart: this.rateLimited,
      retention: { days: this.o.retention.days, maxRows: this.o.retention.maxRows },
    };
  }

  /**
   * The retention job: old and over-ceiling webhook log rows, refusal counters and read
   * notifications go, in one transaction. The audit trail and the ledger are never pruned.
   */
  retain() {
    const now = this.o.now();
    const policy = this.o.retention;
    return this.o.store.write('automation.retention', () => ({
      ...this.retention.prune(now, policy),
      notifications: this.o.notifications.prune(
        now - policy.days * DAY_MS,
        this.o.notificationsPerRecipient,
      ),
    }));
  }

  /** Drops dedupe claims whose window has passed (a scheduled job). */
  purge(): number {
    return this.o.store.write('automation.purge', () => this.repo.purgeClaims(this.o.now()));
  }
}
