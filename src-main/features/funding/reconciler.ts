import type Database from 'better-sqlite3';
import { SYSTEM_FROZEN } from '../../domain/ledger';
import type { ExchangeApi } from '../exchange/api';
import { FUNDING_CHECKS, type FundingCheck, type ReconcileCheck } from './reconcile';
import type { FundingService } from './service';

/**
 * Runs the funding checks for every chain asset. The ledger figures are read from the
 * exchange's stored balances after its queue flushed nothing pending in between is lost: the
 * checks compare them with the chain, which moves on its own, so a deposit credited while
 * the check runs may show as a small surplus, never as a false shortfall.
 */
export class FundingReconciler {
  constructor(
    private readonly o: {
      sqlite: Database.Database;
      service: FundingService;
      exchange: ExchangeApi;
      now: () => number;
      checks?: FundingCheck[];
    },
  ) {}

  /** Sum of what users (not system owners) hold of `asset`, available + held, minor units. */
  private owedToUsers(asset: string): bigint {
    const r = this.o.sqlite
      .prepare(
        `SELECT CAST(COALESCE(SUM(balance), 0) AS TEXT) AS total FROM ledger_accounts
         WHERE asset = ? AND owner NOT LIKE 'system:%'`,
      )
      .get(asset) as { total: string };
    return BigInt(r.total);
  }

  async run(): Promise<{ ok: boolean; checkedAt: number; checks: ReconcileCheck[] }> {
    const { service } = this.o;
    const checks: ReconcileCheck[] = [];
    for (const asset of service.repo.assetSettings()) {
      const chain = service.repo.chain(asset.chainId);
      const scale = this.o.exchange.asset(asset.asset)?.scale;
      if (!chain || scale === undefined) continue;
      try {
        const client = await service.clientFor(chain);
        // Figures read from another chain (a mistyped RPC URL) would be meaningless.
        const answered = await client.getChainId();
        if (answered !== chain.chainId) {
          throw new Error(`the RPC endpoint serves chain ${answered}, not ${chain.chainId}`);
        }
        const ctx = {
          asset,
          scale,
          chain,
          client,
          repo: service.repo,
          owedToUsers: this.owedToUsers(asset.asset),
          frozen: this.o.exchange.holdings(SYSTEM_FROZEN, asset.asset).available,
        };
        for (const check of [...(this.o.checks ?? FUNDING_CHECKS), ...service.extraChecks]) {
          checks.push(...(await check(ctx)));
        }
      } catch (e) {
        checks.push({
          check: 'chain_reachable',
          asset: asset.asset,
          ok: false,
          message: `chain ${asset.chainId} could not be read: ${(e as Error).message.split('\n')[0]}`,
          figures: {},
        });
      }
    }
    return { ok: checks.every((c) => c.ok), checkedAt: this.o.now(), checks };
  }
}
