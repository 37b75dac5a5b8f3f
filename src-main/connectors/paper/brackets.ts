import { AppError } from '../../../src-shared/contract';
import { formatDecimal } from '../../domain/money';
import {
  bracketHit,
  bracketProblem,
  trailedStop,
  type PaperConfig,
  type PaperPosition,
} from '../../domain/paper';
import type { FillOutcome, PaperBroker } from './broker';
import type { PaperAccount, PositionRow } from './store';

/**
 * A paper position's take-profit and stop-loss after it opened: changed by the trader, moved
 * by a trailing stop-loss, and closing the position when the book reaches them. Each runs in
 * the account's chain, as every command that reads and writes its position rows.
 */

const abs = (v: bigint) => (v < 0n ? -v : v);

/**
 * Sets (a level), clears (null) or keeps (undefined) the brackets of an open position. A
 * kept stop-loss — or the same level again — keeps trailing; a different one is fixed there.
 */
export function modifyBrackets(
  b: PaperBroker,
  a: PaperAccount,
  symbol: string,
  newStopLoss: bigint | null | undefined,
  newTakeProfit: bigint | null | undefined,
): Promise<PositionRow> {
  return b.serial(a.id, async () => {
    const row = b.repo.position(a.id, symbol);
    if (!row) throw new AppError('no_position', `${a.name} has no ${symbol} position`);
    const pos = b.decode(row);
    const stopLoss = newStopLoss === undefined ? pos.stopLoss : newStopLoss;
    const takeProfit = newTakeProfit === undefined ? pos.takeProfit : newTakeProfit;
    const q = b.quote(symbol);
    if (q) {
      const problem = bracketProblem(pos.qty, stopLoss, takeProfit, q);
      if (problem) throw new AppError('invalid_bracket', problem);
    }
    // Setting a different stop-loss fixes it there; the same one (or none given) keeps it.
    const trail = stopLoss === pos.stopLoss ? (pos.trail ?? null) : null;
    const saved = b.encode(a.id, { ...pos, stopLoss, takeProfit, trail }, b.now());
    b.repo.savePosition(saved);
    return saved;
  });
}

/**
 * Closes the positions whose take-profit or stop-loss the book reached, after moving the
 * trailing stop-losses behind a better quote; tells the owner of each close.
 */
export async function closeAtBrackets(
  b: PaperBroker,
  a: PaperAccount,
  cfg: PaperConfig,
): Promise<FillOutcome[]> {
  const fills: FillOutcome[] = [];
  for (const row of b.repo.positions(a.id)) {
    const trails = row.trailBps !== null || row.trailAmount !== null;
    const p = trails ? await trailPosition(b, a, row.symbol) : b.decode(row);
    if (!p) continue;
    const q = b.quote(p.symbol);
    const hit = q ? bracketHit(p, q) : null;
    if (!hit) continue;
    try {
      fills.push(await b.close(a, cfg, p.symbol, null, hit));
      notifyClosed(b, a, `${hit === 'stop_loss' ? 'Stop-loss' : 'Take-profit'} hit`, p);
    } catch (error) {
      b.log?.warn({ err: error, account: a.id }, 'paper bracket close failed');
    }
  }
  return fills;
}

/**
 * Moves a position's trailing stop-loss behind a better quote, in the account's chain (a
 * fill in flight reads and writes the same row). Answers the position as it is now.
 */
function trailPosition(
  b: PaperBroker,
  a: PaperAccount,
  symbol: string,
): Promise<PaperPosition | null> {
  return b.serial(a.id, async () => {
    const row = b.repo.position(a.id, symbol);
    if (!row) return null;
    const p = b.decode(row);
    const q = b.quote(symbol);
    if (!q || !p.trail || p.stopLoss === null) return p;
    const side = p.qty > 0n ? 'sell' : 'buy';
    const stop = trailedStop(side, p.stopLoss, q, p.trail, b.market(symbol).tickUnits);
    if (stop === p.stopLoss) return p;
    const moved = { ...p, stopLoss: stop };
    b.repo.savePosition(b.encode(a.id, moved, b.now()));
    return moved;
  });
}

function notifyClosed(b: PaperBroker, a: PaperAccount, title: string, p: PaperPosition): void {
  const m = b.market(p.symbol);
  b.notifications?.notify({
    userId: a.userId,
    level: 'info',
    kind: 'paper.bracket',
    title: `${title} on ${a.name}`,
    body: `${p.symbol} ${p.qty > 0n ? 'long' : 'short'} ${formatDecimal(abs(p.qty), m.baseScale)} closed`,
  });
}
