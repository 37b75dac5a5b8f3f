import type { Backend } from '../../src-main/backend';
import type { Principal } from '../../src-main/operations/principal';
import { ensureUser, fund } from './exchange';

export const LOCAL_CHAIN = 31337;

/** An asset's chain settings as the funding feature's admin operations would store them. */
export interface ChainSetup {
  asset?: string;
  chainId?: number;
  tokenContract?: string | null;
  tokenDecimals?: number;
  confirmations?: number;
  withdrawalsEnabled?: boolean;
  /** Minor units of the asset's ledger scale. */
  fee?: number;
  min?: number;
  autoApproveLimit?: number;
  dualApprovalLimit?: number | null;
  /** Put in the secret store under `test.rpc` (none: the chain has no reachable node). */
  rpcUrl?: string;
  /** The hot wallet's private key, stored in the secret store; null: no hot wallet. */
  hotWalletKey?: string | null;
  hotWalletAddress?: string;
}

/**
 * Inserts the `asset_funding` and `chain_networks` rows directly (the funding feature owns the
 * admin operations that write them) and puts the RPC URL and hot wallet key in the secret store.
 */
export async function configureChain(backend: Backend, c: ChainSetup = {}): Promise<void> {
  const chainId = c.chainId ?? LOCAL_CHAIN;
  const db = backend.store.sqlite;
  const key = c.hotWalletKey === undefined ? null : c.hotWalletKey;
  db.prepare(
    `INSERT INTO chain_networks (chain_id, name, rpc_secret, hot_wallet_secret, hot_wallet_address,
       ts_updated, updated_by) VALUES (?, 'local', 'test.rpc', ?, ?, 0, 'test')
     ON CONFLICT(chain_id) DO UPDATE SET hot_wallet_secret = excluded.hot_wallet_secret,
       hot_wallet_address = excluded.hot_wallet_address`,
  ).run(
    chainId,
    key === null ? null : 'test.hotWallet',
    key === null
      ? null
      : (c.hotWalletAddress ?? '0x0000000000000000000000000000000000000001').toLowerCase(),
  );
  db.prepare(
    `INSERT OR REPLACE INTO asset_funding (asset, chain_id, token_contract, token_decimals,
       confirmations, deposits_enabled, withdrawals_enabled, withdrawal_fee, withdrawal_min,
       auto_approve_limit, dual_approval_limit, ts_updated, updated_by)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0, 'test')`,
  ).run(
    c.asset ?? 'ETH',
    chainId,
    c.tokenContract ?? null,
    c.tokenDecimals ?? 18,
    c.confirmations ?? 2,
    c.withdrawalsEnabled === false ? 0 : 1,
    c.fee ?? 100_000,
    c.min ?? 1_000_000,
    c.autoApproveLimit ?? 100_000_000,
    c.dualApprovalLimit === undefined ? 1_000_000_000 : c.dualApprovalLimit,
  );
  if (c.rpcUrl) await backend.secrets.set('test.rpc', c.rpcUrl);
  if (key !== null) await backend.secrets.set('test.hotWallet', key);
}

/** A signed-in user principal that may withdraw (no identity round trip). */
export function withdrawer(userId: string): Principal {
  return {
    kind: 'user',
    userId,
    role: 'trader',
    permissions: new Set(['wallet.read', 'wallet.withdraw', 'orders.trade']),
  };
}

/** An address-book entry already past its cool-off (inserted directly). */
export function cooledAddress(
  backend: Backend,
  userId: string,
  address: string,
  id = `addr-${address.slice(2, 10)}`,
) {
  ensureUser(backend, userId);
  backend.store.sqlite
    .prepare(
      `INSERT INTO withdrawal_addresses (id, user_id, chain_id, address, label, ts_created, ts_usable)
       VALUES (?, ?, ?, ?, 'test', 0, 0)`,
    )
    .run(id, userId, LOCAL_CHAIN, address);
  return id;
}

/**
 * A withdrawal requested through the service (no 2FA round trip: the operation's checks have
 * their own tests). Funds the user first when `funding` is given.
 */
export async function requestWithdrawal(
  backend: Backend,
  userId: string,
  input: { addressId: string; amount: string; asset?: string; clientRequestId?: string },
  funding?: string,
) {
  if (funding) await fund(backend, userId, input.asset ?? 'ETH', funding);
  return backend.features.withdrawals.service.request({ actor: userId }, userId, 'app', {
    clientRequestId: input.clientRequestId ?? `c-${Math.random().toString(36).slice(2)}`,
    asset: input.asset ?? 'ETH',
    amount: input.amount,
    addressId: input.addressId,
  });
}
