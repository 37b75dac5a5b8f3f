import crypto from 'node:crypto';
import { AppError } from '../../../src-shared/contract';
import { bracketPrice } from '../../domain/automation/brackets';
import { addDecimal, compareDecimal, decimalsOf } from '../../domain/money';
import type { AutomationVenue, ResolvedIntent, VenueOrderResult } from '../venue';
import { backoffDelay } from './backoff';
import { BrokerError, RETRYABLE } from './errors';
import type { BrokerOrderJournal } from './journal';
import type { BrokerOrder, BrokerOrderRequest, BrokerOrderType, BrokerPosition } from './port';
import type { BrokerSession } from './session';
import { brokerTrailsOf } from './trailing';

export interface BrokerVenueOptions {
  accountId: string;
  /** The account's currency: unrealised P&L Bourse computes from prices is in it. */
  currency: string;
  now: () => number;
  /** How long an order may wait for an unreachable broker (ms); 0 refuses at once. */
  outageQueueMs: () => number;
  /** Told when a queued or unresolved order ends (placed, expired, unknown). */
  onLateOutcome?: (text: string, order: BrokerOrder | null) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const TYPE: Record<string, BrokerOrderType> = {
  market: 'market',
  limit: 'limit',
  stop_market: 'stop',
  stop_limit: 'stop_limit',
};

/** Tries to find an order by client id before concluding anything (the broker may lag). */
const RESOLVE_ATTEMPTS = 3;

/** Bourse's client order ids: short (TradeLocker strategyId ≤ 32, Kraken free text ≤ 18). */
export const newClientOrderId = () => `b${crypto.randomBytes(8).toString('hex')}`;

/**
 * Automation on an external broker account, over the broker port. Every order is journaled
 * before it leaves with its client order id; a timeout is resolved by that id before
 * anything is retried; an unreachable broker either refuses the alert with the reason or,
 * when the user allowed it, keeps the order queued (retrying with jitter) until the
 * deadline, then reports what happened. Exits read the broker's positions first.
 */
export class BrokerVenue implements AutomationVenue {
  private readonly background = new Set<Promise<unknown>>();
  private stopped = false;
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly session: BrokerSession,
    private readonly journal: BrokerOrderJournal,
    private readonly o: BrokerVenueOptions,
  ) {}

  private get c() {
    return this.session.connector;
  }

  async exposure(market: string) {
    const pnl = this.session
      .valuedPositions(this.o.currency)
      .flatMap((x) => (x.unrealisedPnl ? [x.unrealisedPnl] : []));
    return {
      position: netPosition(this.session.positionsOn(market)),
      unrealised: addDecimal('0', ...pnl),
    };
  }

  async execute(i: ResolvedIntent): Promise<VenueOrderResult[]> {
    if (i.action === 'cancel') {
      await this.c.cancelAll(i.market);
      return [];
    }
    if (i.action === 'exit') return this.exit(i);
    const trail = brokerTrailsOf(i, this.c);
    const type = TYPE[i.type ?? 'market'];
    if (!type)
      throw new AppError('unsupported_order_type', `order type ${i.type} is not supported`);
    const inst = this.session.instrument(i.market);
    const scale = inst ? decimalsOf(inst.tickSize) : 8;
    const ref = i.price ?? i.stopPrice ?? null;
    const level = (kind: 'takeProfit' | 'stopLoss') => {
      const b = i[kind];
      if (!b) return undefined;
      if (b.price) return b.price;
      if (!ref) {
        throw new AppError(
          'invalid_bracket',
          `a ${kind} relative to the entry needs the order's price; on a market order at a broker give it as a price`,
        );
      }
      return bracketPrice(b, kind, i.side!, ref, scale) ?? undefined;
    };
    const sl = trail.stopLoss === undefined ? level('stopLoss') : undefined;
    const tp = level('takeProfit');
    const req: BrokerOrderRequest = {
      clientOrderId: newClientOrderId(),
      symbol: i.market,
      side: i.side!,
      type,
      qty: i.qty,
      ...(type === 'limit' || type === 'stop_limit' ? { price: i.price! } : {}),
      ...((type === 'stop' || type === 'stop_limit') && trail.entry === undefined
        ? { stopPrice: i.stopPrice! }
        : {}),
      ...(trail.entry?.percent !== undefined ? { trailPercent: trail.entry.percent } : {}),
      ...(trail.entry?.amount !== undefined ? { trailAmount: trail.entry.amount } : {}),
      ...(sl ? { stopLoss: sl } : {}),
      ...(trail.stopLoss?.percent !== undefined
        ? { stopLossTrailPercent: trail.stopLoss.percent }
        : {}),
      ...(trail.stopLoss?.amount !== undefined
        ? { stopLossTrailAmount: trail.stopLoss.amount }
        : {}),
      ...(tp ? { takeProfit: tp } : {}),
    };
    if ((req.type === 'limit' || req.type === 'stop_limit') && !req.price) {
      throw new AppError('validation_failed', `a ${i.type} alert needs a price`);
    }
    if ((req.type === 'stop' || req.type === 'stop_limit') && !req.stopPrice && !trail.entry) {
      throw new AppError('validation_failed', `a ${i.type} alert needs a stop price`);
    }
    const order = await this.place(req);
    return [result(order, i.type ?? 'market')];
  }

  /**
   * Places with the journal and the unknown-outcome rule. Answers the broker's order, or an
   * order with status `pending` and the client id as its id when it is queued for an
   * unreachable broker (the outcome is reported later through `onLateOutcome`).
   */
  async place(req: BrokerOrderRequest, alertLogId?: number | null): Promise<BrokerOrder> {
    const { accountId, now } = this.o;
    const begun = this.journal.begin(
      {
        accountId,
        clientOrderId: req.clientOrderId,
        symbol: req.symbol,
        side: req.side,
        type: req.type,
        qty: req.qty,
        price: req.price ?? req.stopPrice ?? null,
        alertLogId: alertLogId ?? null,
      },
      now(),
    );
    // Recorded before anything is sent: synced now, or by the connector's own sync before it
    // hands the order over (one fsync then covers both rows, not two in a row).
    if (this.c.syncsBeforeSending) begun.catch(() => undefined);
    else await begun;
    const deadline = now() + this.o.outageQueueMs();
    try {
      return await this.attempt(req);
    } catch (e) {
      if (!(e instanceof BrokerError) || !RETRYABLE.has(e.kind) || now() >= deadline) {
        this.settleFailure(req.clientOrderId, e);
        throw e;
      }
      // The user allowed waiting for the broker: answer now, keep trying until the deadline.
      this.journal.settle(
        accountId,
        req.clientOrderId,
        { status: 'queued', error: e.message },
        now(),
      );
      const run = this.retryUntil(req, deadline, e).finally(() => this.background.delete(run));
      this.background.add(run);
      return {
        orderId: req.clientOrderId,
        clientOrderId: req.clientOrderId,
        symbol: req.symbol,
        side: req.side,
        type: req.type,
        qty: req.qty,
        filledQty: '0',
        price: req.price ?? null,
        stopPrice: req.stopPrice ?? null,
        ...(req.trailPercent !== undefined ? { trailPercent: req.trailPercent } : {}),
        ...(req.trailAmount !== undefined ? { trailAmount: req.trailAmount } : {}),
        avgPrice: null,
        status: 'pending',
        reason: `queued: ${e.message}; retrying until ${new Date(deadline).toISOString()}`,
      };
    }
  }

  /** One placement; on an unknown outcome, asks the broker by client id before concluding. */
  private async attempt(req: BrokerOrderRequest): Promise<BrokerOrder> {
    try {
      const order = await this.c.place(req);
      this.journal.settle(this.o.accountId, req.clientOrderId, order, this.o.now());
      this.session.noteOrder(order);
      return order;
    } catch (e) {
      if (!(e instanceof BrokerError) || e.kind !== 'unknown_outcome') throw e;
      const found = await this.resolve(req.clientOrderId);
      if (found === undefined) throw e; // could not ask: still unknown
      if (found === null) {
        // The broker never had it: safe to treat as unavailable (retryable).
        throw new BrokerError(
          'unavailable',
          this.c.venue,
          `${e.message}; the broker has no such order`,
        );
      }
      this.journal.settle(this.o.accountId, req.clientOrderId, found, this.o.now());
      this.session.noteOrder(found);
      return found;
    }
  }

  /** The order with this client id; null when the broker has none; undefined if it cannot say. */
  async resolve(clientOrderId: string): Promise<BrokerOrder | null | undefined> {
    for (let attempt = 0; attempt < RESOLVE_ATTEMPTS; attempt++) {
      try {
        return await this.c.findOrder(clientOrderId);
      } catch {
        await this.sleep(
          backoffDelay(attempt, { baseMs: 200, maxMs: 2_000, random: this.o.random }),
        );
      }
    }
    return undefined;
  }

  private async retryUntil(req: BrokerOrderRequest, deadline: number, first: BrokerError) {
    let last: unknown = first;
    for (let attempt = 0; this.o.now() < deadline; attempt++) {
      if (this.stopped) return; // stays `queued`: resolved by client id at the next start
      const wait = backoffDelay(attempt, {
        baseMs: 500,
        maxMs: 30_000,
        random: this.o.random,
        atLeastMs: first.retryAfterMs ?? 0,
      });
      await this.sleep(Math.max(0, Math.min(wait, deadline - this.o.now())));
      if (this.stopped) return;
      try {
        const order = await this.attempt(req);
        this.o.onLateOutcome?.(`queued order ${req.clientOrderId} reached the broker`, order);
        return;
      } catch (e) {
        last = e;
        if (!(e instanceof BrokerError) || !RETRYABLE.has(e.kind)) break;
      }
    }
    this.settleFailure(req.clientOrderId, last);
    const why = last instanceof Error ? last.message : 'the broker failed';
    this.o.onLateOutcome?.(`queued order ${req.clientOrderId} was not placed: ${why}`, null);
  }

  private settleFailure(clientOrderId: string, e: unknown) {
    const message = e instanceof Error ? e.message : 'the broker failed';
    const status =
      e instanceof BrokerError && e.kind === 'unknown_outcome' ? 'unknown' : 'not_placed';
    this.journal.settle(this.o.accountId, clientOrderId, { status, error: message }, this.o.now());
  }

  /** Resolves orders a crash or restart left `sending`/`queued`, by client order id. */
  async recover(): Promise<number> {
    let resolved = 0;
    for (const row of this.journal.unsettled(this.o.accountId)) {
      const found = await this.resolve(row.clientOrderId);
      if (found === undefined) continue; // still unreachable: try again at the next start/sync
      if (found) this.journal.settle(this.o.accountId, row.clientOrderId, found, this.o.now());
      else {
        this.journal.settle(
          this.o.accountId,
          row.clientOrderId,
          { status: 'not_placed', error: 'Bourse stopped before the broker had it; not retried' },
          this.o.now(),
        );
        this.o.onLateOutcome?.(
          `order ${row.clientOrderId} (${row.side} ${row.qty} ${row.symbol}) was not placed: Bourse stopped before the broker had it`,
          null,
        );
      }
      resolved++;
    }
    return resolved;
  }

  private async exit(i: ResolvedIntent): Promise<VenueOrderResult[]> {
    // A whole exit that asks for it cancels the symbol's open orders first (the position's
    // protective orders go with it anyway). A partial one keeps them: they protect the rest.
    if (i.cancelOrders && i.qty === '0') await this.c.cancelAll(i.market);
    await this.session.refreshPositions();
    const net = netPosition(this.session.positionsOn(i.market));
    if (compareDecimal(net, '0') === 0) return [];
    const p = {
      side: net.startsWith('-') ? ('short' as const) : ('long' as const),
      qty: net.replace(/^-/, ''),
      positionId: undefined as string | undefined,
    };
    if (i.exitSide === 'long' && p.side !== 'long') return [];
    if (i.exitSide === 'short' && p.side !== 'short') return [];
    const partial = i.qty !== '0' && compareDecimal(i.qty, p.qty) < 0;
    const order = await this.c.closePosition(i.market, partial ? i.qty : undefined);
    if (order) this.session.noteOrder(order);
    return [
      order
        ? result(order, 'market')
        : {
            orderId: p.positionId ?? `close-${i.market}`,
            symbol: i.market,
            side: p.side === 'long' ? 'sell' : 'buy',
            type: 'market',
            qty: partial ? i.qty : p.qty,
            status: 'closed',
            filledQty: null,
            avgPrice: null,
          },
    ];
  }

  async cancelAll(): Promise<number> {
    return this.c.cancelAll();
  }

  async realisedSince(sinceMs: number): Promise<string | null> {
    return this.c.realisedPnlSince ? this.c.realisedPnlSince(sinceMs) : null;
  }

  async closeAll(): Promise<number> {
    let closed = 0;
    const symbols = new Set((await this.session.refreshPositions()).map((p) => p.symbol));
    for (const symbol of symbols) {
      await this.c.closePosition(symbol);
      closed++;
    }
    return closed;
  }

  /**
   * Stops retrying queued orders (shutdown, disable, delete) and waits for calls in flight.
   * A queued order stays `queued` in the journal; the next start resolves it by client id.
   */
  async settle(): Promise<void> {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
    await Promise.allSettled([...this.background]);
  }

  private sleep(ms: number): Promise<void> {
    if (this.o.sleep) return this.o.sleep(ms);
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref?.();
      this.sleepers.add(wake);
    });
  }
}

function result(o: BrokerOrder, type: string): VenueOrderResult {
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    side: o.side,
    type,
    qty: o.qty,
    status: o.status === 'pending' && o.reason?.startsWith('queued') ? 'queued' : o.status,
    filledQty: o.filledQty,
    avgPrice: o.avgPrice,
  };
}

/** Signed net quantity of positions on one symbol (short < 0). */
function netPosition(positions: BrokerPosition[]): string {
  return addDecimal('0', ...positions.map((p) => (p.side === 'short' ? `-${p.qty}` : p.qty)));
}
