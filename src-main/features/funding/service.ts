/**
 * Funding, deposits half, at run time: chain clients (RPC URL from the secret store), each
 * user's deposit address, reads of deposits, the listener's polls (one at a time) and the
 * live `deposits` stream.
 */
import type { FundingCheck } from './reconcile';
import QRCode from 'qrcode';
import { getAddress } from 'viem';
import { AppError } from '../../../src-shared/contract';
import { openChainClient, type ChainClient } from '../../connectors/chain/client';
import type { DatabaseHandle } from '../../db/database';
import { depositAddressAt, parseAccountXpub } from '../../domain/funding';
import { depositResolveEntry } from '../../domain/ledger';
import type { EventHub } from '../../events/hub';
import type { Logger } from '../../observability/logger';
import type { SecretStore } from '../../secrets/secret-store';
import type { AuditLog } from '../audit/audit-log';
import type { ExchangeApi } from '../exchange/api';
import type { NotificationService } from '../notifications/service';
import { DepositListener, type ChainPollReport } from './listener';
import {
  FundingRepo,
  type AssetFundingRow,
  type ChainRow,
  type DepositRow,
  type DepositStatus,
} from './repo';
import { depositView, type DepositView } from './views';

export interface FundingServiceOptions {
  store: DatabaseHandle;
  exchange: ExchangeApi;
  secrets: SecretStore;
  hub: EventHub;
  audit: AuditLog;
  notifications: Pick<NotificationService, 'notify'>;
  log: Logger;
  now: () => number;
}

/** The secret-store name of a chain's RPC URL. */
export const rpcSecretName = (chainId: number) => `funding.chain.${chainId}.rpc`;

/** Why an asset cannot be deposited (null: it can). */
export type SwitchReason = 'no_chain' | 'chain_disabled' | 'no_xpub' | 'switched_off';

export class FundingService {
  readonly repo: FundingRepo;
  readonly listener: DepositListener;
  private readonly clients = new Map<number, { url: string; client: ChainClient }>();
  private polling: Promise<unknown> = Promise.resolve();
  /** Test hook (crash tests): runs inside a credit's transaction, before it commits. */
  insideCredit: (() => void) | undefined;
  /** Reconciliation checks other features add (withdrawals), run after the built-in ones. */
  readonly extraChecks: FundingCheck[] = [];

  get store(): DatabaseHandle {
    return this.o.store;
  }

  get secrets(): SecretStore {
    return this.o.secrets;
  }

  constructor(private readonly o: FundingServiceOptions) {
    this.repo = new FundingRepo(o.store.sqlite);
    this.listener = new DepositListener({
      store: o.store,
      repo: this.repo,
      exchange: o.exchange,
      audit: o.audit,
      now: o.now,
      clientFor: (chain) => this.clientFor(chain),
      changed: (ids) => this.publish(ids),
      reversed: (rows) => this.alarm(rows),
      insideCredit: () => this.insideCredit?.(),
    });
  }

  /** A chain's client, rebuilt when its RPC URL changed. */
  async clientFor(chain: ChainRow): Promise<ChainClient> {
    const url = await this.o.secrets.get(chain.rpcSecret);
    if (!url) {
      throw new AppError(
        'funding_unavailable',
        `chain ${chain.chainId} has no RPC URL in the secret store`,
        undefined,
        503,
      );
    }
    const cached = this.clients.get(chain.chainId);
    if (cached?.url === url) return cached.client;
    const client = openChainClient({ chainId: chain.chainId, rpcUrl: url, batchSize: 32 });
    this.clients.set(chain.chainId, { url, client });
    return client;
  }

  forgetClient(chainId: number): void {
    this.clients.delete(chainId);
  }

  /** Polls every enabled chain once; one poll at a time (job runs and direct calls queue). */
  pollAll(signal?: AbortSignal): Promise<ChainPollReport[]> {
    const run = this.polling.then(async () => {
      const reports: ChainPollReport[] = [];
      for (const chain of this.repo.chains()) {
        if (!chain.enabled || signal?.aborted) continue;
        reports.push(await this.listener.poll(chain, signal));
      }
      return reports;
    });
    this.polling = run.catch(() => undefined);
    return run;
  }

  // ---- what users see ----------------------------------------------------------------

  /** Whether deposits of an asset are open (null) or why not. */
  depositBlock(
    setting: AssetFundingRow | undefined,
    chain: ChainRow | undefined,
  ): SwitchReason | null {
    if (!setting || !chain) return 'no_chain';
    if (!chain.enabled) return 'chain_disabled';
    if (!chain.xpub) return 'no_xpub';
    return setting.depositsEnabled ? null : 'switched_off';
  }

  withdrawalBlock(
    setting: AssetFundingRow | undefined,
    chain: ChainRow | undefined,
  ): SwitchReason | null {
    if (!setting || !chain) return 'no_chain';
    if (!chain.enabled) return 'chain_disabled';
    return setting.withdrawalsEnabled ? null : 'switched_off';
  }

  assetsForUsers(assetCodes: readonly string[]) {
    const chains = new Map(this.repo.chains().map((c) => [c.chainId, c]));
    const settings = new Map(this.repo.assetSettings().map((s) => [s.asset, s]));
    return assetCodes.map((asset) => {
      const s = settings.get(asset);
      const chain = s && chains.get(s.chainId);
      const dep = this.depositBlock(s, chain);
      const wd = this.withdrawalBlock(s, chain);
      return {
        asset,
        chainId: s?.chainId ?? null,
        chainName: chain?.name ?? null,
        tokenContract: s?.tokenContract ? getAddress(s.tokenContract) : null,
        confirmations: s?.confirmations ?? null,
        deposits: { enabled: dep === null, reason: dep },
        withdrawals: { enabled: wd === null, reason: wd },
      };
    });
  }

  /** The user's address on the asset's chain, allocated once (index taken in the same transaction). */
  async depositAddress(userId: string, asset: string) {
    if (!this.o.exchange.asset(asset))
      throw new AppError('unknown_asset', `No asset ${asset}`, { asset }, 404);
    const setting = this.repo.assetSetting(asset);
    const chain = setting && this.repo.chain(setting.chainId);
    const blocked = this.depositBlock(setting, chain);
    if (blocked !== null || !setting || !chain) {
      throw new AppError(
        'funding_unavailable',
        depositRefusal(asset, blocked),
        { asset, reason: blocked },
        409,
      );
    }
    const key = parseAccountXpub(chain.xpub!);
    if (!key.ok)
      throw new AppError(
        'funding_unavailable',
        `chain ${chain.chainId}: ${key.error.message}`,
        undefined,
        409,
      );
    const address = this.o.store.write('funding.address', () => {
      const existing = this.repo.address(chain.chainId, userId);
      if (existing) return existing.address;
      const index = this.repo.takeAddressIndex(chain.chainId);
      const derived = depositAddressAt(key.value, index).toLowerCase();
      this.repo.insertAddress(chain.chainId, userId, index, derived, this.o.now());
      return derived;
    });
    const checksummed = getAddress(address);
    const svg = await QRCode.toString(checksummed, { type: 'svg', margin: 1 });
    return {
      asset,
      chainId: chain.chainId,
      chainName: chain.name,
      address: checksummed,
      qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
      confirmations: setting.confirmations,
      tokenContract: setting.tokenContract ? getAddress(setting.tokenContract) : null,
    };
  }

  view(d: DepositRow): DepositView {
    const scale = this.o.exchange.asset(d.asset)?.scale ?? 0;
    return depositView(
      d,
      scale,
      this.repo.assetSetting(d.asset),
      this.repo.cursor(d.chainId)?.number,
    );
  }

  deposits(userId: string, asset: string | undefined, limit: number): DepositView[] {
    return this.repo.depositsOf(userId, asset, limit).map((d) => this.view(d));
  }

  adminDeposits(status: DepositStatus | undefined, limit: number) {
    const rows = this.repo.allDeposits(status, limit);
    const emails = this.repo.emailsOf(rows.map((d) => d.userId));
    return rows.map((d) => ({
      ...this.view(d),
      userId: d.userId,
      userEmail: emails.get(d.userId) ?? null,
    }));
  }

  /**
   * An administrator's decision on a reversed deposit (once): its frozen amount back to the
   * user or to the outside world, audited in the same transaction.
   */
  async resolve(
    id: number,
    action: 'release' | 'write_off',
    reason: string,
    audit: (details: object) => void,
  ) {
    const d = this.repo.deposit(id);
    if (!d) throw new AppError('not_found', `No deposit ${id}`, undefined, 404);
    if (d.status !== 'reversed' || d.note !== 'reorg_after_credit') {
      throw new AppError(
        'conflict',
        `deposit ${id} is ${d.status} (${d.note ?? 'no note'}): nothing to decide`,
        undefined,
        409,
      );
    }
    await this.o.exchange.post((tx) => {
      const ts = tx.ts;
      if (d.frozen > 0n) {
        const entry = depositResolveEntry({
          depositId: id,
          userId: d.userId,
          asset: d.asset,
          frozen: d.frozen,
          action,
          reason,
        });
        if (!entry.ok) throw new AppError(entry.error.code, entry.error.message);
        tx.record(entry.value);
      }
      tx.alsoWrite(() => {
        this.repo.setStatus(id, 'reversed', ts, {
          note: action === 'release' ? 'released' : 'written_off',
        });
        audit({
          depositId: id,
          userId: d.userId,
          asset: d.asset,
          frozen: d.frozen.toString(),
          action,
          reason,
        });
      });
    });
    this.publish([id]);
    const row = this.repo.deposit(id)!;
    return { ...this.view(row), userId: row.userId };
  }

  // ---- events ------------------------------------------------------------------------

  private publish(ids: readonly number[]): void {
    for (const id of ids) {
      const d = this.repo.deposit(id);
      if (!d) continue;
      this.o.hub.publishLazy('deposits', () => this.view(d), { kind: 'user', userId: d.userId });
    }
  }

  /** A credited deposit left the chain: administrators and the user are told (audit: listener). */
  private alarm(rows: ReadonlyArray<DepositRow & { frozen: bigint }>): void {
    for (const r of rows) {
      const v = this.view({ ...r, frozen: r.frozen });
      const shortfall = r.amount - r.frozen;
      this.o.log.error({ depositId: r.id, txHash: r.txHash }, 'credited deposit left the chain');
      this.o.notifications.notify({
        level: 'error',
        kind: 'funding.deposit_reversed',
        title: `Deposit ${r.id} (${v.amount} ${r.asset}) left the chain after credit`,
        body:
          `User ${r.userId}, tx ${r.txHash}. ${v.frozen} ${r.asset} frozen for review` +
          (shortfall > 0n ? `; the rest was already spent and is owed by the user.` : '.'),
      });
      this.o.notifications.notify({
        userId: r.userId,
        level: 'warning',
        kind: 'funding.deposit_reversed',
        title: `Your deposit of ${v.amount} ${r.asset} was reversed by the chain`,
        body: `Its block is no longer part of the chain. ${v.frozen} ${r.asset} is frozen while an administrator reviews it.`,
      });
    }
  }
}

function depositRefusal(asset: string, reason: SwitchReason | null): string {
  switch (reason) {
    case 'no_chain':
      return `${asset} has no chain set up: it cannot be deposited`;
    case 'chain_disabled':
      return `the chain of ${asset} is switched off`;
    case 'no_xpub':
      return `the chain of ${asset} has no deposit key (xpub) yet`;
    default:
      return `deposits of ${asset} are switched off`;
  }
}
