/**
 * Admin settings of chains and of each asset's funding: validated, the RPC URL kept in the
 * secret store (the view shows its host only), and audited with the change.
 */
import { getAddress } from 'viem';
import { AppError, type OperationInput, type OperationOutput } from '../../../src-shared/contract';
import { checkAssetFunding, parseAccountXpub } from '../../domain/funding';
import { formatDecimalTrimmed, parseDecimal } from '../../domain/money';
import type { OperationContext } from '../../operations/context';
import { userIdOf } from '../../operations/principal';
import type { AuditLog } from '../audit/audit-log';
import type { ExchangeApi } from '../exchange/api';
import type { AssetFundingRow, ChainRow, FundingRepo } from './repo';
import { rpcSecretName, type FundingService } from './service';

type ChainSet = OperationInput<'admin.funding.chainSet'>;
type AssetSet = OperationInput<'admin.funding.assetSet'>;
type ChainView = OperationOutput<'admin.funding.chainSet'>;
type AssetFundingView = OperationOutput<'admin.funding.assetSet'>;

export interface SettingsDeps {
  service: FundingService;
  repo: FundingRepo;
  exchange: ExchangeApi;
  audit: AuditLog;
  now: () => number;
}

/** `https://host:port` of a URL: what may be shown; the path and query often carry a key. */
export function rpcHostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

function actor(op: OperationContext): string {
  return userIdOf(op.principal) ?? 'system';
}

export class FundingSettings {
  /** Called after a chain was saved (the feature polls it soon). */
  onChainChanged: (() => void) | undefined;

  constructor(private readonly d: SettingsDeps) {}

  async chainView(c: ChainRow): Promise<ChainView> {
    const url = await this.d.service.secrets.get(c.rpcSecret).catch(() => null);
    return {
      chainId: c.chainId,
      name: c.name,
      rpcHost: rpcHostOf(url),
      xpub: c.xpub,
      addressesIssued: this.d.repo.addressCount(c.chainId),
      hotWalletAddress: c.hotWalletAddress ? getAddress(c.hotWalletAddress) : null,
      pollMs: c.pollMs,
      maxBlocksPerPoll: c.maxBlocksPerPoll,
      enabled: c.enabled,
      cursor: this.d.repo.cursor(c.chainId)?.number ?? null,
      tsUpdated: c.tsUpdated,
      updatedBy: c.updatedBy,
    };
  }

  async chains(): Promise<ChainView[]> {
    return Promise.all(this.d.repo.chains().map((c) => this.chainView(c)));
  }

  async setChain(input: ChainSet, op: OperationContext): Promise<ChainView> {
    const { repo } = this.d;
    const old = repo.chain(input.chainId);
    if (!old && (input.rpcUrl === undefined || input.name === undefined)) {
      throw new AppError('validation_failed', 'a new chain needs a name and an RPC URL', {
        field: 'rpcUrl',
      });
    }
    let xpub = old?.xpub ?? null;
    if (input.xpub !== undefined) {
      if (input.xpub !== null) {
        const parsed = parseAccountXpub(input.xpub);
        if (!parsed.ok) {
          throw new AppError(parsed.error.code, parsed.error.message, { field: 'xpub' });
        }
      }
      const next = input.xpub === null ? null : input.xpub.trim();
      if (old && next !== old.xpub && repo.addressCount(old.chainId) > 0) {
        throw new AppError(
          'conflict',
          'this chain has issued deposit addresses: changing its xpub would orphan them',
          { field: 'xpub' },
        );
      }
      xpub = next;
    }
    const rpcSecret = rpcSecretName(input.chainId);
    if (input.rpcUrl !== undefined) {
      await this.d.service.secrets.set(rpcSecret, input.rpcUrl);
      this.d.service.forgetClient(input.chainId);
    }
    const row = {
      chainId: input.chainId,
      name: input.name ?? old!.name,
      rpcSecret,
      xpub,
      pollMs: input.pollMs ?? old?.pollMs ?? 4000,
      maxBlocksPerPoll: input.maxBlocksPerPoll ?? old?.maxBlocksPerPoll ?? 500,
      enabled: input.enabled ?? old?.enabled ?? true,
      tsUpdated: this.d.now(),
      updatedBy: actor(op),
    };
    this.d.service.store.write('funding.chainSet', () => {
      repo.upsertChain(row);
      if (input.startBlock !== undefined && !repo.cursor(input.chainId)) {
        // The listener starts after this block; its hash is read (and checked) on the first poll.
        repo.setCursor(input.chainId, Math.max(0, input.startBlock - 1), null, row.tsUpdated);
      }
      const { rpcSecret: _s, ...shown } = row;
      this.d.audit.recordFor(op, 'funding.chainSet', String(input.chainId), {
        ...shown,
        rpcUrlChanged: input.rpcUrl !== undefined,
        ...(input.startBlock !== undefined ? { startBlock: input.startBlock } : {}),
      });
    });
    this.onChainChanged?.();
    return this.chainView(repo.chain(input.chainId)!);
  }

  async testChain(chainId: number) {
    const chain = this.d.repo.chain(chainId);
    if (!chain) throw new AppError('not_found', `No chain ${chainId}`, undefined, 404);
    const started = Date.now();
    try {
      const client = await this.d.service.clientFor(chain);
      const [answered, head] = await Promise.all([client.getChainId(), client.getBlockNumber()]);
      const latencyMs = Date.now() - started;
      const ok = answered === chainId;
      return {
        ok,
        chainId: answered,
        head: Number(head),
        latencyMs,
        error: ok ? null : `the node is chain ${answered}, not ${chainId}`,
      };
    } catch (e) {
      const message = e instanceof AppError ? e.message : 'the RPC endpoint did not answer';
      return { ok: false, chainId: null, head: null, latencyMs: null, error: message };
    }
  }

  assetView(a: AssetFundingRow): AssetFundingView {
    const scale = this.d.exchange.asset(a.asset)?.scale ?? 0;
    const f = (v: bigint) => formatDecimalTrimmed(v, scale);
    return {
      asset: a.asset,
      chainId: a.chainId,
      tokenContract: a.tokenContract ? getAddress(a.tokenContract) : null,
      tokenDecimals: a.tokenDecimals,
      confirmations: a.confirmations,
      depositsEnabled: a.depositsEnabled,
      withdrawalsEnabled: a.withdrawalsEnabled,
      withdrawalFee: f(a.withdrawalFee),
      withdrawalMin: f(a.withdrawalMin),
      autoApproveLimit: f(a.autoApproveLimit),
      dualApprovalLimit: a.dualApprovalLimit === null ? null : f(a.dualApprovalLimit),
      tsUpdated: a.tsUpdated,
      updatedBy: a.updatedBy,
    };
  }

  assets(): AssetFundingView[] {
    return this.d.repo.assetSettings().map((a) => this.assetView(a));
  }

  setAsset(input: AssetSet, op: OperationContext): AssetFundingView {
    const { repo } = this.d;
    const asset = this.d.exchange.asset(input.asset);
    if (!asset)
      throw new AppError('unknown_asset', `No asset ${input.asset}`, { asset: input.asset }, 404);
    const old = repo.assetSetting(input.asset);
    const chainId = input.chainId ?? old?.chainId;
    const tokenDecimals = input.tokenDecimals ?? old?.tokenDecimals;
    const confirmations = input.confirmations ?? old?.confirmations;
    if (chainId === undefined || tokenDecimals === undefined || confirmations === undefined) {
      throw new AppError(
        'validation_failed',
        'a new asset setting needs chainId, tokenDecimals and confirmations',
      );
    }
    if (!repo.chain(chainId)) {
      throw new AppError('invalid_chain', `No chain ${chainId}: set the chain up first`, {
        field: 'chainId',
      });
    }
    const minor = (field: string, text: string | undefined, fallback: bigint): bigint => {
      if (text === undefined) return fallback;
      const p = parseDecimal(text, asset.scale);
      if (!p.ok) {
        throw new AppError(
          'invalid_amount',
          `${field}: ${text} has more than ${asset.scale} decimals`,
          { field },
        );
      }
      return p.value;
    };
    const dual =
      input.dualApprovalLimit === undefined
        ? (old?.dualApprovalLimit ?? null)
        : input.dualApprovalLimit === null
          ? null
          : minor('dualApprovalLimit', input.dualApprovalLimit, 0n);
    const checked = checkAssetFunding(
      {
        chainId,
        tokenContract:
          input.tokenContract === undefined ? (old?.tokenContract ?? null) : input.tokenContract,
        tokenDecimals,
        confirmations,
        depositsEnabled: input.depositsEnabled ?? old?.depositsEnabled ?? false,
        withdrawalsEnabled: input.withdrawalsEnabled ?? old?.withdrawalsEnabled ?? false,
        withdrawalFee: minor('withdrawalFee', input.withdrawalFee, old?.withdrawalFee ?? 0n),
        withdrawalMin: minor('withdrawalMin', input.withdrawalMin, old?.withdrawalMin ?? 0n),
        autoApproveLimit: minor(
          'autoApproveLimit',
          input.autoApproveLimit,
          old?.autoApproveLimit ?? 0n,
        ),
        dualApprovalLimit: dual,
      },
      asset.scale,
    );
    if (!checked.ok)
      throw new AppError(checked.error.code, checked.error.message, checked.error.details);
    const clash = repo
      .assetSettings()
      .find(
        (a) =>
          a.asset !== input.asset &&
          a.chainId === chainId &&
          a.tokenContract === checked.value.tokenContract,
      );
    if (clash) {
      throw new AppError(
        'conflict',
        `${clash.asset} already maps ${checked.value.tokenContract ?? 'the native coin'} of chain ${chainId}`,
        { field: 'tokenContract' },
      );
    }
    const row: AssetFundingRow = {
      asset: input.asset,
      ...checked.value,
      tsUpdated: this.d.now(),
      updatedBy: actor(op),
    };
    this.d.service.store.write('funding.assetSet', () => {
      repo.upsertAssetSetting(row);
      const view = this.assetView(row);
      this.d.audit.recordFor(op, 'funding.assetSet', input.asset, view);
    });
    return this.assetView(row);
  }
}
