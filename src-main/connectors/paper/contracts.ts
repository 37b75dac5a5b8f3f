import { AppError } from '../../../src-shared/contract';
import { paperEntry } from '../../domain/ledger';
import { formatDecimal } from '../../domain/money';
import {
  belowMaintenance,
  financingCharge,
  financingPeriodStart,
  liquidationPrice,
  maintenanceFor,
  maintenanceRequirement,
  markPrice,
  unrealisedOf,
  type HeldPosition,
  type PaperConfig,
} from '../../domain/paper';
import type { ExchangeApi } from '../../features/exchange/api';
import type { FillOutcome, PaperBroker } from './broker';
import { paperOwner } from './owner';
import type { PaperAccount } from './store';

/**
 * Futures and CFDs on the paper broker beyond a fill: liquidation at maintenance, the
 * periodic financing charge, and a position's maintenance and liquidation price.
 */

const abs = (v: bigint) => (v < 0n ? -v : v);

/** Every position of the account that has a price, as the maintenance rule sees it. */
export function heldPositions(broker: PaperBroker, a: PaperAccount): HeldPosition[] {
  const held: HeldPosition[] = [];
  for (const row of broker.repo.positions(a.id)) {
    const p = broker.decode(row);
    const q = broker.quote(p.symbol);
    if (!q) continue;
    const market = broker.market(p.symbol);
    held.push({
      market,
      qty: p.qty,
      entryPrice: p.entryPrice,
      mark: markPrice(p, q),
      unrealised: unrealisedOf(market, p, q),
    });
  }
  return held;
}

/**
 * Liquidation at maintenance: while the account's equity is at or below the maintenance
 * requirement of its futures and CFDs, the one of them losing most is closed (reason
 * `liquidation`). The account's stop-out (margin level against the initial margin) runs
 * before this in `PaperBroker.check`; whichever is reached first closes positions.
 */
export async function liquidateAtMaintenance(
  broker: PaperBroker,
  a: PaperAccount,
  cfg: PaperConfig,
): Promise<FillOutcome[]> {
  const fills: FillOutcome[] = [];
  for (let guard = 0; guard < 100; guard++) {
    const held = heldPositions(broker, a);
    const requirement = maintenanceRequirement(held);
    const equity = broker.summary(a).equity;
    if (!belowMaintenance(equity, requirement)) break;
    let worst: HeldPosition | null = null;
    for (const h of held) {
      if (h.market.contract && (!worst || h.unrealised < worst.unrealised)) worst = h;
    }
    if (!worst) break;
    fills.push(await broker.close(a, cfg, worst.market.symbol, null, 'liquidation'));
    const scale = worst.market.quoteScale;
    broker.notifications?.notify({
      userId: a.userId,
      level: 'error',
      kind: 'paper.liquidation',
      title: `Liquidation on ${a.name}`,
      body: `Equity ${formatDecimal(equity, scale)} ${a.baseCurrency} fell to the maintenance requirement ${formatDecimal(requirement, scale)} ${a.baseCurrency}: ${worst.market.symbol} was closed.`,
    });
  }
  return fills;
}

/** A position's maintenance requirement now and its liquidation price (instruments only). */
export function positionRisk(
  broker: PaperBroker,
  a: PaperAccount,
  symbol: string,
): { maintenance: bigint; liquidationPrice: bigint | null } | null {
  const held = heldPositions(broker, a);
  const mine = held.find((h) => h.market.symbol === symbol);
  if (!mine?.market.contract) return null;
  let othersEquity = broker.balance(a);
  let othersMaintenance = 0n;
  for (const h of held) {
    if (h === mine) continue;
    othersEquity += h.unrealised;
    othersMaintenance += maintenanceFor(h.market, h.qty, h.mark);
  }
  return {
    maintenance: maintenanceFor(mine.market, mine.qty, mine.mark),
    liquidationPrice: liquidationPrice(
      mine.market,
      mine.qty,
      mine.entryPrice,
      othersEquity,
      othersMaintenance,
    ),
  };
}

/**
 * Posts this period's financing of every future/CFD position of the account that was open
 * at the period's start: one `paper_financing` ledger entry and one `paper_financing` row
 * per position and period, committed together, so a second run (or a restart) finds the
 * row and charges nothing. Only the latest period is charged: periods that passed while
 * Bourse was not running are not caught up. Returns how many positions it charged.
 */
export function chargeFinancing(
  broker: PaperBroker,
  exchange: ExchangeApi,
  a: PaperAccount,
): Promise<number> {
  return broker.serial(a.id, async () => {
    let charged = 0;
    for (const row of broker.repo.positions(a.id)) {
      const spec = broker.instrument(row.symbol);
      if (!spec || spec.financingRatePpm === 0) continue;
      const now = broker.now();
      const period = financingPeriodStart(now, spec.financingIntervalHours);
      if (row.openedAt > period || broker.repo.financed(a.id, row.symbol, period)) continue;
      const index = broker.indexOf(row.symbol);
      if (index === null) continue;
      const m = broker.market(row.symbol);
      const p = broker.decode(row);
      let amount = financingCharge(m, p.qty, index, spec.financingRatePpm);
      // Negative balance protection, as for settlements: never below zero.
      const balance = broker.balance(a);
      if (amount < -balance) amount = -balance;
      const record = {
        accountId: a.id,
        symbol: row.symbol,
        periodStart: period,
        qty: row.qty,
        indexPrice: formatDecimal(index, m.priceScale),
        ratePpm: spec.financingRatePpm,
        amount: formatDecimal(amount, m.quoteScale),
        entryId: null as number | null,
        ts: now,
      };
      await exchange.post((tx) => {
        if (amount !== 0n) {
          const side = p.qty > 0n ? 'long' : 'short';
          const entry = paperEntry({
            kind: 'paper_financing',
            refType: 'paper_financing',
            refId: `${a.id}:${row.symbol}:${period}`,
            owner: paperOwner(a.id),
            asset: a.baseCurrency,
            amount,
            reason: `financing ${side} ${formatDecimal(abs(p.qty), m.baseScale)} ${row.symbol} @ ${record.indexPrice}, ${spec.financingRatePpm} ppm`,
          });
          if (!entry.ok) throw new AppError(entry.error.code, entry.error.message);
          record.entryId = tx.record(entry.value);
        }
        tx.alsoWrite(() => broker.repo.insertFinancing(record));
        return null;
      });
      charged++;
    }
    return charged;
  });
}
