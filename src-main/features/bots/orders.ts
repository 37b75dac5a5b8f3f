import { AppError } from '../../../src-shared/contract';
import { addDecimal, compareDecimal, divDecimal, mulDecimal, subDecimal } from '../../domain/money';
import { newCorrelationId } from '../../observability/context';
import type { AlertOutcome, AlertDelivery } from '../automation/delivery';
import type { AutomationAccount, VenueOrderResult } from '../automation/ports';
import type { AlertReading } from '../automation/read-alert';

/** What became of one order a bot sent. */
export interface SendResult {
  outcome: 'accepted' | 'rejected' | 'failed' | 'unknown';
  logId: number | null;
  errorCode: string | null;
  error: string | null;
  /** Filled quantity (0 when nothing filled) and its average price. */
  filledQty: string;
  avgPrice: string | null;
  /** Accepted, not reported filled yet (see `fillsOf`). */
  unconfirmed: string;
}

/** The automation pieces a bot's orders go through (the same pipeline as webhook alerts). */
export interface BotAutomation {
  pipeline: {
    read(rawBody: string): AlertReading;
    handle(a: AlertDelivery): Promise<AlertOutcome>;
  };
  getLog(
    userId: string,
    id: number,
  ): { status: string; errorCode: string | null; errorMessage: string | null; orders: unknown };
}

/** The alert id of a bot's order: the pipeline's dedupe key, so it is never executed twice. */
export const botAlertId = (botId: number, at: number, kind: 'bar' | 'stop' = 'bar') =>
  kind === 'bar' ? `bot:${botId}:${at}` : `bot:${botId}:stop:${at}`;

/** The unify.v1 body of a bot's market order, tagged with the bot in its id and comment. */
export function alertBody(o: {
  alertId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: string;
  comment: string;
}): string {
  return JSON.stringify({
    version: 'unify.v1',
    alertId: o.alertId,
    intent: {
      action: 'entry',
      side: o.side,
      type: 'market',
      symbol: o.symbol,
      qty: o.qty,
      comment: o.comment.slice(0, 200),
    },
  });
}

/** Order statuses after which nothing more fills. */
const FINAL = new Set(['filled', 'cancelled', 'canceled', 'rejected', 'expired', 'closed']);

/**
 * Total filled quantity and its quantity-weighted average price, and what was accepted but not
 * yet reported filled (`unconfirmed`: a broker that fills after it answers, or an order queued
 * through an outage): the bot counts that as held, so it never sends it a second time.
 */
export function fillsOf(orders: readonly VenueOrderResult[]): {
  qty: string;
  avg: string | null;
  unconfirmed: string;
} {
  let qty = '0';
  let notional = '0';
  let unconfirmed = '0';
  for (const o of orders) {
    const filled = o.filledQty && compareDecimal(o.filledQty, '0') > 0 ? o.filledQty : '0';
    if (!FINAL.has(o.status) && o.qty && compareDecimal(o.qty, filled) > 0) {
      unconfirmed = addDecimal(unconfirmed, subDecimal(o.qty, filled));
    }
    if (filled === '0' || !o.avgPrice) continue;
    qty = addDecimal(qty, filled);
    notional = addDecimal(notional, mulDecimal(filled, o.avgPrice));
  }
  if (compareDecimal(qty, '0') === 0) return { qty: '0', avg: null, unconfirmed };
  return { qty, avg: divDecimal(notional, qty, 10, 'half_even')!, unconfirmed };
}

/**
 * Sends a bot's order through the automation pipeline (route `bot`: risk rules and the
 * emergency stop apply, the log row carries the alert id) and reads what became of it. A
 * duplicate (the same alert id was sent before a restart) answers the first delivery's outcome,
 * read from its log row; without one (a crash inside the pipeline) the outcome is `unknown`.
 */
export async function sendOrder(
  automation: BotAutomation,
  account: AutomationAccount,
  body: string,
): Promise<SendResult> {
  const out = await automation.pipeline.handle({
    route: 'bot',
    rawBody: body,
    reading: automation.pipeline.read(body),
    account,
    contentType: 'application/json',
    correlationId: newCorrelationId(),
    t0: process.hrtime.bigint(),
  });
  const a = out.answer;
  if (a && a.status !== 'duplicate') {
    const f = fillsOf(a.orders ?? []);
    return {
      outcome: 'accepted',
      logId: a.logId,
      errorCode: null,
      error: null,
      filledQty: f.qty,
      avgPrice: f.avg,
      unconfirmed: f.unconfirmed,
    };
  }
  if (a) return firstOutcome(automation, account.userId, a.duplicateOf ?? null);
  const e = out.error ?? new AppError('internal', 'no answer');
  const details = (e.details ?? {}) as { logId?: number };
  return {
    outcome: e.status >= 500 ? 'failed' : 'rejected',
    logId: details.logId ?? null,
    errorCode: e.code,
    error: e.message,
    filledQty: '0',
    avgPrice: null,
    unconfirmed: '0',
  };
}

function firstOutcome(automation: BotAutomation, userId: string, logId: number | null): SendResult {
  const none = { filledQty: '0', avgPrice: null, unconfirmed: '0' };
  if (logId === null) {
    return {
      outcome: 'unknown',
      logId: null,
      errorCode: 'outcome_unknown',
      error: 'this order was sent before a restart and left no log row: check the account',
      ...none,
    };
  }
  const log = automation.getLog(userId, logId);
  if (log.status === 'accepted') {
    const f = fillsOf(log.orders as VenueOrderResult[]);
    return {
      outcome: 'accepted',
      logId,
      errorCode: null,
      error: null,
      filledQty: f.qty,
      avgPrice: f.avg,
      unconfirmed: f.unconfirmed,
    };
  }
  return {
    outcome: log.status === 'failed' ? 'failed' : 'rejected',
    logId,
    errorCode: log.errorCode,
    error: log.errorMessage,
    ...none,
  };
}
