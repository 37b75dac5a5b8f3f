import type { Result } from '../money';
import { err, ok } from '../money';
import type { AccountKey } from './accounts';
import { isValidOwner } from './accounts';

/**
 * One line of a journal entry. `amount` is in the asset's minor units: positive credits
 * (increases) the account's balance, negative debits it. `asset` repeats `account.asset` so
 * a posting can be summed per asset without looking inside the key.
 */
export interface Posting {
  account: AccountKey;
  asset: string;
  amount: bigint;
}

/** What caused an entry. */
export type JournalKind =
  | 'funding'
  | 'correction'
  | 'order_hold'
  | 'trade_settlement'
  | 'order_release'
  /** A paper-broker account's demo balance, or a top-up / withdrawal of it. */
  | 'paper_funding'
  /** A paper-broker fill's realised P&L and commission. */
  | 'paper_settlement'
  /** A futures/CFD position's periodic financing (perpetual funding, overnight financing). */
  | 'paper_financing'
  /**
   * The net of old system-only entries (the simulator's) that were compacted away: each
   * account keeps its balance, and every balance still equals the sum of its postings.
   */
  | 'history_summary'
  /** A withdrawal's hold, its release (rejected, cancelled, failed) or its settlement. */
  | 'withdrawal'
  /** A confirmed on-chain deposit credited from `system:external`. */
  | 'deposit'
  /** A credited deposit whose block left the chain: its amount frozen for review. */
  | 'deposit_freeze'
  /** An administrator's decision on a frozen deposit: back to the user, or written off. */
  | 'deposit_resolve';

/** What `refId` points at: an admin funding request, a correction, an order or a trade. */
export type JournalRefType =
  | 'funding'
  | 'correction'
  | 'order'
  | 'trade'
  | 'paper_account'
  | 'paper_fill'
  | 'history'
  | 'withdrawal'
  /** A `deposits` row (its id). */
  | 'deposit'
  /** `accountId:symbol:periodStart` of one financing charge. */
  | 'paper_financing';

/**
 * A balanced set of postings, written atomically. For every asset in the entry the amounts
 * sum to zero (double entry): money only moves, it is never created or destroyed — except
 * against `system:external`/`system:corrections`, which stand for the world outside.
 */
export interface JournalEntry {
  kind: JournalKind;
  refType: JournalRefType;
  refId: string;
  /** Why (required for funding and corrections, optional elsewhere). */
  reason?: string;
  postings: readonly Posting[];
}

/** Sums amounts per asset. */
export function sumByAsset(postings: readonly Posting[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const p of postings) sums.set(p.asset, (sums.get(p.asset) ?? 0n) + p.amount);
  return sums;
}

function postingProblem(p: Posting): string | null {
  if (typeof p.amount !== 'bigint' || p.amount === 0n) return 'amount must be a non-zero bigint';
  if (p.asset !== p.account.asset)
    return `asset ${p.asset} differs from the account's ${p.account.asset}`;
  if (!isValidOwner(p.account.owner)) return `invalid owner ${JSON.stringify(p.account.owner)}`;
  if (p.asset === '') return 'asset is required';
  return null;
}

/**
 * Checks an entry: at least one posting, every posting non-zero and well formed, and per
 * asset the amounts sum to zero. Codes: `empty_entry`, `invalid_posting`, `unbalanced_entry`.
 */
export function validateEntry(entry: JournalEntry): Result<JournalEntry> {
  // Runs for every entry of every order, twice (when built and when applied): plain index
  // loops and no per-call Map, since entries have a handful of postings.
  const postings = entry.postings;
  const n = postings.length;
  if (n === 0) return err('empty_entry', `${entry.kind} ${entry.refId} has no postings`);
  for (let index = 0; index < n; index++) {
    const problem = postingProblem(postings[index] as Posting);
    if (problem) return err('invalid_posting', `posting ${index}: ${problem}`, { index });
  }
  for (let i = 0; i < n; i++) {
    const asset = (postings[i] as Posting).asset;
    if (firstWithAsset(postings, asset) < i) continue; // summed at its first posting
    let sum = 0n;
    for (let k = i; k < n; k++) {
      const p = postings[k] as Posting;
      if (p.asset === asset) sum += p.amount;
    }
    if (sum !== 0n) {
      return err('unbalanced_entry', `${entry.kind} ${entry.refId} does not balance in ${asset}`, {
        asset,
        sum: sum.toString(),
      });
    }
  }
  return ok(entry);
}

function firstWithAsset(postings: readonly Posting[], asset: string): number {
  let i = 0;
  while ((postings[i] as Posting).asset !== asset) i++;
  return i;
}

/** Builds a posting (the asset is taken from the account). */
export function posting(account: AccountKey, amount: bigint): Posting {
  return { account, asset: account.asset, amount };
}

/** Drops zero postings so builders can write every leg and let empty legs vanish. */
export function nonZero(postings: readonly Posting[]): Posting[] {
  return postings.filter((p) => p.amount !== 0n);
}
