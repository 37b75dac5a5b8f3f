import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { assets } from './exchange';

/**
 * How an asset moves on and off a chain: which chain, which token contract (none: the chain's
 * native coin), how many confirmations credit a deposit, whether deposits and withdrawals are
 * switched on, and the withdrawal fee and approval limits. Amounts are the asset's ledger minor
 * units (its `scale`), read as bigint (safeIntegers) as the exchange's balances are; `tokenDecimals` is the chain's own unit (18 for ETH), so
 * a chain amount is converted exactly between the two. An asset without a row has no chain:
 * its deposits and withdrawals answer `funding_unavailable`.
 */
export const assetFunding = sqliteTable('asset_funding', {
  asset: text('asset')
    .primaryKey()
    .references(() => assets.code, { onDelete: 'cascade' }),
  /** EIP-155 chain id (1 mainnet, 11155111 Sepolia, 31337 a local node). */
  chainId: integer('chain_id').notNull(),
  /** ERC-20 contract address, lower-case 0x hex; null for the native coin. */
  tokenContract: text('token_contract'),
  /** Decimals of the on-chain unit (18 for ETH, 6 for most USDT/USDC deployments). */
  tokenDecimals: integer('token_decimals').notNull(),
  /** Blocks (including the one holding the transfer) before a deposit is credited. */
  confirmations: integer('confirmations').notNull(),
  depositsEnabled: integer('deposits_enabled', { mode: 'boolean' }).notNull().default(false),
  withdrawalsEnabled: integer('withdrawals_enabled', { mode: 'boolean' }).notNull().default(false),
  /** Charged on top of each withdrawal, to the fee account (minor units). */
  withdrawalFee: integer('withdrawal_fee').notNull().default(0),
  /** Smallest withdrawal amount accepted (minor units, fee excluded). */
  withdrawalMin: integer('withdrawal_min').notNull().default(0),
  /** At or below: approved without an admin. 0 means every withdrawal needs an admin. */
  autoApproveLimit: integer('auto_approve_limit').notNull().default(0),
  /** Above: two different admins must approve; null means one admin always suffices. */
  dualApprovalLimit: integer('dual_approval_limit'),
  tsUpdated: integer('ts_updated').notNull(),
  updatedBy: text('updated_by').notNull(),
});

/**
 * A chain Bourse watches and sends on. The RPC URL sits in the secret store (provider URLs
 * usually embed an API key), as does the hot wallet's private key; the database keeps their
 * secret names. The xpub is watch-only (it can derive deposit addresses, never spend), so it is
 * kept here; `nextAddressIndex` is the next unused derivation index of `m/…/0/i`.
 */
export const chainNetworks = sqliteTable('chain_networks', {
  chainId: integer('chain_id').primaryKey(),
  name: text('name').notNull(),
  /** Secret-store name of the JSON-RPC URL. */
  rpcSecret: text('rpc_secret').notNull(),
  /** Account-level extended public key (`xpub…` of m/44'/60'/0'); null: no deposits yet. */
  xpub: text('xpub'),
  nextAddressIndex: integer('next_address_index').notNull().default(0),
  /** Secret-store name of the hot wallet's private key; null: no withdrawals yet. */
  hotWalletSecret: text('hot_wallet_secret'),
  /** The hot wallet's address (public), lower-case hex. */
  hotWalletAddress: text('hot_wallet_address'),
  /** How often the listener polls the chain head (ms), and the widest block range per poll. */
  pollMs: integer('poll_ms').notNull().default(4000),
  maxBlocksPerPoll: integer('max_blocks_per_poll').notNull().default(500),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  tsUpdated: integer('ts_updated').notNull(),
  updatedBy: text('updated_by').notNull(),
});
