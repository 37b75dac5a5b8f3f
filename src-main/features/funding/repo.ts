/**
 * The funding feature's rows: chains and asset settings (the lead's tables), deposit
 * addresses, deposits, the listener's cursor and block window. Plain prepared statements;
 * money columns are read as text and turned into bigint, never through a float.
 */
import type Database from 'better-sqlite3';
import type { DEPOSIT_STATUSES } from '../../../src-shared/contract';
import { userEmails } from '../../db/user-emails';

export type DepositStatus = (typeof DEPOSIT_STATUSES)[number];

export interface ChainRow {
  chainId: number;
  name: string;
  rpcSecret: string;
  xpub: string | null;
  nextAddressIndex: number;
  hotWalletAddress: string | null;
  pollMs: number;
  maxBlocksPerPoll: number;
  enabled: boolean;
  tsUpdated: number;
  updatedBy: string;
}

export interface AssetFundingRow {
  asset: string;
  chainId: number;
  tokenContract: string | null;
  tokenDecimals: number;
  confirmations: number;
  depositsEnabled: boolean;
  withdrawalsEnabled: boolean;
  withdrawalFee: bigint;
  withdrawalMin: bigint;
  autoApproveLimit: bigint;
  dualApprovalLimit: bigint | null;
  tsUpdated: number;
  updatedBy: string;
}

export interface DepositRow {
  id: number;
  chainId: number;
  txHash: string;
  logIndex: number;
  asset: string;
  userId: string;
  address: string;
  tokenContract: string | null;
  chainAmount: bigint;
  amount: bigint;
  remainder: bigint;
  blockNumber: number;
  blockHash: string;
  status: DepositStatus;
  note: string | null;
  frozen: bigint;
  entryId: number | null;
  tsSeen: number;
  tsUpdated: number;
}

/** A transfer about to be recorded (the listener's scan, mapped to a user and an asset). */
export type NewDeposit = Omit<
  DepositRow,
  'id' | 'status' | 'note' | 'frozen' | 'entryId' | 'tsSeen' | 'tsUpdated'
>;

const CHAIN_COLUMNS = `chain_id AS chainId, name, rpc_secret AS rpcSecret, xpub,
  next_address_index AS nextAddressIndex, hot_wallet_address AS hotWalletAddress,
  poll_ms AS pollMs, max_blocks_per_poll AS maxBlocksPerPoll, enabled,
  ts_updated AS tsUpdated, updated_by AS updatedBy`;

const ASSET_COLUMNS = `asset, chain_id AS chainId, token_contract AS tokenContract,
  token_decimals AS tokenDecimals, confirmations, deposits_enabled AS depositsEnabled,
  withdrawals_enabled AS withdrawalsEnabled, CAST(withdrawal_fee AS TEXT) AS withdrawalFee,
  CAST(withdrawal_min AS TEXT) AS withdrawalMin, CAST(auto_approve_limit AS TEXT) AS autoApproveLimit,
  CAST(dual_approval_limit AS TEXT) AS dualApprovalLimit, ts_updated AS tsUpdated,
  updated_by AS updatedBy`;

const DEPOSIT_COLUMNS = `id, chain_id AS chainId, tx_hash AS txHash, log_index AS logIndex, asset,
  user_id AS userId, address, token_contract AS tokenContract, chain_amount AS chainAmount,
  CAST(amount AS TEXT) AS amount, remainder, block_number AS blockNumber,
  block_hash AS blockHash, status, note, CAST(frozen AS TEXT) AS frozen, entry_id AS entryId,
  ts_seen AS tsSeen, ts_updated AS tsUpdated`;

type Raw = Record<string, unknown>;

function chainOf(r: Raw): ChainRow {
  return { ...(r as unknown as ChainRow), enabled: r.enabled === 1 };
}

function assetOf(r: Raw): AssetFundingRow {
  return {
    ...(r as unknown as AssetFundingRow),
    depositsEnabled: r.depositsEnabled === 1,
    withdrawalsEnabled: r.withdrawalsEnabled === 1,
    withdrawalFee: BigInt(r.withdrawalFee as string),
    withdrawalMin: BigInt(r.withdrawalMin as string),
    autoApproveLimit: BigInt(r.autoApproveLimit as string),
    dualApprovalLimit: r.dualApprovalLimit === null ? null : BigInt(r.dualApprovalLimit as string),
  };
}

function depositOf(r: Raw): DepositRow {
  return {
    ...(r as unknown as DepositRow),
    chainAmount: BigInt(r.chainAmount as string),
    amount: BigInt(r.amount as string),
    remainder: BigInt(r.remainder as string),
    frozen: BigInt(r.frozen as string),
  };
}

export class FundingRepo {
  /** Prepared once per SQL text: the listener runs the same few statements per deposit. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly sqlite: Database.Database) {}

  private prepare(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.sqlite.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  // ---- chains and assets -------------------------------------------------------------

  chains(): ChainRow[] {
    const rows = this.prepare(
      `SELECT ${CHAIN_COLUMNS} FROM chain_networks ORDER BY chain_id`,
    ).all() as Raw[];
    return rows.map(chainOf);
  }

  chain(chainId: number): ChainRow | undefined {
    const r = this.prepare(`SELECT ${CHAIN_COLUMNS} FROM chain_networks WHERE chain_id = ?`).get(
      chainId,
    ) as Raw | undefined;
    return r && chainOf(r);
  }

  upsertChain(c: Omit<ChainRow, 'nextAddressIndex' | 'hotWalletAddress'>): void {
    this.prepare(
      `INSERT INTO chain_networks (chain_id, name, rpc_secret, xpub, poll_ms, max_blocks_per_poll,
           enabled, ts_updated, updated_by)
         VALUES (@chainId, @name, @rpcSecret, @xpub, @pollMs, @maxBlocksPerPoll, @enabled, @tsUpdated, @updatedBy)
         ON CONFLICT (chain_id) DO UPDATE SET name = excluded.name, rpc_secret = excluded.rpc_secret,
           xpub = excluded.xpub, poll_ms = excluded.poll_ms,
           max_blocks_per_poll = excluded.max_blocks_per_poll, enabled = excluded.enabled,
           ts_updated = excluded.ts_updated, updated_by = excluded.updated_by`,
    ).run({ ...c, enabled: c.enabled ? 1 : 0 });
  }

  assetSettings(): AssetFundingRow[] {
    const rows = this.prepare(
      `SELECT ${ASSET_COLUMNS} FROM asset_funding ORDER BY asset`,
    ).all() as Raw[];
    return rows.map(assetOf);
  }

  assetSetting(asset: string): AssetFundingRow | undefined {
    const r = this.prepare(`SELECT ${ASSET_COLUMNS} FROM asset_funding WHERE asset = ?`).get(
      asset,
    ) as Raw | undefined;
    return r && assetOf(r);
  }

  upsertAssetSetting(a: AssetFundingRow): void {
    const str = (v: bigint | null) => (v === null ? null : v.toString());
    this.prepare(
      `INSERT INTO asset_funding (asset, chain_id, token_contract, token_decimals, confirmations,
           deposits_enabled, withdrawals_enabled, withdrawal_fee, withdrawal_min, auto_approve_limit,
           dual_approval_limit, ts_updated, updated_by)
         VALUES (@asset, @chainId, @tokenContract, @tokenDecimals, @confirmations, @depositsEnabled,
           @withdrawalsEnabled, CAST(@withdrawalFee AS INTEGER), CAST(@withdrawalMin AS INTEGER),
           CAST(@autoApproveLimit AS INTEGER), CAST(@dualApprovalLimit AS INTEGER), @tsUpdated, @updatedBy)
         ON CONFLICT (asset) DO UPDATE SET chain_id = excluded.chain_id,
           token_contract = excluded.token_contract, token_decimals = excluded.token_decimals,
           confirmations = excluded.confirmations, deposits_enabled = excluded.deposits_enabled,
           withdrawals_enabled = excluded.withdrawals_enabled, withdrawal_fee = excluded.withdrawal_fee,
           withdrawal_min = excluded.withdrawal_min, auto_approve_limit = excluded.auto_approve_limit,
           dual_approval_limit = excluded.dual_approval_limit, ts_updated = excluded.ts_updated,
           updated_by = excluded.updated_by`,
    ).run({
      ...a,
      depositsEnabled: a.depositsEnabled ? 1 : 0,
      withdrawalsEnabled: a.withdrawalsEnabled ? 1 : 0,
      withdrawalFee: str(a.withdrawalFee),
      withdrawalMin: str(a.withdrawalMin),
      autoApproveLimit: str(a.autoApproveLimit),
      dualApprovalLimit: str(a.dualApprovalLimit),
    });
  }

  // ---- deposit addresses -------------------------------------------------------------

  address(chainId: number, userId: string): { address: string; index: number } | undefined {
    return this.prepare(
      'SELECT address, address_index AS "index" FROM deposit_addresses WHERE chain_id = ? AND user_id = ?',
    ).get(chainId, userId) as { address: string; index: number } | undefined;
  }

  /** Takes the chain's next index (call inside a write transaction with the insert). */
  takeAddressIndex(chainId: number): number {
    const r = this.prepare(
      `UPDATE chain_networks SET next_address_index = next_address_index + 1
         WHERE chain_id = ? RETURNING next_address_index - 1 AS idx`,
    ).get(chainId) as { idx: number } | undefined;
    if (!r) throw new Error(`no chain ${chainId}`);
    return r.idx;
  }

  insertAddress(chainId: number, userId: string, index: number, address: string, ts: number): void {
    this.prepare(
      `INSERT INTO deposit_addresses (chain_id, user_id, address_index, address, ts_created)
         VALUES (?, ?, ?, ?, ?)`,
    ).run(chainId, userId, index, address, ts);
  }

  /** Every deposit address of a chain: lower-case address → user id. */
  watched(chainId: number): Map<string, string> {
    const rows = this.prepare(
      'SELECT address, user_id AS userId FROM deposit_addresses WHERE chain_id = ?',
    ).all(chainId) as Array<{ address: string; userId: string }>;
    return new Map(rows.map((r) => [r.address, r.userId]));
  }

  addressCount(chainId: number): number {
    return (
      this.prepare('SELECT count(*) AS n FROM deposit_addresses WHERE chain_id = ?').get(
        chainId,
      ) as { n: number }
    ).n;
  }

  // ---- cursor and window -------------------------------------------------------------

  cursor(chainId: number): { number: number; hash: string | null } | undefined {
    return this.prepare(
      'SELECT block_number AS "number", block_hash AS hash FROM chain_cursors WHERE chain_id = ?',
    ).get(chainId) as { number: number; hash: string | null } | undefined;
  }

  setCursor(chainId: number, number: number, hash: string | null, ts: number): void {
    this.prepare(
      `INSERT INTO chain_cursors (chain_id, block_number, block_hash, ts_updated) VALUES (?, ?, ?, ?)
         ON CONFLICT (chain_id) DO UPDATE SET block_number = excluded.block_number,
           block_hash = excluded.block_hash, ts_updated = excluded.ts_updated`,
    ).run(chainId, number, hash, ts);
  }

  addBlocks(chainId: number, blocks: ReadonlyArray<{ number: number; hash: string }>): void {
    const st = this.prepare(
      'INSERT OR REPLACE INTO chain_blocks (chain_id, block_number, block_hash) VALUES (?, ?, ?)',
    );
    for (const b of blocks) st.run(chainId, b.number, b.hash);
  }

  /** The stored window, newest first. */
  window(chainId: number): Array<{ number: number; hash: string }> {
    return this.prepare(
      `SELECT block_number AS "number", block_hash AS hash FROM chain_blocks
         WHERE chain_id = ? ORDER BY block_number DESC`,
    ).all(chainId) as Array<{ number: number; hash: string }>;
  }

  dropBlocksAbove(chainId: number, number: number): void {
    this.prepare('DELETE FROM chain_blocks WHERE chain_id = ? AND block_number > ?').run(
      chainId,
      number,
    );
  }

  pruneBlocks(chainId: number, below: number): void {
    this.prepare('DELETE FROM chain_blocks WHERE chain_id = ? AND block_number < ?').run(
      chainId,
      below,
    );
  }

  // ---- deposits ----------------------------------------------------------------------

  /**
   * Records a transfer once. Seen again (a rescan): nothing changes, unless it had been
   * orphaned and is now mined again, when it is revived as pending in its new block.
   * Answers the row's id when it was inserted or revived, else null.
   */
  recordTransfer(d: NewDeposit, ts: number): number | null {
    const r = this.prepare(
      `INSERT INTO deposits (chain_id, tx_hash, log_index, asset, user_id, address, token_contract,
           chain_amount, amount, remainder, block_number, block_hash, status, ts_seen, ts_updated)
         VALUES (@chainId, @txHash, @logIndex, @asset, @userId, @address, @tokenContract, @chainAmount,
           CAST(@amount AS INTEGER), @remainder, @blockNumber, @blockHash, 'pending', @ts, @ts)
         ON CONFLICT (chain_id, tx_hash, log_index) DO UPDATE SET status = 'pending', note = NULL,
           block_number = excluded.block_number, block_hash = excluded.block_hash,
           ts_updated = excluded.ts_updated
         WHERE deposits.status = 'orphaned'
         RETURNING id`,
    ).get({
      ...d,
      chainAmount: d.chainAmount.toString(),
      amount: d.amount.toString(),
      remainder: d.remainder.toString(),
      ts,
    }) as { id: number } | undefined;
    return r?.id ?? null;
  }

  deposit(id: number): DepositRow | undefined {
    const r = this.prepare(`SELECT ${DEPOSIT_COLUMNS} FROM deposits WHERE id = ?`).get(id) as
      Raw | undefined;
    return r && depositOf(r);
  }

  depositsOf(userId: string, asset: string | undefined, limit: number): DepositRow[] {
    const rows = (
      asset === undefined
        ? this.prepare(
            `SELECT ${DEPOSIT_COLUMNS} FROM deposits WHERE user_id = ? ORDER BY id DESC LIMIT ?`,
          ).all(userId, limit)
        : this.prepare(
            `SELECT ${DEPOSIT_COLUMNS} FROM deposits WHERE user_id = ? AND asset = ? ORDER BY id DESC LIMIT ?`,
          ).all(userId, asset, limit)
    ) as Raw[];
    return rows.map(depositOf);
  }

  allDeposits(status: DepositStatus | undefined, limit: number): DepositRow[] {
    const rows = (
      status === undefined
        ? this.prepare(`SELECT ${DEPOSIT_COLUMNS} FROM deposits ORDER BY id DESC LIMIT ?`).all(
            limit,
          )
        : this.prepare(
            `SELECT ${DEPOSIT_COLUMNS} FROM deposits WHERE status = ? ORDER BY id DESC LIMIT ?`,
          ).all(status, limit)
    ) as Raw[];
    return rows.map(depositOf);
  }

  /** Emails of these users (an id with no account left is absent). */
  emailsOf(userIds: string[]): Map<string, string> {
    return userEmails(this.sqlite, userIds);
  }

  depositsByStatus(chainId: number, status: DepositStatus): DepositRow[] {
    const rows = this.prepare(
      `SELECT ${DEPOSIT_COLUMNS} FROM deposits WHERE chain_id = ? AND status = ? ORDER BY id`,
    ).all(chainId, status) as Raw[];
    return rows.map(depositOf);
  }

  /** Pending or credited deposits in blocks above `number` (what a rewind to it touches). */
  depositsAbove(chainId: number, number: number): DepositRow[] {
    const rows = this.prepare(
      `SELECT ${DEPOSIT_COLUMNS} FROM deposits WHERE chain_id = ? AND block_number > ?
         AND status IN ('pending', 'credited') ORDER BY id`,
    ).all(chainId, number) as Raw[];
    return rows.map(depositOf);
  }

  setStatus(
    id: number,
    status: DepositStatus,
    ts: number,
    extra: { note?: string | null; entryId?: number; frozen?: bigint } = {},
  ): void {
    this.prepare(
      `UPDATE deposits SET status = @status, ts_updated = @ts,
           note = CASE WHEN @setNote THEN @note ELSE note END,
           entry_id = COALESCE(@entryId, entry_id),
           frozen = CASE WHEN @frozen IS NULL THEN frozen ELSE CAST(@frozen AS INTEGER) END
         WHERE id = @id`,
    ).run({
      id,
      status,
      ts,
      setNote: extra.note === undefined ? 0 : 1,
      note: extra.note ?? null,
      entryId: extra.entryId ?? null,
      frozen: extra.frozen === undefined ? null : extra.frozen.toString(),
    });
  }

  /** True when a ledger entry already names this deposit (the second guard of exactly-once). */
  creditEntryExists(depositId: number): boolean {
    return (
      this.prepare(
        "SELECT 1 FROM ledger_entries WHERE ref_type = 'deposit' AND ref_id = ? AND kind = 'deposit'",
      ).get(String(depositId)) !== undefined
    );
  }
}
