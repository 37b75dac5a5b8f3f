import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { users } from './identity';

/**
 * A user's withdrawal address book. An address is usable from `tsUsable` on (the cool-off
 * after adding it), so a stolen session cannot add an address and drain the account at once.
 * Removed entries are kept (`tsRemoved`) because withdrawals point at them.
 */
export const withdrawalAddresses = sqliteTable(
  'withdrawal_addresses',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    chainId: integer('chain_id').notNull(),
    /** EIP-55 checksummed. */
    address: text('address').notNull(),
    label: text('label').notNull(),
    tsCreated: integer('ts_created').notNull(),
    tsUsable: integer('ts_usable').notNull(),
    tsRemoved: integer('ts_removed'),
  },
  (t) => [index('withdrawal_addresses_user').on(t.userId, t.tsRemoved)],
);

/**
 * One withdrawal from request to settlement. Amounts are decimal strings of integer units
 * (exact, and a chain amount in wei passes 2^63): `amount` and `fee` in the asset's ledger
 * minor units, `chainAmount` in the token's on-chain units. `raw` and `txHash` are written
 * before the transaction is sent, so a crash after signing re-sends the same bytes.
 */
export const withdrawals = sqliteTable(
  'withdrawals',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    /** The caller's idempotency key: a repeated request answers the first withdrawal. */
    clientRequestId: text('client_request_id').notNull(),
    asset: text('asset').notNull(),
    chainId: integer('chain_id').notNull(),
    addressId: text('address_id').notNull(),
    toAddress: text('to_address').notNull(),
    amount: text('amount').notNull(),
    fee: text('fee').notNull(),
    chainAmount: text('chain_amount').notNull(),
    /** Null for the chain's native coin. */
    tokenContract: text('token_contract'),
    status: text('status').notNull(),
    /** Admin approvals needed (0 = auto-approved), fixed at request time. */
    approvalsRequired: integer('approvals_required').notNull(),
    /** `app` (2FA) or `apiKey:<id>`. */
    requestedVia: text('requested_via').notNull(),
    fromAddress: text('from_address'),
    nonce: integer('nonce'),
    raw: text('raw'),
    txHash: text('tx_hash'),
    blockNumber: integer('block_number'),
    blockHash: text('block_hash'),
    confirmations: integer('confirmations').notNull().default(0),
    broadcasts: integer('broadcasts').notNull().default(0),
    /** Why it was rejected, cancelled or failed. */
    reason: text('reason'),
    decidedBy: text('decided_by'),
    tsCreated: integer('ts_created').notNull(),
    tsUpdated: integer('ts_updated').notNull(),
  },
  (t) => [
    uniqueIndex('withdrawals_client_request').on(t.userId, t.clientRequestId),
    index('withdrawals_status').on(t.status),
    index('withdrawals_user_time').on(t.userId, t.tsCreated),
  ],
);

/** Each admin's approval of a withdrawal; the primary key keeps one per admin. */
export const withdrawalApprovals = sqliteTable(
  'withdrawal_approvals',
  {
    withdrawalId: text('withdrawal_id')
      .notNull()
      .references(() => withdrawals.id),
    adminId: text('admin_id').notNull(),
    ts: integer('ts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.withdrawalId, t.adminId] })],
);

/**
 * The local nonce of each hot wallet (one signer per wallet): the next nonce to sign with,
 * advanced in the same transaction that stores the signed bytes.
 */
export const withdrawalSigners = sqliteTable(
  'withdrawal_signers',
  {
    chainId: integer('chain_id').notNull(),
    address: text('address').notNull(),
    nextNonce: integer('next_nonce').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.address] })],
);
