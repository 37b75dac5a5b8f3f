import type { Hex } from 'viem';
import { AppError } from '../../../src-shared/contract';
import { openChainClient, type ChainClient } from '../../connectors/chain/client';
import { chainNonce, locate, quoteGas, sendRaw, signTransfer } from '../../connectors/chain/wallet';
import type { DatabaseHandle } from '../../db/database';
import { settleEntry, transition } from '../../domain/withdrawals';
import type { Logger } from '../../observability/logger';
import type { SecretStore } from '../../secrets/secret-store';
import { SYSTEM_ACTOR, type AuditLog } from '../audit/audit-log';
import type { NotificationService } from '../notifications/service';
import type { WithdrawalRepo, WithdrawalRow } from './repo';
import { must, type WithdrawalService } from './service';

/**
 * Where the broadcast stands for one withdrawal, told to observers right after the step:
 * `signed` (bytes exist only in memory), `persisted` (bytes and hash on disk, not sent),
 * `sent` (handed to the node, not yet marked), `settled` (confirmed and settled in the ledger).
 * The crash tests stop the process at each of these.
 */
export type BroadcastStep = 'signed' | 'persisted' | 'sent' | 'settled';
export type StepListener = (step: BroadcastStep, withdrawalId: string) => void;

const SYSTEM = { actor: SYSTEM_ACTOR };

interface ChainHandle {
  client: ChainClient;
  hotWallet: string;
  key: Hex;
}

/**
 * The broadcast job: signs approved withdrawals with the hot wallet's key, one signer per
 * wallet with a nonce counted here (persisted with the signed bytes), sends, tracks to the
 * asset's confirmations and settles. Safe to stop at any point: what is on disk says what to
 * do next, and sending the same bytes twice is harmless (same hash, same nonce).
 */
export class WithdrawalBroadcaster {
  private readonly listeners: StepListener[] = [];
  private readonly clients = new Map<string, ChainClient>();
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly d: {
      store: DatabaseHandle;
      repo: WithdrawalRepo;
      service: WithdrawalService;
      secrets: SecretStore;
      audit: AuditLog;
      notifications: NotificationService;
      log: Logger;
      now: () => number;
    },
  ) {}

  onStep(listener: StepListener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  private step(step: BroadcastStep, id: string): void {
    for (const l of this.listeners) l(step, id);
  }

  /** One pass over every chain with work; a second call while one runs joins it. */
  runOnce(): Promise<{ signed: number; settled: number }> {
    if (this.running) return this.running as Promise<{ signed: number; settled: number }>;
    const run = this.pass().finally(() => (this.running = null));
    this.running = run;
    return run;
  }

  /**
   * Each chain, then each withdrawal, on its own: one that cannot be signed (the hot wallet
   * lacks the token, the node refuses the gas estimate) stays approved and is retried next
   * run, while the others go out. Problems are collected and fail the run at the end, so
   * Admin → Jobs shows them.
   */
  private async pass(): Promise<{ signed: number; settled: number }> {
    const work = this.d.repo.inStatus(['approved', 'signed', 'sent', 'mined']);
    const chains = [...new Set(work.map((w) => w.chainId))];
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
        this.d.log.warn({ err, what }, 'withdrawal step failed; retried on the next run');
        problems.push(`${what}: ${message}`);
      }
    };
    let signed = 0;
    let settled = 0;
    for (const chainId of chains) {
      await attempt(`chain ${chainId}`, async () => {
        const h = await this.handle(chainId);
        const mine = work.filter((w) => w.chainId === chainId);
        // Bytes on disk first: they hold nonces, and the approved ones take the next.
        for (const w of mine.filter((x) => x.status === 'signed')) {
          await attempt(`send ${w.id}`, () => this.send(h, w.id));
        }
        for (const w of mine.filter((x) => x.status === 'approved')) {
          await attempt(`sign ${w.id}`, async () => {
            if (!(await this.sign(h, w.id))) return;
            signed++;
            await this.send(h, w.id);
          });
        }
        for (const w of this.d.repo.inStatus(['sent', 'mined'])) {
          if (w.chainId !== chainId) continue;
          await attempt(`track ${w.id}`, async () => {
            if (await this.track(h, w.id)) settled++;
          });
        }
      });
    }
    if (problems.length > 0) {
      throw new Error(`${problems.length} withdrawal step(s) failed: ${problems.join('; ')}`);
    }
    return { signed, settled };
  }

  private async handle(chainId: number): Promise<ChainHandle> {
    const chain = this.d.repo.chain(chainId);
    if (!chain?.hotWalletSecret || !chain.hotWalletAddress) {
      throw new AppError('funding_unavailable', `Chain ${chainId} has no hot wallet`);
    }
    const [rpcUrl, key] = await Promise.all([
      this.d.secrets.get(chain.rpcSecret),
      this.d.secrets.get(chain.hotWalletSecret),
    ]);
    if (!rpcUrl || !key) {
      throw new AppError(
        'funding_unavailable',
        `Chain ${chainId}: RPC URL or hot wallet key missing from the secret store`,
      );
    }
    const cacheKey = `${chainId} ${rpcUrl}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = openChainClient({ chainId, rpcUrl });
      this.clients.set(cacheKey, client);
    }
    return { client, hotWallet: chain.hotWalletAddress, key: key as Hex };
  }

  /**
   * Signs with the next local nonce and stores bytes, hash and the advanced nonce in ONE
   * transaction. A crash before that commit leaves nothing behind (the bytes were never sent);
   * the next pass signs again with the same nonce.
   */
  private async sign(h: ChainHandle, id: string): Promise<boolean> {
    const w0 = this.d.service.found(id);
    const gas = await quoteGas(h.client, h.hotWallet, {
      to: w0.toAddress,
      amount: BigInt(w0.chainAmount),
      token: w0.tokenContract,
    });
    return this.d.service.serial(async () => {
      const w = this.d.service.found(id);
      // Cancelled or rejected while the gas was quoted.
      if (w.status !== 'approved') return false;
      must(transition(w.status, 'signed'));
      const nonce =
        this.d.repo.nextNonce(w.chainId, h.hotWallet) ?? (await chainNonce(h.client, h.hotWallet));
      const tx = await signTransfer(
        h.key,
        {
          chainId: w.chainId,
          nonce,
          to: w.toAddress,
          amount: BigInt(w.chainAmount),
          token: w.tokenContract,
        },
        gas,
      );
      this.step('signed', id);
      this.d.store.write('withdrawals.sign', () => {
        this.d.repo.update(id, {
          status: 'signed',
          raw: tx.raw,
          txHash: tx.hash,
          nonce,
          fromAddress: tx.from.toLowerCase(),
          tsUpdated: this.d.now(),
        });
        this.d.repo.setNextNonce(w.chainId, h.hotWallet, nonce + 1);
        this.d.audit.record({
          ...SYSTEM,
          action: 'withdrawal.sign',
          target: id,
          details: { nonce, txHash: tx.hash },
        });
      });
      this.d.service.published(this.d.service.found(id));
      this.step('persisted', id);
      return true;
    });
  }

  /** Sends the stored bytes (again: the node answers "already known" and that is fine). */
  private async send(h: ChainHandle, id: string): Promise<void> {
    const w = this.d.service.found(id);
    if (!w.raw) return;
    const outcome = await sendRaw(h.client, w.raw as Hex);
    this.step('sent', id);
    await this.d.service.serial(() => {
      const now = this.d.service.found(id);
      if (now.status !== 'signed') return;
      must(transition(now.status, 'sent'));
      this.d.store.write('withdrawals.send', () => {
        this.d.repo.update(id, {
          status: 'sent',
          broadcasts: now.broadcasts + 1,
          tsUpdated: this.d.now(),
        });
        this.d.audit.record({
          ...SYSTEM,
          action: 'withdrawal.send',
          target: id,
          details: { txHash: w.txHash, outcome },
        });
      });
      this.d.service.published(this.d.service.found(id));
    });
  }

  /**
   * Reads where the transaction is. Mined and deep enough: settle. Mined but reverted: the
   * money did not leave, release. In the pool: wait. Gone (the node dropped it, or a reorg
   * took its block): send the same bytes again.
   */
  private async track(h: ChainHandle, id: string): Promise<boolean> {
    const w = this.d.service.found(id);
    const where = await locate(h.client, w.txHash as Hex);
    const required = this.d.repo.assetSettings(w.asset)[0]?.confirmations ?? 1;
    if (where.state === 'missing') {
      const outcome = await sendRaw(h.client, w.raw as Hex);
      this.d.log.warn(
        { withdrawal: id, txHash: w.txHash, outcome },
        'withdrawal transaction lost: sent the same bytes again',
      );
      await this.update(id, {
        status: 'sent',
        confirmations: 0,
        blockNumber: null,
        blockHash: null,
        broadcasts: w.broadcasts + 1,
      });
      return false;
    }
    if (where.state === 'pending') {
      if (w.status !== 'sent' || w.confirmations !== 0) {
        await this.update(id, {
          status: 'sent',
          confirmations: 0,
          blockNumber: null,
          blockHash: null,
        });
      }
      return false;
    }
    if (!where.success) {
      await this.d.service.serial(async () => {
        const now = this.d.service.found(id);
        if (now.status !== 'sent' && now.status !== 'mined') return;
        await this.d.service.release(
          now,
          'failed',
          `the transaction ${w.txHash} reverted on chain`,
          SYSTEM,
          'withdrawal.fail',
        );
      });
      this.d.notifications.notify({
        level: 'error',
        kind: 'withdrawal.failed',
        title: 'A withdrawal reverted on chain',
        body: `Withdrawal ${id} (${w.txHash}) reverted; its hold was released. Check the hot wallet's token balance.`,
      });
      return false;
    }
    if (where.confirmations < required) {
      await this.update(id, {
        status: 'mined',
        confirmations: where.confirmations,
        blockNumber: Number(where.blockNumber),
        blockHash: where.blockHash,
      });
      return false;
    }
    return this.settle(id, where.confirmations, Number(where.blockNumber), where.blockHash);
  }

  /** Held amount to the outside world, fee to the fee account, status confirmed: ONE commit. */
  private async settle(id: string, confirmations: number, blockNumber: number, blockHash: string) {
    const done = await this.d.service.serial(async () => {
      const w = this.d.service.found(id);
      if (w.status !== 'sent' && w.status !== 'mined') return null;
      must(transition(w.status, 'confirmed'));
      const entry = must(settleEntry(this.d.service.funds(w)));
      await this.d.service.post(entry, () => {
        this.d.repo.update(id, {
          status: 'confirmed',
          confirmations,
          blockNumber,
          blockHash,
          tsUpdated: this.d.now(),
        });
        this.d.audit.record({
          ...SYSTEM,
          action: 'withdrawal.settle',
          target: id,
          details: { txHash: w.txHash, blockNumber },
        });
      });
      return w;
    });
    if (!done) return false;
    this.step('settled', id);
    this.d.service.published(this.d.service.found(id));
    this.d.notifications.notify({
      userId: done.userId,
      level: 'info',
      kind: 'withdrawal.confirmed',
      title: 'Withdrawal completed',
      body: `${this.d.service.amountText(done)} reached ${done.toAddress} (transaction ${done.txHash}).`,
    });
    return true;
  }

  /** A tracking change (status `sent` or `mined`, confirmations, block) of a live withdrawal. */
  private update(id: string, changes: Partial<WithdrawalRow> & { status: 'sent' | 'mined' }) {
    return this.d.service.serial(() => {
      const w = this.d.service.found(id);
      if (w.status !== 'sent' && w.status !== 'mined') return;
      must(transition(w.status, changes.status));
      this.d.store.write('withdrawals.track', () =>
        this.d.repo.update(id, { ...changes, tsUpdated: this.d.now() }),
      );
      this.d.service.published(this.d.service.found(id));
    });
  }
}
