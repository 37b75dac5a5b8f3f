import { AppError } from '../../../src-shared/contract';
import { formatDecimal } from '../../domain/money';
import {
  pendingTriggered,
  trailActivated,
  trailedStop,
  trailLevel,
  trailReference,
  type PaperConfig,
  type Quote,
  type Trail,
} from '../../domain/paper';
import type { FillOutcome, PaperBroker } from './broker';
import type { PaperAccount, PendingRow } from './store';

/**
 * The paper broker's waiting orders: limit and stop orders (trailing stops among them) are
 * rows that execute when the book reaches them, in the account's chain like every other
 * command. `PaperBroker.check` runs `triggerPending` on every book move.
 */

/** Records a limit or stop order; it executes when the book reaches it (see `check`). */
export function placePending(
  b: PaperBroker,
  a: PaperAccount,
  cfg: PaperConfig,
  input: {
    symbol: string;
    side: 'buy' | 'sell';
    type: 'limit' | 'stop';
    qty: bigint;
    price: bigint;
    leverage?: number;
    stopLoss?: bigint | null;
    takeProfit?: bigint | null;
    /**
     * A trailing stop (type stop): `price` is where it starts, `trailActive` false when
     * `price` is an activation price to wait for (true: it already tracks from there).
     */
    trail?: Trail;
    trailActive?: boolean;
    /** The trailing stop-loss the position gets on the fill. */
    stopLossTrail?: Trail;
  },
): Promise<PendingRow> {
  return b.serial(a.id, async () => {
    const terms = b.terms(input.symbol);
    const m = b.market(input.symbol);
    if (terms.quoteCode !== a.baseCurrency) {
      throw new AppError(
        'currency_mismatch',
        `${a.name} keeps ${a.baseCurrency}; ${input.symbol} settles in ${terms.quoteCode}`,
      );
    }
    if (input.qty <= 0n || input.qty % terms.lotUnits !== 0n) {
      throw new AppError(
        'lot_size',
        `qty ${formatDecimal(input.qty, m.baseScale)} is not a positive multiple of the lot size ${terms.lotSize}`,
      );
    }
    b.checkSize(input.symbol, input.qty);
    if (m.contract && input.leverage !== undefined) throw b.noLeverage(input.symbol);
    if (input.price <= 0n) throw new AppError('validation_failed', 'price must be positive');
    if (input.leverage !== undefined && input.leverage > cfg.maxLeverage) {
      throw new AppError(
        'validation_failed',
        `leverage ${input.leverage} is above this account's maximum ${cfg.maxLeverage}`,
        { field: 'leverage' },
      );
    }
    const px = (v: bigint | null | undefined) =>
      v === null || v === undefined ? null : formatDecimal(v, m.priceScale);
    // A trailing stop waiting for its start price starts from there (one tracking from now was
    // checked against the quote it started from: `price` is its stop already).
    if (input.type === 'stop' && input.trail && !input.trailActive) {
      b.checkTrailReach(input.symbol, input.side, input.trail, input.price, 'trailAmount');
    }
    const ts = b.now();
    const trail = b.trailColumns(input.symbol, input.type === 'stop' ? input.trail : null);
    const stopLossTrail = b.trailColumns(input.symbol, input.stopLossTrail);
    const id = b.repo.insertPending({
      accountId: a.id,
      symbol: input.symbol,
      side: input.side,
      type: input.type,
      qty: formatDecimal(input.qty, m.baseScale),
      price: formatDecimal(input.price, m.priceScale),
      leverage: input.leverage ?? null,
      stopLoss: px(input.stopLoss),
      takeProfit: px(input.takeProfit),
      trailBps: trail.bps,
      trailAmount: trail.amount,
      trailActive: input.trailActive ?? false,
      stopLossTrailBps: stopLossTrail.bps,
      stopLossTrailAmount: stopLossTrail.amount,
      createdAt: ts,
    });
    return b.repo.pending(id)!;
  });
}

/** Cancels waiting orders: one (`id`), those on `symbol`, or all; returns how many. */
export function cancelPending(
  b: PaperBroker,
  a: PaperAccount,
  which: { id?: number; symbol?: string },
): Promise<number> {
  return b.serial(a.id, async () => {
    let n = 0;
    for (const o of b.repo.openPending(a.id)) {
      if (which.id !== undefined && o.id !== which.id) continue;
      if (which.symbol !== undefined && o.symbol !== which.symbol) continue;
      if (b.repo.setPending(o.id, 'cancelled', 'cancelled', null, b.now())) n++;
    }
    if (which.id !== undefined && n === 0) {
      throw new AppError('unknown_order', `No open paper order ${which.id} on ${a.name}`);
    }
    return n;
  });
}

/** Executes the waiting orders the book has reached; a refused one is closed as rejected. */
export async function triggerPending(
  b: PaperBroker,
  a: PaperAccount,
  cfg: PaperConfig,
): Promise<FillOutcome[]> {
  const fills: FillOutcome[] = [];
  for (const o of b.repo.openPending(a.id)) {
    const m = b.market(o.symbol);
    let price = b.units(o.price, m.priceScale, 'price');
    const q = b.quote(o.symbol);
    if (!q) continue;
    const trail = b.trailFromColumns(o.symbol, o.trailBps, o.trailAmount);
    if (trail) {
      const moved = trailPending(b, o, trail, price, q, m.tickUnits, m.priceScale);
      if (moved === null) continue; // waiting for its activation price, or no longer open
      price = moved;
    }
    if (!pendingTriggered({ side: o.side, type: o.type, price }, q)) continue;
    const qty = b.units(o.qty, m.baseScale, 'qty');
    const level = (t: string | null) =>
      t === null ? undefined : b.units(t, m.priceScale, 'price');
    try {
      const slTrail = b.trailFromColumns(o.symbol, o.stopLossTrailBps, o.stopLossTrailAmount);
      const sl = level(o.stopLoss);
      const tp = level(o.takeProfit);
      fills.push(
        await b.order(a, cfg, {
          symbol: o.symbol,
          qty: o.side === 'buy' ? qty : -qty,
          ...(o.leverage !== null ? { leverage: o.leverage } : {}),
          ...(sl !== undefined ? { stopLoss: sl } : {}),
          ...(tp !== undefined ? { takeProfit: tp } : {}),
          ...(slTrail ? { stopLossTrail: slTrail } : {}),
          ...(o.type === 'limit' ? { limitPrice: price } : {}),
          reason: o.type,
          pendingId: o.id,
        }),
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'unknown_order') continue; // cancelled meanwhile
      b.repo.setPending(o.id, 'rejected', error.message, null, b.now());
      b.notifications?.notify({
        userId: a.userId,
        level: 'warning',
        kind: 'paper.order_rejected',
        title: `Paper ${o.type} order refused on ${a.name}`,
        body: `${o.side} ${o.qty} ${o.symbol} @ ${o.price}: ${error.message}`,
      });
    }
  }
  return fills;
}

/**
 * Moves a waiting trailing stop with the book: activates it when the book reaches its
 * activation price (it then tracks from the quote there, so it never triggers as it
 * activates), or moves a tracking one behind a better quote. Answers its price now, or null
 * while it waits for activation (or when it is no longer open).
 */
function trailPending(
  b: PaperBroker,
  o: PendingRow,
  trail: Trail,
  price: bigint,
  q: Quote,
  tick: bigint,
  scale: number,
): bigint | null {
  let active = o.trailActive;
  let next = price;
  if (!active && !q.oneSided && trailActivated(o.side, price, q)) {
    active = true;
    next = trailLevel(o.side, trailReference(o.side, q), trail, tick);
  } else if (active) {
    next = trailedStop(o.side, price, q, trail, tick);
  }
  if (active !== o.trailActive || next !== price) {
    if (!b.repo.movePending(o.id, formatDecimal(next, scale), active, b.now())) return null;
  }
  return active ? next : null;
}
