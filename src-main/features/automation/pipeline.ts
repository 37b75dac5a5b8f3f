import { createHash } from 'node:crypto';
import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import {
  compareDecimal,
  resolveSymbol,
  sessionStart,
  type AlertIntent,
  type RiskDecision,
} from '../../domain/automation';
import type { Logger } from '../../observability/logger';
import type { NotificationService } from '../notifications/service';
import { alertTarget, intentUnits } from './resolve';
import type { AccountsPort, AutomationAccount, OwnerStanding } from './ports';
import { clientAddress, isTradingViewAddress } from '../../domain/automation/source-address';
import type { AutomationStore } from './store';
import { storedBody, type WebhookAdmission } from './admission';
import { readAlert, type AlertReading } from './read-alert';
import { checkAlertRisk } from './risk-check';
import { AlertRecorder, blankDraft, type Draft } from './alert-record';
import type { AlertDelivery, AlertOutcome, IncomingAlert } from './delivery';

/** A banned (or vanished) owner's tokens stop, like their sessions and API keys. */
function ownerRefusal(account: AutomationAccount, standing: 'banned' | 'unknown'): AppError {
  return new AppError(
    'owner_banned',
    standing === 'banned'
      ? `The owner of account ${account.name} is banned: its webhook token no longer trades`
      : `Account ${account.name} has no owner: its webhook token no longer trades`,
    undefined,
    403,
  );
}

/** How long an alert id stays claimed: a re-delivery the next day is still the same alert. */
export const ALERT_ID_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface PipelineDeps {
  store: DatabaseHandle;
  repo: AutomationStore;
  accounts: () => AccountsPort;
  ownerStanding: OwnerStanding;
  notifications: NotificationService;
  log: Logger;
  now: () => number;
  admission: WebhookAdmission;
}

/**
 * The webhook pipeline: authenticate by token, check the source, parse, claim the dedupe key
 * (atomically, before anything runs), check risk, execute on the account's venue, log and
 * notify. Every path of a delivery to a known account — accepted, rejected, duplicate,
 * failed — ends in exactly one log row; a delivery no account owns is only counted
 * (`WebhookRefusals`), and past the rate limit nothing is written at all.
 */
export class AlertPipeline {
  /** Executions in flight per user: an emergency stop waits for them before closing out. */
  private readonly inflight = new Map<string, Set<Promise<unknown>>>();

  private readonly record: AlertRecorder;

  constructor(private readonly d: PipelineDeps) {
    this.record = new AlertRecorder(d);
  }

  private newDraft(a: IncomingAlert, now: number): Draft {
    return {
      ...blankDraft(a.route, now),
      userId: a.account?.userId ?? null,
      accountId: a.account?.id ?? null,
      remoteIp: a.peerIp ?? null,
      contentType: a.contentType ?? null,
      correlationId: a.correlationId ?? null,
    };
  }

  /** Answers a request refused before it could be read (e.g. a wrong content type). */
  async reject(a: IncomingAlert, e: AppError): Promise<AlertOutcome> {
    const account = this.ownerOf(a);
    return this.limit(a, account) ?? this.refuseEarly(a, e, account);
  }

  private ownerOf(a: IncomingAlert): AutomationAccount | null {
    try {
      return a.account ?? (a.token ? this.d.accounts().byToken(a.token) : null);
    } catch {
      return null; // accounts unavailable: nobody to attribute the refusal to
    }
  }

  /** Logs the refusal for the account's owner, or only counts it when nobody owns it. */
  private refuseEarly(
    a: IncomingAlert,
    e: AppError,
    account: AutomationAccount | null,
  ): AlertOutcome {
    if (!account) return this.unattributed(a, e, a.token);
    const draft = this.newDraft(a, this.d.now());
    draft.rawBody = storedBody(a.rawBody, a.token ? [a.token] : []);
    draft.userId = account.userId;
    draft.accountId = account.id;
    return this.record.refuse(a, draft, e);
  }

  /** The rate limit, before anything is stored (see `WebhookAdmission.limit`). */
  private limit(a: IncomingAlert, account: AutomationAccount | null): AlertOutcome | null {
    const refused = this.d.admission.limit(a, account?.id ?? null);
    if (!refused) return null;
    if (refused.log && account) return this.refuseEarly(a, refused.error, account);
    return { httpStatus: 429, error: refused.error };
  }

  /** A refusal nobody owns: counted, not logged (see `WebhookAdmission.countUnowned`). */
  private unattributed(a: IncomingAlert, e: AppError, tried?: string): AlertOutcome {
    this.d.admission.countUnowned(a, e, tried);
    return { httpStatus: e.status, error: e };
  }

  /**
   * Reads a delivery's body into one schema-validated intent (the door's parsing step). It is
   * here, on the feature, so the transport only translates bytes and never imports feature code.
   */
  read(rawBody: string): AlertReading {
    return readAlert(rawBody);
  }

  /** Runs one delivery through the pipeline; never throws (every outcome is logged). */
  async handle(a: AlertDelivery): Promise<AlertOutcome> {
    let outcome: AlertOutcome;
    try {
      outcome = await this.run(a);
    } catch (error) {
      if (!(error instanceof AppError)) this.d.log.error({ err: error }, 'webhook failed');
      const e =
        error instanceof AppError
          ? error
          : new AppError('internal', 'The alert could not be processed');
      outcome = this.refuseEarly(a, e, this.ownerOf(a));
    }
    // The log row (and the claim) are deferred commits: answered once they are on disk.
    try {
      await this.d.store.durable();
    } catch (error) {
      this.d.log.error({ err: error }, 'webhook outcome not synced to disk');
      return {
        httpStatus: 503,
        error: new AppError(
          'unavailable',
          'The alert was processed but its record could not be confirmed on disk; check the automation log before sending it again',
          undefined,
          503,
        ),
      };
    }
    return outcome;
  }

  /**
   * Whose delivery this is: the token from the path or bearer, else the secret the body
   * carried. Past the rate limit nothing is written; a delivery no account owns is only
   * counted; one over the byte cap is logged for its owner and goes no further.
   */
  private attribute(
    a: AlertDelivery,
    now: number,
  ): { outcome: AlertOutcome } | { account: AutomationAccount; draft: Draft } {
    const { reading } = a;
    const bodySecret = reading.status === 'too_large' ? undefined : reading.secret;
    const tried = a.token ?? bodySecret;
    const account = a.account ?? (tried ? this.d.accounts().byToken(tried) : null);
    const limited = this.limit(a, account);
    if (limited) return { outcome: limited };
    if (!account) {
      const e =
        reading.status === 'too_large'
          ? reading.error
          : new AppError(
              'webhook_token_invalid',
              tried
                ? 'Unknown webhook token (regenerated or deleted account?)'
                : 'No webhook token: put it in the URL (/hooks/tv/<token>) or the body ("token")',
              undefined,
              401,
            );
      return { outcome: this.unattributed(a, e, tried) };
    }
    const draft = this.newDraft(a, now);
    draft.rawBody = storedBody(
      a.rawBody,
      [a.token, bodySecret].filter((x) => x !== undefined),
    );
    draft.userId = account.userId;
    draft.accountId = account.id;
    if (reading.status === 'too_large')
      return { outcome: this.record.refuse(a, draft, reading.error) };
    return { account, draft };
  }

  /** The account the alert acts on (see `alertTarget`); a refusal is logged like any. */
  private target(
    a: AlertDelivery,
    account: AutomationAccount,
    draft: Draft,
  ): { outcome: AlertOutcome } | { account: AutomationAccount } {
    const t = alertTarget(a, account, this.d.accounts());
    if (t instanceof AppError) return { outcome: this.record.refuse(a, draft, t, true) };
    draft.accountId = t.id;
    return { account: t };
  }

  /** The owner's standing, the source address and the account's switch, in that order. */
  private gate(
    a: AlertDelivery,
    draft: Draft,
    account: AutomationAccount,
    receiver: ReturnType<AutomationStore['receiver']>,
  ): AlertOutcome | null {
    const standing = this.d.ownerStanding(account.userId);
    if (standing !== 'active') return this.record.refuse(a, draft, ownerRefusal(account, standing));
    const ip = clientAddress(a.peerIp, a.forwardedFor, receiver.trustedProxy);
    draft.remoteIp = ip || null;
    if (
      a.route !== 'test' &&
      a.route !== 'bot' &&
      receiver.tvAllowlist &&
      !isTradingViewAddress(ip)
    ) {
      return this.record.refuse(
        a,
        draft,
        new AppError(
          'source_not_allowed',
          `${ip || 'unknown address'} is not a TradingView webhook address`,
          undefined,
          403,
        ),
      );
    }
    if (!account.enabled) {
      return this.record.refuse(
        a,
        draft,
        new AppError('account_disabled', `Account ${account.name} is disabled`, undefined, 409),
        true,
      );
    }
    return null;
  }

  private async run(a: AlertDelivery): Promise<AlertOutcome> {
    const now = this.d.now();
    const accounts = this.d.accounts();
    const owned = this.attribute(a, now);
    if ('outcome' in owned) return owned.outcome;
    const { draft } = owned;
    const targeted = this.target(a, owned.account, draft);
    if ('outcome' in targeted) return targeted.outcome;
    const { account } = targeted;
    const receiver = this.d.repo.receiver(account.userId);
    const gated = this.gate(a, draft, account, receiver);
    if (gated) return gated;
    const { reading } = a;
    if (reading.status !== 'read') return this.record.refuse(a, draft, reading.error, true);
    let intent = reading.intent;
    draft.format = intent.format;
    draft.alertId = intent.alertId ?? null;
    draft.intent = JSON.stringify(intent);
    const markets = await accounts.markets(account.id);
    const aliased = markets.find((m) => m.aliases?.includes(intent.symbol));
    const market =
      aliased?.symbol ??
      resolveSymbol(
        intent.symbol,
        markets.map((m) => m.symbol),
      );
    if (!market) {
      return this.record.refuse(
        a,
        draft,
        new AppError(
          'unknown_symbol',
          `Symbol "${intent.symbol}" matches no market (${markets.map((m) => m.symbol).join(', ')})`,
        ),
        true,
      );
    }
    draft.symbol = market;
    const units = intentUnits(
      intent,
      markets.find((m) => m.symbol === market)!,
      account,
    );
    if (units instanceof AppError) return this.record.refuse(a, draft, units, true);
    intent = units;
    draft.intent = JSON.stringify(intent);

    // The claim is one SQL statement run before the first await: of concurrent deliveries of
    // the same alert exactly one gets past this line. Its commit is deferred: every venue
    // syncs the disk before an order leaves (and `handle` syncs before any answer), and a
    // sync covers every earlier commit, so no order leaves with its claim not on disk.
    const key = intent.alertId
      ? `${account.id}:id:${intent.alertId}`
      : `${account.id}:body:${createHash('sha256').update(a.rawBody.trim()).digest('base64url')}`;
    const windowMs = intent.alertId ? ALERT_ID_WINDOW_MS : receiver.dedupeWindowSec * 1000;
    if (
      !this.d.store.writeDeferred('automation.claim', () => this.d.repo.claim(key, now, windowMs))
    ) {
      const first = this.d.repo.claimOwner(key);
      draft.status = 'duplicate';
      draft.httpStatus = 200;
      draft.duplicateOf = first;
      const logId = this.record.write(a, draft);
      return {
        httpStatus: 200,
        answer: {
          success: true,
          orderId: null,
          status: 'duplicate',
          logId,
          message: intent.alertId
            ? `Alert id "${intent.alertId}" was already received: not executed again`
            : `The same alert arrived within ${receiver.dedupeWindowSec}s: not executed again`,
          ...(first !== null ? { duplicateOf: first } : {}),
        },
      };
    }
    const run = this.execute(
      a,
      draft,
      account,
      intent,
      market,
      markets.find((m) => m.symbol === market)!.assets,
      key,
    );
    this.track(account.userId, run);
    return run;
  }

  private async execute(
    a: IncomingAlert,
    draft: Draft,
    account: AutomationAccount,
    intent: AlertIntent,
    market: string,
    assets: string[],
    key: string,
  ): Promise<AlertOutcome> {
    const repo = this.d.repo;
    const refuse = (e: AppError): AlertOutcome => this.record.refuse(a, draft, e, false, key);
    const { settings } = repo.riskSettings(account.userId, account.id);
    const now = draft.tsReceived;
    let decisions: RiskDecision[] = [];
    try {
      const venue = this.d.accounts().venue(account.id);
      const since = sessionStart(now, settings.timeZone, settings.sessionReset);
      const qty = intent.qty ?? (intent.action === 'entry' ? settings.defaultQty : '0');
      if (qty === null || qty === undefined) {
        return refuse(
          new AppError(
            'quantity_missing',
            'The alert has no quantity and the account has no default quantity (risk settings)',
          ),
        );
      }
      const verdict = await checkAlertRisk(repo, venue, settings, {
        account,
        intent,
        market,
        assets,
        qty,
        now,
        since,
      });
      decisions = verdict.decisions;
      draft.decisions = JSON.stringify(decisions);
      if (!verdict.allowed) {
        const r = verdict.rejection!;
        this.d.notifications.notify({
          userId: account.userId,
          level: 'warning',
          kind: r.rule === 'emergency_stop' ? 'automation.blocked' : 'automation.risk',
          title: `Alert refused: ${r.rule.replace(/_/g, ' ')}`,
          body: `${account.name} ${intent.side ?? intent.action} ${market}: ${r.message}`,
        });
        return refuse(new AppError('risk_rejected', r.message, { rule: r.rule, decisions }, 422));
      }
      // A stop may have begun while the venue answered: check again right before placing.
      if (repo.isStopped(account.userId, account.id)) {
        return refuse(
          new AppError(
            'risk_rejected',
            'emergency stop is active: re-arm automation to trade',
            { rule: 'emergency_stop' },
            422,
          ),
        );
      }
      const orders = await venue.execute({ ...intent, market, qty });
      draft.status = 'accepted';
      draft.httpStatus = 200;
      draft.orders = JSON.stringify(orders);
      // A take-profit / stop-loss exit is part of its entry's trade (on the paper broker and at
      // brokers it is an attribute of the order, not an order): the daily order count, and
      // the limit on it, count entries and exits of positions only.
      draft.ordersPlaced = orders.filter(
        (o) => o.role !== 'take_profit' && o.role !== 'stop_loss',
      ).length;
      draft.tradesExecuted = orders.filter(
        (o) => o.filledQty && compareDecimal(o.filledQty, '0') > 0,
      ).length;
      // The log row and the fill notification share one transaction (one fsync, not two).
      const logId = this.record.write(a, draft, key, orders, () =>
        this.record.notifyFills(account, intent, market, orders),
      );
      return {
        httpStatus: 200,
        answer: {
          success: true,
          orderId: orders[0]?.orderId ?? null,
          status: 'accepted',
          logId,
          message: orders.length
            ? `${orders.length} order(s) on ${account.name}`
            : `Nothing to do on ${account.name}`,
          intent,
          decisions,
          orders,
        },
      };
    } catch (error) {
      const e =
        error instanceof AppError
          ? error
          : new AppError('internal', 'The venue failed to execute the alert');
      if (!(error instanceof AppError))
        this.d.log.error({ err: error }, 'automation execute failed');
      draft.status = e.status >= 500 ? 'failed' : 'rejected';
      this.d.notifications.notify({
        userId: account.userId,
        level: 'error',
        kind: 'automation.rejected',
        title: `Alert not executed on ${account.name}`,
        body: `${intent.side ?? intent.action} ${market}: ${e.message}`,
      });
      return refuse(e);
    }
  }

  private track(userId: string, p: Promise<unknown>): void {
    let set = this.inflight.get(userId);
    if (!set) this.inflight.set(userId, (set = new Set()));
    set.add(p);
    const done = () => void set.delete(p);
    p.then(done, done);
  }

  /** Resolves once every execution in flight for the user has finished. */
  async settle(userId: string): Promise<void> {
    const set = this.inflight.get(userId);
    if (set && set.size > 0) await Promise.allSettled([...set]);
  }
}
