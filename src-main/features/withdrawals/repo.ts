import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/database';
import { userEmails } from '../../db/user-emails';
import {
  chainNetworks,
  withdrawalAddresses,
  withdrawalApprovals,
  withdrawals,
  withdrawalSigners,
} from '../../db/schema';
import type { WithdrawalStatus } from '../../domain/withdrawals';

export type AddressRow = typeof withdrawalAddresses.$inferSelect;
export type WithdrawalRow = Omit<typeof withdrawals.$inferSelect, 'status'> & {
  status: WithdrawalStatus;
};
export type NewWithdrawal = typeof withdrawals.$inferInsert & { status: WithdrawalStatus };

/** An asset's chain settings, amounts as bigint minor units. */
export interface AssetChainSettings {
  asset: string;
  chainId: number;
  tokenContract: string | null;
  tokenDecimals: number;
  confirmations: number;
  withdrawalsEnabled: boolean;
  withdrawalFee: bigint;
  withdrawalMin: bigint;
  autoApproveLimit: bigint;
  dualApprovalLimit: bigint | null;
}

/** A chain's secret names and hot wallet. */
export interface ChainSettings {
  chainId: number;
  rpcSecret: string;
  hotWalletSecret: string | null;
  hotWalletAddress: string | null;
  enabled: boolean;
}

/**
 * The SQL of the withdrawals feature: its own tables, and reads of the funding settings
 * (`asset_funding`, `chain_networks`, written by the funding feature's admin operations) plus
 * the one write this feature owns there, the hot wallet's secret name and address.
 */
export class WithdrawalRepo {
  constructor(private readonly store: DatabaseHandle) {}

  private get db() {
    return this.store.db;
  }

  // ---- address book --------------------------------------------------------------------

  addresses(userId: string): AddressRow[] {
    return this.db
      .select()
      .from(withdrawalAddresses)
      .where(and(eq(withdrawalAddresses.userId, userId), isNull(withdrawalAddresses.tsRemoved)))
      .orderBy(asc(withdrawalAddresses.tsCreated))
      .all();
  }

  address(userId: string, id: string): AddressRow | undefined {
    return this.db
      .select()
      .from(withdrawalAddresses)
      .where(and(eq(withdrawalAddresses.id, id), eq(withdrawalAddresses.userId, userId)))
      .get();
  }

  insertAddress(row: typeof withdrawalAddresses.$inferInsert): void {
    this.db.insert(withdrawalAddresses).values(row).run();
  }

  removeAddress(id: string, ts: number): void {
    this.db
      .update(withdrawalAddresses)
      .set({ tsRemoved: ts })
      .where(eq(withdrawalAddresses.id, id))
      .run();
  }

  // ---- withdrawals ---------------------------------------------------------------------

  get(id: string): WithdrawalRow | undefined {
    return this.db.select().from(withdrawals).where(eq(withdrawals.id, id)).get() as
      WithdrawalRow | undefined;
  }

  byClientId(userId: string, clientRequestId: string): WithdrawalRow | undefined {
    return this.db
      .select()
      .from(withdrawals)
      .where(and(eq(withdrawals.userId, userId), eq(withdrawals.clientRequestId, clientRequestId)))
      .get() as WithdrawalRow | undefined;
  }

  ofUser(userId: string, limit: number): WithdrawalRow[] {
    return this.db
      .select()
      .from(withdrawals)
      .where(eq(withdrawals.userId, userId))
      .orderBy(desc(withdrawals.tsCreated), desc(withdrawals.id))
      .limit(limit)
      .all() as WithdrawalRow[];
  }

  /** Oldest first: the order they are approved, signed and sent in. */
  inStatus(statuses: readonly WithdrawalStatus[]): WithdrawalRow[] {
    return this.db
      .select()
      .from(withdrawals)
      .where(inArray(withdrawals.status, [...statuses]))
      .orderBy(asc(withdrawals.tsCreated), asc(withdrawals.id))
      .all() as WithdrawalRow[];
  }

  insert(row: NewWithdrawal): void {
    this.db.insert(withdrawals).values(row).run();
  }

  update(id: string, changes: Partial<Omit<NewWithdrawal, 'id'>>): void {
    this.db.update(withdrawals).set(changes).where(eq(withdrawals.id, id)).run();
  }

  approvals(withdrawalId: string): string[] {
    return this.db
      .select({ adminId: withdrawalApprovals.adminId })
      .from(withdrawalApprovals)
      .where(eq(withdrawalApprovals.withdrawalId, withdrawalId))
      .orderBy(asc(withdrawalApprovals.ts))
      .all()
      .map((r) => r.adminId);
  }

  addApproval(withdrawalId: string, adminId: string, ts: number): void {
    this.db.insert(withdrawalApprovals).values({ withdrawalId, adminId, ts }).run();
  }

  userEmail(userId: string): string | null {
    return userEmails(this.store.sqlite, [userId]).get(userId) ?? null;
  }

  // ---- the hot wallet's nonce ----------------------------------------------------------

  nextNonce(chainId: number, address: string): number | undefined {
    return this.db
      .select()
      .from(withdrawalSigners)
      .where(and(eq(withdrawalSigners.chainId, chainId), eq(withdrawalSigners.address, address)))
      .get()?.nextNonce;
  }

  setNextNonce(chainId: number, address: string, nextNonce: number): void {
    this.db
      .insert(withdrawalSigners)
      .values({ chainId, address, nextNonce })
      .onConflictDoUpdate({
        target: [withdrawalSigners.chainId, withdrawalSigners.address],
        set: { nextNonce },
      })
      .run();
  }

  // ---- funding settings (the funding feature's tables) ---------------------------------

  assetSettings(asset?: string): AssetChainSettings[] {
    // Money columns read exactly (safeIntegers), as the exchange reads its balances.
    const rows = this.store.sqlite
      .prepare(
        `SELECT asset, chain_id, token_contract, token_decimals, confirmations,
                withdrawals_enabled, withdrawal_fee, withdrawal_min, auto_approve_limit,
                dual_approval_limit
         FROM asset_funding ${asset === undefined ? '' : 'WHERE asset = ?'} ORDER BY asset`,
      )
      .safeIntegers(true)
      .all(...(asset === undefined ? [] : [asset])) as Array<
      Record<string, bigint | string | null>
    >;
    return rows.map((r) => ({
      asset: r.asset as string,
      chainId: Number(r.chain_id),
      tokenContract: (r.token_contract as string | null) ?? null,
      tokenDecimals: Number(r.token_decimals),
      confirmations: Number(r.confirmations),
      withdrawalsEnabled: r.withdrawals_enabled === 1n,
      withdrawalFee: r.withdrawal_fee as bigint,
      withdrawalMin: r.withdrawal_min as bigint,
      autoApproveLimit: r.auto_approve_limit as bigint,
      dualApprovalLimit: (r.dual_approval_limit as bigint | null) ?? null,
    }));
  }

  chain(chainId: number): ChainSettings | undefined {
    const r = this.db.select().from(chainNetworks).where(eq(chainNetworks.chainId, chainId)).get();
    if (!r) return undefined;
    return {
      chainId: r.chainId,
      rpcSecret: r.rpcSecret,
      hotWalletSecret: r.hotWalletSecret,
      hotWalletAddress: r.hotWalletAddress,
      enabled: r.enabled,
    };
  }

  setHotWallet(chainId: number, secret: string, address: string, by: string, ts: number): void {
    this.db
      .update(chainNetworks)
      .set({
        hotWalletSecret: secret,
        hotWalletAddress: address.toLowerCase(),
        updatedBy: by,
        tsUpdated: ts,
      })
      .where(eq(chainNetworks.chainId, chainId))
      .run();
  }
}
