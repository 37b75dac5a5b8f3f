import type { PaperBroker } from '../../connectors/paper/broker';
import { chargeFinancing } from '../../connectors/paper/contracts';
import type { Logger } from '../../observability/logger';
import type { ExchangeApi } from '../exchange/api';
import type { PaperInstrumentBook } from './instruments';
import type { AccountRow, AccountsRepo } from './repo';

/** What the paper passes over every account need from the accounts service. */
export interface PaperJobDeps {
  paper: PaperBroker;
  exchange: ExchangeApi;
  repo: AccountsRepo;
  instruments: PaperInstrumentBook;
  /** The paper account of this id, or null to skip it (gone, not paper, service stopping). */
  account(id: string): AccountRow | null;
  log: Logger | undefined;
}

/**
 * Applies waiting orders, brackets, stop-out and liquidation to every paper account holding
 * a position or a waiting order on `symbols` (or on any). An instrument moves with its price
 * source: a change of the BTC/USDT book checks BTC-FUT positions. Returns the fills made.
 */
export async function checkAccounts(d: PaperJobDeps, symbols?: Set<string>): Promise<number> {
  let fills = 0;
  const moved = symbols ? new Set(symbols) : null;
  for (const s of symbols ?? []) for (const i of d.instruments.pricedBy(s)) moved!.add(i);
  const accounts = new Set<string>();
  for (const p of [...d.repo.allPositions(), ...d.repo.openPendingSymbols()]) {
    if (!moved || moved.has(p.symbol)) accounts.add(p.accountId);
  }
  for (const id of accounts) {
    const a = d.account(id);
    if (!a?.paperConfig) continue;
    try {
      fills += (await d.paper.check(a, a.paperConfig)).length;
    } catch (error) {
      d.log?.warn({ err: error, account: id }, 'paper account check failed');
    }
  }
  return fills;
}

/**
 * The financing job's pass: every paper account holding positions has its current period
 * charged (idempotent per period and position, see `chargeFinancing`). Returns how many
 * positions were charged.
 */
export async function chargeAllFinancing(d: PaperJobDeps): Promise<number> {
  let charged = 0;
  for (const id of new Set(d.repo.allPositions().map((p) => p.accountId))) {
    const a = d.account(id);
    if (!a) continue;
    try {
      charged += await chargeFinancing(d.paper, d.exchange, a);
    } catch (error) {
      d.log?.warn({ err: error, account: id }, 'paper financing failed');
    }
  }
  return charged;
}
