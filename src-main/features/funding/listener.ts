/**
 * The deposit listener: per chain, a persisted cursor (the last verified block) and a window of
 * recent block hashes. Each poll first checks that the cursor's block is still canonical (else
 * walks the window back to the common ancestor and rewinds: pending deposits above it are
 * orphaned, credited ones reversed and frozen), then scans forward in ranges, committing a
 * range only when its blocks chain onto the cursor, and credits what has its confirmations.
 *
 * Exactly once: a transfer is one `deposits` row (`UNIQUE(chain, tx, logIndex)`), and its
 * credit (the ledger entry, refType `deposit` / refId the row id) and the row's `credited`
 * status are written in ONE transaction (the exchange's batch), after checking that neither
 * the row nor the ledger says it was credited already.
 */
import { AppError } from '../../../src-shared/contract';
import { blockAt, headOf, scanRange, type SeenTransfer } from '../../connectors/chain/scanner';
import type { ChainClient } from '../../connectors/chain/client';
import type { DatabaseHandle } from '../../db/database';
import { afterReorg, chainToLedger, confirmationsAt, linksOnto } from '../../domain/funding';
import { depositEntry, depositFreezeEntry } from '../../domain/ledger';
import type { AuditLog } from '../audit/audit-log';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import type { ExchangeApi } from '../exchange/api';
import type { AssetFundingRow, ChainRow, DepositRow, FundingRepo } from './repo';

/** Verified block hashes kept per chain: the deepest reorg the listener can walk back. */
export const BLOCK_WINDOW = 128;
/** Consecutive polls whose blocks would not link before the job fails loudly. */
const MAX_INCONSISTENT_POLLS = 10;

export interface ListenerDeps {
  store: DatabaseHandle;
  repo: FundingRepo;
  exchange: ExchangeApi;
  audit: AuditLog;
  now: () => number;
  clientFor(chain: ChainRow): Promise<ChainClient>;
  /** A deposit changed (seen, confirmed further, credited, orphaned, reversed). */
  changed(ids: readonly number[]): void;
  /** A credited deposit left the chain: alarm administrators and the user. */
  reversed(rows: ReadonlyArray<DepositRow & { frozen: bigint }>): void;
  /** Test hook: runs inside the credit's transaction, before it commits (crash tests). */
  insideCredit?: () => void;
}

export interface ChainPollReport {
  chainId: number;
  head: number;
  cursor: number;
  blocksScanned: number;
  seen: number;
  credited: number;
  reorgDepth: number;
  retry: boolean;
}

type Tip = { number: number; hash: string | null };

interface ChainAssets {
  native: AssetFundingRow | undefined;
  byToken: Map<string, AssetFundingRow>;
  byAsset: Map<string, AssetFundingRow>;
}

function assetsOn(repo: FundingRepo, chainId: number): ChainAssets {
  const rows = repo.assetSettings().filter((a) => a.chainId === chainId);
  return {
    native: rows.find((a) => a.tokenContract === null),
    byToken: new Map(rows.filter((a) => a.tokenContract).map((a) => [a.tokenContract!, a])),
    byAsset: new Map(rows.map((a) => [a.asset, a])),
  };
}

export class DepositListener {
  private readonly inconsistent = new Map<number, number>();

  constructor(private readonly d: ListenerDeps) {}

  /** One poll of one chain: reorg check, forward scan up to the head, credits. */
  async poll(chain: ChainRow, signal?: AbortSignal): Promise<ChainPollReport> {
    const { repo } = this.d;
    const client = await this.d.clientFor(chain);
    const assets = assetsOn(repo, chain.chainId);
    const head = Number(await headOf(client));
    const report: ChainPollReport = {
      chainId: chain.chainId,
      head,
      cursor: 0,
      blocksScanned: 0,
      seen: 0,
      credited: 0,
      reorgDepth: 0,
      retry: false,
    };
    let tip: Tip = repo.cursor(chain.chainId) ?? (await this.start(chain, client, head));
    if (tip.hash !== null) {
      const now = await blockAt(client, BigInt(tip.number));
      if (now?.hash !== tip.hash) {
        const ancestor = await this.ancestor(chain.chainId, client, tip.number);
        report.reorgDepth = tip.number - ancestor.number;
        await this.rewind(chain.chainId, ancestor);
        tip = ancestor;
      }
    }
    const changed = new Set<number>();
    while (tip.number < head && !signal?.aborted) {
      const to = Math.min(head, tip.number + chain.maxBlocksPerPoll);
      const next = await this.scan(chain.chainId, client, tip, to, assets, changed);
      if (!next) {
        report.retry = true;
        break;
      }
      report.blocksScanned += next.number - tip.number;
      tip = next;
      report.credited += await this.creditConfirmed(chain.chainId, tip.number, assets, changed);
      repo.pruneBlocks(chain.chainId, tip.number - BLOCK_WINDOW);
    }
    report.credited += await this.creditConfirmed(chain.chainId, tip.number, assets, changed);
    report.cursor = tip.number;
    report.seen = changed.size;
    // Pending deposits gained confirmations even when nothing else about them changed.
    for (const p of repo.depositsByStatus(chain.chainId, 'pending')) changed.add(p.id);
    if (changed.size > 0) this.d.changed([...changed]);
    return report;
  }

  /** First poll of a chain without a start block: begin at the head. */
  private async start(chain: ChainRow, client: ChainClient, head: number): Promise<Tip> {
    const b = await blockAt(client, BigInt(head));
    if (!b) throw new Error(`chain ${chain.chainId} has no block ${head}`);
    this.d.store.write('funding.cursor', () => {
      this.d.repo.setCursor(chain.chainId, head, b.hash, this.d.now());
      this.d.repo.addBlocks(chain.chainId, [{ number: head, hash: b.hash }]);
    });
    return { number: head, hash: b.hash };
  }

  /** The newest block of the window that is still canonical. */
  private async ancestor(chainId: number, client: ChainClient, below: number): Promise<Tip> {
    const window = this.d.repo.window(chainId).filter((w) => w.number < below);
    for (const w of window) {
      const b = await blockAt(client, BigInt(w.number));
      if (b?.hash === w.hash) return w;
    }
    throw new Error(
      `chain ${chainId}: reorg deeper than the ${BLOCK_WINDOW}-block window below block ${below}; the listener stops until an administrator looks`,
    );
  }

  /**
   * Rewinds to `ancestor` in one transaction: pending deposits above it are orphaned, credited
   * ones reversed with what is left of their amount frozen (user available → system:frozen).
   */
  private async rewind(chainId: number, ancestor: Tip): Promise<void> {
    const { repo, exchange } = this.d;
    const affected = repo.depositsAbove(chainId, ancestor.number);
    const reversed = await exchange.post((tx) => {
      const ts = tx.ts;
      const out: Array<DepositRow & { frozen: bigint }> = [];
      for (const d of affected) {
        if (d.status !== 'credited') continue;
        const available = exchange.holdings(d.userId, d.asset).available;
        const frozen = available < d.amount ? (available > 0n ? available : 0n) : d.amount;
        if (frozen > 0n) {
          const entry = depositFreezeEntry({
            depositId: d.id,
            userId: d.userId,
            asset: d.asset,
            frozen,
            transfer: `${d.txHash}:${d.logIndex}`,
          });
          if (!entry.ok) throw new AppError(entry.error.code, entry.error.message);
          tx.record(entry.value);
        }
        out.push({ ...d, frozen });
      }
      tx.alsoWrite(() => {
        for (const d of affected) {
          const status = afterReorg(d.status as 'pending' | 'credited');
          const r = out.find((x) => x.id === d.id);
          repo.setStatus(d.id, status, ts, {
            note: status === 'reversed' ? 'reorg_after_credit' : 'reorg',
            ...(r ? { frozen: r.frozen } : {}),
          });
        }
        for (const r of out) {
          this.d.audit.record({
            actor: SYSTEM_ACTOR,
            action: 'funding.depositReversed',
            target: r.userId,
            details: {
              depositId: r.id,
              asset: r.asset,
              txHash: r.txHash,
              amount: r.amount.toString(),
              frozen: r.frozen.toString(),
              shortfall: (r.amount - r.frozen).toString(),
            },
          });
        }
        repo.dropBlocksAbove(chainId, ancestor.number);
        repo.setCursor(chainId, ancestor.number, ancestor.hash, ts);
      });
      return out;
    });
    if (affected.length > 0) this.d.changed(affected.map((d) => d.id));
    if (reversed.length > 0) this.d.reversed(reversed);
  }

  /** Scans `tip+1..to`; commits and answers the new tip, or null when the blocks did not link. */
  private async scan(
    chainId: number,
    client: ChainClient,
    tip: Tip,
    to: number,
    assets: ChainAssets,
    changed: Set<number>,
  ): Promise<Tip | null> {
    const { repo } = this.d;
    const watched = repo.watched(chainId);
    const result = await scanRange(client, {
      from: BigInt(tip.number + 1),
      to: BigInt(to),
      watched: new Set(watched.keys()),
      tokens: [...assets.byToken.keys()],
      native: assets.native !== undefined,
    });
    const linked = linksOnto({ number: BigInt(tip.number), hash: tip.hash }, result.blocks);
    if (!linked || !result.consistent) {
      const n = (this.inconsistent.get(chainId) ?? 0) + 1;
      this.inconsistent.set(chainId, n);
      if (n >= MAX_INCONSISTENT_POLLS) {
        throw new Error(`chain ${chainId}: ${n} polls in a row read blocks that do not link`);
      }
      return null;
    }
    this.inconsistent.delete(chainId);
    const last = result.blocks[result.blocks.length - 1]!;
    const ts = this.d.now();
    this.d.store.write('funding.scan', () => {
      for (const t of result.transfers) {
        const id = this.record(chainId, t, watched, assets, ts);
        if (id !== null) changed.add(id);
      }
      // Only the window's worth is kept: older hashes of a long catch-up would be pruned anyway.
      repo.addBlocks(
        chainId,
        result.blocks.slice(-BLOCK_WINDOW).map((b) => ({ number: Number(b.number), hash: b.hash })),
      );
      repo.setCursor(chainId, to, last.hash, ts);
    });
    return { number: to, hash: last.hash };
  }

  private record(
    chainId: number,
    t: SeenTransfer,
    watched: Map<string, string>,
    assets: ChainAssets,
    ts: number,
  ): number | null {
    const userId = watched.get(t.to);
    const setting = t.tokenContract === null ? assets.native : assets.byToken.get(t.tokenContract);
    const scale = setting && this.d.exchange.asset(setting.asset)?.scale;
    if (!userId || !setting || scale === undefined) return null;
    const { amount, remainder } = chainToLedger(t.value, setting.tokenDecimals, scale);
    return this.d.repo.recordTransfer(
      {
        chainId,
        txHash: t.txHash,
        logIndex: t.logIndex,
        asset: setting.asset,
        userId,
        address: t.to,
        tokenContract: t.tokenContract,
        chainAmount: t.value,
        amount,
        remainder,
        blockNumber: Number(t.blockNumber),
        blockHash: t.blockHash,
      },
      ts,
    );
  }

  /**
   * Credits pending deposits with their confirmations (counted against the verified cursor).
   * One that cannot be credited (deposits of its asset switched off, less than one minor
   * unit) is marked `not_credited` instead, and stays recorded.
   */
  private async creditConfirmed(
    chainId: number,
    cursor: number,
    assets: ChainAssets,
    changed: Set<number>,
  ): Promise<number> {
    const { repo, exchange } = this.d;
    const ready = repo.depositsByStatus(chainId, 'pending').filter((d) => {
      const s = assets.byAsset.get(d.asset);
      return (
        s !== undefined && confirmationsAt(BigInt(cursor), BigInt(d.blockNumber)) >= s.confirmations
      );
    });
    if (ready.length === 0) return 0;
    const refused = ready.filter(
      (d) => !assets.byAsset.get(d.asset)!.depositsEnabled || d.amount === 0n,
    );
    if (refused.length > 0) {
      this.d.store.write('funding.notCredited', () => {
        for (const d of refused) {
          const note = d.amount === 0n ? 'below_minor_unit' : 'deposits_disabled';
          repo.setStatus(d.id, 'not_credited', this.d.now(), { note });
          changed.add(d.id);
        }
      });
    }
    const credit = ready.filter((d) => !refused.includes(d));
    if (credit.length === 0) return 0;
    const done = await exchange.post((tx) => {
      const ts = tx.ts;
      const ids: Array<{ id: number; entryId: number }> = [];
      for (const d of credit) {
        // The second and third guards: the row and the ledger as committed so far.
        if (repo.deposit(d.id)?.status !== 'pending' || repo.creditEntryExists(d.id)) continue;
        const entry = depositEntry({
          depositId: d.id,
          userId: d.userId,
          asset: d.asset,
          amount: d.amount,
          transfer: `${d.chainId}:${d.txHash}:${d.logIndex}`,
        });
        if (!entry.ok) throw new AppError(entry.error.code, entry.error.message);
        ids.push({ id: d.id, entryId: tx.record(entry.value) });
      }
      if (ids.length > 0) {
        tx.alsoWrite(() => {
          for (const { id, entryId } of ids) repo.setStatus(id, 'credited', ts, { entryId });
          this.d.insideCredit?.();
        });
      }
      return ids;
    });
    for (const { id } of done) changed.add(id);
    return done.length;
  }
}
