import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

/**
 * One deposit address per user per chain, derived watch-only from the chain's xpub at
 * `m/…/0/{addressIndex}`. The index is taken from `chain_networks.next_address_index` in the
 * same transaction that inserts the row, so an index is never handed out twice.
 */
export const depositAddresses = sqliteTable(
  'deposit_addresses',
  {
    chainId: integer('chain_id').notNull(),
    userId: text('user_id').notNull(),
    addressIndex: integer('address_index').notNull(),
    /** Lower-case 0x hex (what logs and blocks are matched against); shown EIP-55 checksummed. */
    address: text('address').notNull(),
    tsCreated: integer('ts_created').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.userId] }),
    uniqueIndex('deposit_addresses_address_idx').on(t.chainId, t.address),
    uniqueIndex('deposit_addresses_index_idx').on(t.chainId, t.addressIndex),
  ],
);

/**
 * A transfer seen on chain to a deposit address. `(chain, tx, logIndex)` is unique (native
 * ETH: logIndex −1), so a rescan never records a transfer twice; the credit's ledger entry
 * names the deposit id as its ref, and both are written in one transaction.
 *
 * Status: `pending` (waiting for confirmations) → `credited`; `orphaned` (its block left
 * the canonical chain before credit; revived if the same transfer is mined again);
 * `reversed` (its block left the chain after credit: an alarm, the amount frozen);
 * `not_credited` (deposits of the asset were off, or the amount is below one minor unit).
 */
export const deposits = sqliteTable(
  'deposits',
  {
    id: integer('id').primaryKey(),
    chainId: integer('chain_id').notNull(),
    txHash: text('tx_hash').notNull(),
    logIndex: integer('log_index').notNull(),
    asset: text('asset').notNull(),
    userId: text('user_id').notNull(),
    address: text('address').notNull(),
    /** Null for the native coin. */
    tokenContract: text('token_contract'),
    /** The transferred amount in the chain's unit (wei, token base units), decimal string. */
    chainAmount: text('chain_amount').notNull(),
    /** What is (or would be) credited, in the asset's ledger minor units, rounded down. */
    amount: integer('amount').notNull(),
    /** The part of `chainAmount` below one minor unit, in the chain's unit (not credited). */
    remainder: text('remainder').notNull(),
    blockNumber: integer('block_number').notNull(),
    blockHash: text('block_hash').notNull(),
    status: text('status', {
      enum: ['pending', 'credited', 'orphaned', 'reversed', 'not_credited'],
    }).notNull(),
    /** Why `not_credited` or `reversed` (machine code). */
    note: text('note'),
    /** Minor units moved to `system:frozen` when a credited deposit was reversed. */
    frozen: integer('frozen').notNull().default(0),
    /** The credit's ledger entry id. */
    entryId: integer('entry_id'),
    tsSeen: integer('ts_seen').notNull(),
    tsUpdated: integer('ts_updated').notNull(),
  },
  (t) => [
    uniqueIndex('deposits_transfer_idx').on(t.chainId, t.txHash, t.logIndex),
    index('deposits_user_idx').on(t.userId, t.id),
    index('deposits_status_idx').on(t.chainId, t.status),
  ],
);

/**
 * The listener's verified position on each chain: the last block whose hash chain it checked
 * (null hash: a start block chosen by an admin, not yet read).
 */
export const chainCursors = sqliteTable('chain_cursors', {
  chainId: integer('chain_id').primaryKey(),
  blockNumber: integer('block_number').notNull(),
  blockHash: text('block_hash'),
  tsUpdated: integer('ts_updated').notNull(),
});

/** Hashes of the recent verified blocks (a window): where a reorg is walked back to. */
export const chainBlocks = sqliteTable(
  'chain_blocks',
  {
    chainId: integer('chain_id').notNull(),
    blockNumber: integer('block_number').notNull(),
    blockHash: text('block_hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.blockNumber] })],
);
