import { AppError } from '../../../src-shared/contract';
import { paperEntry } from '../../domain/ledger';
import { formatDecimal } from '../../domain/money';
import {
  applyFill,
  bracketProblem,
  capAtLimit,
  commissionOf,
  executionPrice,
  marginState,
  summarise,
  trailLevel,
  trailReference,
  unrealisedOf,
  type PaperConfig,
  type PaperPosition,
  type PaperSummary,
  type Trail,
} from '../../domain/paper';
import type { Logger } from '../../observability/logger';
import type { ExchangeApi, LedgerTx } from '../../features/exchange/api';
import { liquidateAtMaintenance } from './contracts';
import { closeAtBrackets, modifyBrackets } from './brackets';
import { cancelPending, placePending, triggerPending } from './pending';
import { PaperMarkets } from './markets';
import { paperOwner } from './owner';
import type {
  FillRow,
  PaperAccount,
  PaperInstruments,
  PaperNotifier,
  PaperStore,
  PendingRow,
  PositionRow,
} from './store';

/** Why a paper fill happened. */
export type FillReason =
  | 'order'
  | 'limit'
  | 'stop'
  | 'close'
  | 'stop_loss'
  | 'take_profit'
  | 'stop_out'
  | 'liquidation'
  | 'emergency';

export interface FillOutcome {
  fill: FillRow;
  position: PositionRow | null;
}

export { paperOwner };

const abs = (v: bigint) => (v < 0n ? -v : v);

/**
 * The paper broker: positions with leverage, margin, brackets and stop-out on top of the
 * local exchange's prices. Cash effects (demo funding, realised P&L, commission) are ledger
 * entries against `system:paper-broker`, committed in the same transaction as the position
 * and fill rows (`LedgerTx.alsoWrite`), so a crash never leaves one without the other.
 *
 * Commands of one account run one after another (a promise chain per account): each reads
 * its positions from SQLite after the previous one committed.
 */
export class PaperBroker extends PaperMarkets {
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Accounts currently under a margin call (notified once until they recover). */
  private readonly marginCalled = new Set<string>();
  /** Told the account of every committed fill (analytics pushes P&L on it). */
  private readonly fillListeners = new Set<(accountId: string) => void>();

  /** Calls `listener` after each committed paper fill; returns the unsubscribe. */
  onFill(listener: (accountId: string) => void): () => void {
    this.fillListeners.add(listener);
    return () => this.fillListeners.delete(listener);
  }

  constructor(
    exchange: ExchangeApi,
    readonly repo: PaperStore,
    readonly notifications: PaperNotifier | undefined,
    readonly log: Logger | undefined,
    readonly now: () => number,
    instruments?: PaperInstruments,
  ) {
    super(exchange, instruments);
  }

  /** Runs `fn` after every earlier command of the account has finished. */
  serial<T>(accountId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(accountId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(accountId, tail);
    void tail.then(() => {
      if (this.chains.get(accountId) === tail) this.chains.delete(accountId);
    });
    return next;
  }

  /** Refuses an instrument order outside its min/max size (in contracts). */
  checkSize(symbol: string, qty: bigint): void {
    const t = this.terms(symbol);
    const size = abs(qty);
    const scale = this.market(symbol).baseScale;
    if ((t.minUnits !== null && size < t.minUnits) || (t.maxUnits !== null && size > t.maxUnits)) {
      throw new AppError(
        'validation_failed',
        `qty ${formatDecimal(size, scale)} is outside ${symbol}'s size limits ${formatDecimal(t.minUnits ?? 0n, scale)}–${formatDecimal(t.maxUnits ?? 0n, scale)} contracts`,
        { field: 'qty' },
      );
    }
  }

  noLeverage(symbol: string): AppError {
    return new AppError(
      'validation_failed',
      `leverage does not apply to ${symbol}: its margin per contract (or rate) sets it`,
      { field: 'leverage' },
    );
  }

  /** Account figures at the current book. */
  summary(a: PaperAccount): PaperSummary {
    let unrealised = 0n;
    let margin = 0n;
    for (const row of this.repo.positions(a.id)) {
      const p = this.decode(row);
      const q = this.quote(p.symbol);
      if (q) unrealised += unrealisedOf(this.market(p.symbol), p, q);
      margin += p.margin;
    }
    return summarise(this.balance(a), unrealised, margin);
  }

  /** Credits (or, negative, debits) the demo balance against the paper broker. */
  fund(a: PaperAccount, amount: bigint, reason: string): Promise<number> {
    return this.serial(a.id, () =>
      this.exchange.post((tx) => {
        const entry = paperEntry({
          kind: 'paper_funding',
          refType: 'paper_account',
          refId: a.id,
          owner: paperOwner(a.id),
          asset: a.baseCurrency,
          amount,
          reason,
        });
        if (!entry.ok) throw new AppError(entry.error.code, entry.error.message);
        return tx.record(entry.value);
      }),
    );
  }

  /**
   * A market order: opens, adds to, reduces or flips the account's position on `symbol`.
   * `qty` is signed (buy > 0). Refused when it would leave free margin below zero.
   */
  order(
    a: PaperAccount,
    cfg: PaperConfig,
    input: {
      symbol: string;
      qty: bigint;
      leverage?: number;
      stopLoss?: bigint | null;
      takeProfit?: bigint | null;
      /** A trailing stop-loss instead of `stopLoss`: starts this far behind the quote now. */
      stopLossTrail?: Trail;
      reason: FillReason;
      /** Closing orders only reduce: refused if there is nothing to reduce. */
      reduceOnly?: boolean;
      /** A limit order's price: the fill is never worse. */
      limitPrice?: bigint;
      /** The waiting paper order this fill executes (closed in the same transaction). */
      pendingId?: number;
    },
  ): Promise<FillOutcome> {
    return this.serial(a.id, () => this.orderNow(a, cfg, input));
  }

  /** `order` without queueing behind the account's chain (callers already hold it). */
  private async orderNow(
    a: PaperAccount,
    cfg: PaperConfig,
    input: Parameters<PaperBroker['order']>[2],
  ): Promise<FillOutcome> {
    const before = this.repo.position(a.id, input.symbol);
    const positions = this.repo.positions(a.id);
    const out: { fillId: number } = { fillId: 0 };
    const result = await this.exchange.post((tx) =>
      this.execute(tx, a, cfg, input, before ? this.decode(before) : null, positions, out),
    );
    for (const listener of this.fillListeners) {
      try {
        listener(a.id);
      } catch (error) {
        this.log?.warn({ err: error }, 'paper fill listener failed');
      }
    }
    return { fill: { ...result.fill, id: out.fillId }, position: result.position };
  }

  /**
   * Runs inside the exchange queue (reads through the API see the state `tx` changes);
   * throws (before any change) when refused.
   */
  private execute(
    tx: LedgerTx,
    a: PaperAccount,
    cfg: PaperConfig,
    input: Parameters<PaperBroker['order']>[2],
    pos: PaperPosition | null,
    positions: PositionRow[],
    out: { fillId: number },
  ): FillOutcome {
    if (input.pendingId !== undefined && this.repo.pending(input.pendingId)?.status !== 'open') {
      throw new AppError('unknown_order', `paper order ${input.pendingId} is no longer open`);
    }
    const terms = this.terms(input.symbol);
    if (terms.quoteCode !== a.baseCurrency) {
      throw new AppError(
        'currency_mismatch',
        `${a.name} keeps ${a.baseCurrency}; ${input.symbol} settles in ${terms.quoteCode}. Use a paper account in ${terms.quoteCode}.`,
      );
    }
    if (input.reason === 'order' && terms.status !== 'trading') {
      throw new AppError('market_halted', `${input.symbol} is ${terms.status}`);
    }
    const m = this.market(input.symbol);
    const quote = this.quote(input.symbol);
    if (!quote) {
      throw new AppError(
        'no_price',
        `${input.symbol} has no price yet (no orders in the book and no trade)`,
      );
    }
    if (input.qty === 0n) throw new AppError('validation_failed', 'qty must be positive');
    if (abs(input.qty) % terms.lotUnits !== 0n) {
      throw new AppError(
        'lot_size',
        `qty ${formatDecimal(abs(input.qty), m.baseScale)} is not a multiple of the lot size ${terms.lotSize}`,
      );
    }
    // Size limits bind what a trader asks for; closes (brackets, stop-out) take any size.
    if (['order', 'limit', 'stop'].includes(input.reason)) this.checkSize(input.symbol, input.qty);
    if (
      input.reduceOnly &&
      (!pos || pos.qty > 0n === input.qty > 0n || abs(input.qty) > abs(pos.qty))
    ) {
      throw new AppError('no_position', `No ${input.symbol} position to reduce by that much`);
    }
    // A future's or CFD's margin is set by its spec: leverage does not apply (stored as 1).
    if (m.contract && input.leverage !== undefined) throw this.noLeverage(input.symbol);
    const leverage = m.contract ? 1 : (input.leverage ?? pos?.leverage ?? cfg.defaultLeverage);
    if (leverage > cfg.maxLeverage) {
      throw new AppError(
        'validation_failed',
        `leverage ${leverage} is above this account's maximum ${cfg.maxLeverage}`,
        { field: 'leverage' },
      );
    }
    const ts = tx.ts;
    const side = input.qty > 0n ? 'buy' : 'sell';
    const exec = executionPrice(m, cfg, side, abs(input.qty), quote);
    if (input.limitPrice !== undefined) exec.price = capAtLimit(side, exec.price, input.limitPrice);
    const commission = commissionOf(m, cfg, input.qty, exec.price);
    const effect = applyFill(m, pos, input.qty, exec.price, leverage, ts);
    let next = effect.position;
    const trailing = input.stopLossTrail;
    if (
      next &&
      (input.stopLoss !== undefined || input.takeProfit !== undefined || trailing !== undefined)
    ) {
      // A fixed stop-loss replaces a trailing one; a trailing one starts from the quote now.
      let sl = input.stopLoss === undefined ? next.stopLoss : input.stopLoss;
      let trail = input.stopLoss === undefined ? (next.trail ?? null) : null;
      if (trailing !== undefined) {
        const stopSide = next.qty > 0n ? 'sell' : 'buy';
        this.checkTrailReach(input.symbol, stopSide, trailing, quote.bid, 'stopLossTrailAmount');
        sl = trailLevel(stopSide, trailReference(stopSide, quote), trailing, m.tickUnits);
        trail = trailing;
      }
      const tp = input.takeProfit === undefined ? next.takeProfit : input.takeProfit;
      const problem = bracketProblem(next.qty, sl, tp, quote);
      if (problem) throw new AppError('invalid_bracket', problem);
      next = { ...next, stopLoss: sl, takeProfit: tp, trail };
    }

    const balance = this.balance(a);
    let cash = effect.realised - commission;
    // Negative balance protection: a loss beyond the balance is the broker's, not the user's.
    if (cash < -balance) cash = -balance;

    if (effect.openedQty > 0n) {
      // Free margin after the fill, with every other position marked to its book.
      let unrealised = 0n;
      let margin = next?.margin ?? 0n;
      for (const row of positions) {
        if (row.symbol === input.symbol) continue;
        const p = this.decode(row);
        const q = this.quote(p.symbol);
        if (q) unrealised += unrealisedOf(this.market(p.symbol), p, q);
        margin += p.margin;
      }
      if (next) unrealised += unrealisedOf(m, next, quote);
      const after = summarise(balance + cash, unrealised, margin);
      if (after.freeMargin < 0n) {
        const scale = m.quoteScale;
        const ccy = a.baseCurrency;
        // The equity figure is the one this fill would leave, not the account's equity now
        // (what the user sees): say so, and what it already counts.
        throw new AppError(
          'insufficient_margin',
          `margin needed ${formatDecimal(margin, scale)} ${ccy} at leverage ${leverage} exceeds the ${formatDecimal(after.equity, scale)} ${ccy} of equity this order would leave (after its commission ${formatDecimal(commission, scale)} ${ccy}, and a fill at ${formatDecimal(exec.price, m.priceScale)} marked to the book)`,
          {
            marginNeeded: formatDecimal(margin, scale),
            equity: formatDecimal(after.equity, scale),
            leverage,
          },
        );
      }
    }

    let entryId: number | null = null;
    if (cash !== 0n) {
      const entry = paperEntry({
        kind: 'paper_settlement',
        refType: 'paper_fill',
        refId: `${a.id}:${input.symbol}:${ts}`,
        owner: paperOwner(a.id),
        asset: a.baseCurrency,
        amount: cash,
        reason: `${input.reason} ${side} ${formatDecimal(abs(input.qty), m.baseScale)} ${input.symbol} @ ${formatDecimal(exec.price, m.priceScale)}`,
      });
      if (!entry.ok) throw new AppError(entry.error.code, entry.error.message);
      entryId = tx.record(entry.value);
    }
    const fill: Omit<FillRow, 'id'> = {
      accountId: a.id,
      symbol: input.symbol,
      side,
      qty: formatDecimal(abs(input.qty), m.baseScale),
      price: formatDecimal(exec.price, m.priceScale),
      touchPrice: formatDecimal(side === 'buy' ? quote.ask : quote.bid, m.priceScale),
      slippagePpm: exec.slippagePpm,
      commission: formatDecimal(commission, m.quoteScale),
      realisedPnl: formatDecimal(effect.realised, m.quoteScale),
      multiplier: m.contract
        ? formatDecimal(m.contract.multiplier, m.contract.multiplierScale)
        : null,
      reason: input.reason,
      entryId,
      ts,
    };
    const row = next ? this.encode(a.id, next, ts) : null;
    const pendingId = input.pendingId;
    tx.alsoWrite(() => {
      if (row) this.repo.savePosition(row);
      else this.repo.deletePosition(a.id, input.symbol);
      out.fillId = this.repo.insertFill(fill);
      if (
        pendingId !== undefined &&
        !this.repo.setPending(pendingId, 'filled', null, out.fillId, ts)
      )
        throw new Error(`paper order ${pendingId} was no longer open`); // rolls the fill back
    });
    return { fill: { ...fill, id: 0 }, position: row };
  }

  /** Closes all of a position, or `qty` of it. */
  close(
    a: PaperAccount,
    cfg: PaperConfig,
    symbol: string,
    qty: bigint | null,
    reason: FillReason,
  ): Promise<FillOutcome> {
    return this.serial(a.id, async () => {
      const row = this.repo.position(a.id, symbol);
      if (!row) throw new AppError('no_position', `${a.name} has no ${symbol} position`);
      const pos = this.decode(row);
      const scale = this.market(symbol).baseScale;
      if (qty !== null && qty > abs(pos.qty)) {
        throw new AppError(
          'validation_failed',
          `qty ${formatDecimal(qty, scale)} is more than the position ${formatDecimal(abs(pos.qty), scale)}`,
          { field: 'qty' },
        );
      }
      const size = qty ?? abs(pos.qty);
      return this.orderNow(a, cfg, {
        symbol,
        qty: pos.qty > 0n ? -size : size,
        reason,
        reduceOnly: true,
      });
    });
  }

  /**
   * Sets (a level), clears (null) or keeps (undefined) the brackets of an open position. A
   * kept stop-loss — or the same level again — keeps trailing; a different one is fixed there.
   */
  modify(
    a: PaperAccount,
    symbol: string,
    newStopLoss: bigint | null | undefined,
    newTakeProfit: bigint | null | undefined,
  ) {
    return modifyBrackets(this, a, symbol, newStopLoss, newTakeProfit);
  }

  /** Records a limit or stop order; it executes when the book reaches it (see `check`). */
  placePending(
    a: PaperAccount,
    cfg: PaperConfig,
    input: Parameters<typeof placePending>[3],
  ): Promise<PendingRow> {
    return placePending(this, a, cfg, input);
  }

  /** Cancels waiting orders: one (`id`), those on `symbol`, or all; returns how many. */
  cancelPending(a: PaperAccount, which: { id?: number; symbol?: string }): Promise<number> {
    return cancelPending(this, a, which);
  }

  /**
   * Applies what the market did to an account: waiting limit and stop orders that the book
   * reached execute; brackets that were reached close their position; a margin level at or
   * below stop-out closes the worst position until it recovers; a margin call is notified
   * once; futures and CFDs are liquidated at maintenance. Returns the fills it made.
   */
  async check(a: PaperAccount, cfg: PaperConfig): Promise<FillOutcome[]> {
    const fills: FillOutcome[] = await triggerPending(this, a, cfg);
    fills.push(...(await closeAtBrackets(this, a, cfg)));
    for (let guard = 0; guard < 100; guard++) {
      const s = this.summary(a);
      const state = marginState(s, cfg);
      if (state === 'ok') {
        this.marginCalled.delete(a.id);
        break;
      }
      if (state === 'margin_call') {
        if (!this.marginCalled.has(a.id)) {
          this.marginCalled.add(a.id);
          this.notifications?.notify({
            userId: a.userId,
            level: 'warning',
            kind: 'paper.margin_call',
            title: `Margin call on ${a.name}`,
            body: `Margin level ${this.levelText(s)} % is at or below ${cfg.marginCallLevelPct} %; positions close at ${cfg.stopOutLevelPct} %.`,
          });
        }
        break;
      }
      const worst = this.worstPosition(a);
      if (!worst) break;
      fills.push(await this.close(a, cfg, worst.symbol, null, 'stop_out'));
      this.notifications?.notify({
        userId: a.userId,
        level: 'error',
        kind: 'paper.stop_out',
        title: `Stop-out on ${a.name}`,
        body: `Margin level ${this.levelText(s)} % fell to the stop-out level ${cfg.stopOutLevelPct} %: ${worst.symbol} was closed.`,
      });
    }
    fills.push(...(await liquidateAtMaintenance(this, a, cfg)));
    return fills;
  }

  private levelText(s: PaperSummary): string {
    return s.marginLevelBp === null ? '∞' : formatDecimal(s.marginLevelBp, 2);
  }

  /** The position losing the most now (stop-out closes it first). */
  private worstPosition(a: PaperAccount): PaperPosition | null {
    let worst: { p: PaperPosition; pnl: bigint } | null = null;
    for (const row of this.repo.positions(a.id)) {
      const p = this.decode(row);
      const q = this.quote(p.symbol);
      const pnl = q ? unrealisedOf(this.market(p.symbol), p, q) : 0n;
      if (!worst || pnl < worst.pnl) worst = { p, pnl };
    }
    return worst?.p ?? null;
  }
}
