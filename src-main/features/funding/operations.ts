import {
  adminFundingAssetSet,
  adminFundingAssets,
  adminFundingChainSet,
  adminFundingChainTest,
  adminFundingChains,
  adminFundingDepositResolve,
  adminFundingDeposits,
  adminFundingReconcile,
  fundingAssets,
  fundingDepositAddress,
  fundingDeposits,
} from '../../../src-shared/contract';
import type { OperationContext } from '../../operations/context';
import { callerUserId } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import type { AuditLog } from '../audit/audit-log';
import type { FundingReconciler } from './reconciler';
import type { FundingService } from './service';
import type { FundingSettings } from './settings';

function me(op: OperationContext): string {
  return callerUserId(op.principal, 'deposits');
}

export interface FundingOperationDeps {
  service: FundingService;
  settings: FundingSettings;
  reconciler: FundingReconciler;
  audit: AuditLog;
  /** Every asset code the exchange lists. */
  assetCodes(): string[];
}

/** Deposits for users; chains, asset settings, deposits and reconciliation for admins. */
export function bindFundingOperations(d: FundingOperationDeps): BoundOperation[] {
  const { service, settings } = d;
  return [
    bind(fundingAssets, () => ({ items: service.assetsForUsers(d.assetCodes()) })),
    bind(fundingDepositAddress, ({ asset }, op) => service.depositAddress(me(op), asset)),
    bind(fundingDeposits, ({ asset, limit }, op) => ({
      items: service.deposits(me(op), asset, limit ?? 100),
    })),
    bind(adminFundingChains, async () => ({ items: await settings.chains() })),
    bind(adminFundingChainSet, (input, op) => settings.setChain(input, op)),
    bind(adminFundingChainTest, ({ chainId }) => settings.testChain(chainId)),
    bind(adminFundingAssets, () => ({ items: settings.assets() })),
    bind(adminFundingAssetSet, (input, op) => settings.setAsset(input, op)),
    bind(adminFundingDeposits, ({ status, limit }) => ({
      items: service.adminDeposits(status, limit ?? 200),
    })),
    bind(adminFundingDepositResolve, ({ id, action, reason }, op) =>
      service.resolve(id, action, reason, (details) =>
        d.audit.recordFor(op, 'funding.depositResolve', String(id), details),
      ),
    ),
    bind(adminFundingReconcile, async (_input, op) => {
      const report = await d.reconciler.run();
      const failed = report.checks.filter((c) => !c.ok).map((c) => c.message);
      d.audit.recordFor(op, 'funding.reconcile', null, { ok: report.ok, failed });
      return report;
    }),
  ];
}
