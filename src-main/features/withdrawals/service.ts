import { randomUUID } from 'node:crypto';
import { AppError } from '../../../src-shared/contract';
import type { InputOf, withdrawalsRequest } from '../../../src-shared/contract';
import { checksumAddress } from '../../connectors/chain/wallet';
import type { DatabaseHandle } from '../../db/database';
import type { JournalEntry } from '../../domain/ledger';
import { formatDecimal, parseDecimal, type Result } from '../../domain/money';
import {
  approvalsRequired,
  approve,
  checkRequest,
  holdEntry,
  holdsFunds,
  releaseEntry,
  toChainUnits,
  transition,
  type WithdrawalStatus,
} from '../../domain/withdrawals';
import type { EventHub } from '../../events/hub';
import type { AuditLog, AuditRecord } from '../audit/audit-log';
import type { ExchangeApi } from '../exchange/api';
import type { NotificationService } from '../notifications/service';
import type { AssetChainSettings, WithdrawalRepo, WithdrawalRow } from './repo';
import {
  addressView,
  withdrawalView,
  type AddressViewOut,
  type AdminWithdrawalViewOut,
  type WithdrawalViewOut,
} from './views';

export type RequestInput = InputOf<typeof withdrawalsRequest>;

/** Who asks, as the audit trail records it (an operation's caller or the system). */
export type Actor = Omit<AuditRecord, 'action' | 'target' | 'details'>;

export interface WithdrawalServiceDeps {
  store: DatabaseHandle;
  repo: WithdrawalRepo;
  exchange: ExchangeApi;
  audit: AuditLog;
  notifications: NotificationService;
  hub: EventHub;
  now: () => number;
  coolOffMs: number;
  /** Asks the broadcast job to run soon (an approval should not wait for the next tick). */
  kick: () => void;
}

/** A domain result's error as the AppError every door answers. */
export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
  return r.value;
}

/**
 * Address book, requests, the approval policy and the ledger moves of withdrawals. Every
 * change runs in `serial`, one at a time, and commits before the next starts: a cancel and
 * the broadcast job's signing can never both act on the same approved withdrawal.
 */
export class WithdrawalService {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: WithdrawalServiceDeps) {}

  /** Runs `fn` after every change queued before it has committed. */
  serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }

  // ---- address book ----------------------------------------------------------------------

  listAddresses(userId: string): AddressViewOut[] {
    return this.d.repo.addresses(userId).map(addressView);
  }

  addAddress(
    actor: Actor,
    userId: string,
    input: { chainId: number; address: string; label: string },
  ): AddressViewOut {
    const address = checksumAddress(input.address);
    const ts = this.d.now();
    const existing = this.d.repo
      .addresses(userId)
      .find((a) => a.chainId === input.chainId && a.address === address);
    if (existing) {
      throw new AppError('conflict', 'This address is already in your address book', {
        id: existing.id,
      });
    }
    const row = {
      id: randomUUID(),
      userId,
      chainId: input.chainId,
      address,
      label: input.label.trim(),
      tsCreated: ts,
      tsUsable: ts + this.d.coolOffMs,
      tsRemoved: null,
    };
    this.d.store.write('withdrawals.addAddress', () => {
      this.d.repo.insertAddress(row);
      this.d.audit.record({
        ...actor,
        action: 'withdrawal.addressAdd',
        target: row.id,
        details: { chainId: row.chainId, address, label: row.label, tsUsable: row.tsUsable },
      });
    });
    const hours = Math.round(this.d.coolOffMs / 360_000) / 10;
    this.d.notifications.notify({
      userId,
      level: 'warning',
      kind: 'withdrawal.address',
      title: 'A withdrawal address was added',
      body: `${row.label} (${address}) was added to your address book; it can be used in ${hours} h. If this was not you, change your password and remove it now.`,
    });
    return addressView(row);
  }

  removeAddress(actor: Actor, userId: string, id: string): void {
    const row = this.d.repo.address(userId, id);
    if (!row || row.tsRemoved !== null) throw new AppError('not_found', 'No such address');
    this.d.store.write('withdrawals.removeAddress', () => {
      this.d.repo.removeAddress(id, this.d.now());
      this.d.audit.record({ ...actor, action: 'withdrawal.addressRemove', target: id });
    });
  }

  // ---- settings --------------------------------------------------------------------------

  /** Each asset with a chain, as the withdraw form shows it. */
  assets() {
    return this.d.repo.assetSettings().map((s) => {
      const scale = this.scale(s.asset);
      const chain = this.d.repo.chain(s.chainId);
      return {
        asset: s.asset,
        chainId: s.chainId,
        enabled: s.withdrawalsEnabled,
        ready:
          !!chain?.enabled && chain.hotWalletSecret !== null && chain.hotWalletAddress !== null,
        fee: formatDecimal(s.withdrawalFee, scale),
        min: formatDecimal(s.withdrawalMin, scale),
        confirmations: s.confirmations,
      };
    });
  }

  private scale(asset: string): number {
    const a = this.d.exchange.asset(asset);
    if (!a) throw new AppError('not_found', `No asset ${asset}`);
    return a.scale;
  }

  private settings(asset: string): AssetChainSettings {
    const s = this.d.repo.assetSettings(asset)[0];
    if (!s) throw new AppError('funding_unavailable', `${asset} has no chain to withdraw to`);
    return s;
  }

  // ---- requests --------------------------------------------------------------------------

  /** The withdrawal a repeated client request id names, if any (no new checks needed). */
  existing(userId: string, clientRequestId: string): WithdrawalViewOut | undefined {
    const row = this.d.repo.byClientId(userId, clientRequestId);
    return row ? this.view(row) : undefined;
  }

  /** Checks, then holds amount + fee and stores the request in ONE transaction. */
  request(actor: Actor, userId: string, via: string, input: RequestInput) {
    return this.serial(async () => {
      const again = this.existing(userId, input.clientRequestId);
      if (again) return again;
      const s = this.settings(input.asset);
      const chain = this.d.repo.chain(s.chainId);
      if (!chain?.enabled || !chain.hotWalletSecret || !chain.hotWalletAddress) {
        throw new AppError(
          'funding_unavailable',
          `Withdrawals of ${input.asset} are not set up yet (no chain or hot wallet)`,
        );
      }
      const address = this.d.repo.address(userId, input.addressId);
      if (!address || address.tsRemoved !== null || address.chainId !== s.chainId) {
        throw new AppError('not_found', 'No such address in your address book for this chain');
      }
      const scale = this.scale(input.asset);
      const amount = parseDecimal(input.amount, scale);
      if (!amount.ok) {
        throw new AppError('invalid_amount', `${input.asset} has ${scale} decimals`, {
          field: 'amount',
        });
      }
      const now = this.d.now();
      must(
        checkRequest({
          withdrawalsEnabled: s.withdrawalsEnabled,
          amount: amount.value,
          min: s.withdrawalMin,
          fee: s.withdrawalFee,
          available: this.d.exchange.holdings(userId, input.asset).available,
          tsUsable: address.tsUsable,
          now,
        }),
      );
      const chainAmount = must(toChainUnits(amount.value, scale, s.tokenDecimals));
      const required = approvalsRequired(amount.value, s);
      const row = {
        id: randomUUID(),
        userId,
        clientRequestId: input.clientRequestId,
        asset: input.asset,
        chainId: s.chainId,
        addressId: address.id,
        toAddress: address.address,
        amount: amount.value.toString(),
        fee: s.withdrawalFee.toString(),
        chainAmount: chainAmount.toString(),
        tokenContract: s.tokenContract,
        status: (required === 0 ? 'approved' : 'pending_approval') as WithdrawalStatus,
        approvalsRequired: required,
        requestedVia: via,
        tsCreated: now,
        tsUpdated: now,
      };
      const entry = must(holdEntry(this.funds(row)));
      await this.d.exchange.post((tx) => {
        tx.record(entry);
        tx.alsoWrite(() => {
          this.d.repo.insert(row);
          this.d.audit.record({
            ...actor,
            action: 'withdrawal.request',
            target: row.id,
            details: {
              asset: row.asset,
              amount: input.amount,
              to: row.toAddress,
              via,
              approvalsRequired: required,
            },
          });
        });
      });
      const stored = this.d.repo.get(row.id)!;
      this.published(stored);
      if (required === 0) this.d.kick();
      else {
        this.d.notifications.notify({
          level: 'info',
          kind: 'withdrawal.pending',
          title: 'A withdrawal waits for approval',
          body: `${input.amount} ${row.asset} to ${row.toAddress} needs ${required} admin approval(s).`,
        });
      }
      return this.view(stored);
    });
  }

  list(userId: string, limit: number): WithdrawalViewOut[] {
    return this.d.repo.ofUser(userId, limit).map((w) => this.view(w));
  }

  /** The user's own, before anything is signed; the hold goes back. */
  cancel(actor: Actor, userId: string, id: string) {
    return this.serial(async () => {
      const w = this.d.repo.get(id);
      if (!w || w.userId !== userId) throw new AppError('not_found', 'No such withdrawal');
      must(transition(w.status, 'cancelled'));
      await this.release(w, 'cancelled', 'cancelled by the user', actor, 'withdrawal.cancel');
      return this.view(this.d.repo.get(id)!);
    });
  }

  // ---- admin -----------------------------------------------------------------------------

  pending(): AdminWithdrawalViewOut[] {
    return this.d.repo.inStatus(['pending_approval']).map((w) => this.adminView(w));
  }

  approve(actor: Actor, adminId: string, id: string) {
    return this.serial(() => {
      const w = this.found(id);
      const approvedBy = this.d.repo.approvals(id);
      const r = must(
        approve(
          {
            status: w.status,
            requesterId: w.userId,
            approvalsRequired: w.approvalsRequired,
            approvedBy,
          },
          adminId,
        ),
      );
      const ts = this.d.now();
      this.d.store.write('withdrawals.approve', () => {
        this.d.repo.addApproval(id, adminId, ts);
        if (r.complete) this.d.repo.update(id, { status: 'approved', tsUpdated: ts });
        this.d.audit.record({
          ...actor,
          action: 'withdrawal.approve',
          target: id,
          details: { approvals: approvedBy.length + 1, required: w.approvalsRequired },
        });
      });
      const after = this.found(id);
      this.published(after);
      if (r.complete) this.d.kick();
      return this.adminView(after);
    });
  }

  reject(actor: Actor, id: string, reason: string) {
    return this.serial(async () => {
      const w = this.found(id);
      must(transition(w.status, 'rejected'));
      await this.release(w, 'rejected', reason, actor, 'withdrawal.reject');
      const after = this.found(id);
      this.d.notifications.notify({
        userId: w.userId,
        level: 'warning',
        kind: 'withdrawal.rejected',
        title: 'Your withdrawal was rejected',
        body: `${this.amountText(w)} to ${w.toAddress}: ${reason}. The funds are available again.`,
      });
      return this.adminView(after);
    });
  }

  // ---- shared with the broadcast job ---------------------------------------------------

  /** Ends a withdrawal whose money did not leave: the hold back to available, one transaction. */
  async release(
    w: WithdrawalRow,
    status: 'rejected' | 'cancelled' | 'failed',
    reason: string,
    actor: Actor,
    action: 'withdrawal.reject' | 'withdrawal.cancel' | 'withdrawal.fail',
  ): Promise<void> {
    const entry = must(releaseEntry(this.funds(w), status));
    await this.post(entry, () => {
      this.d.repo.update(w.id, {
        status,
        reason,
        decidedBy: actor.actor,
        tsUpdated: this.d.now(),
      });
      this.d.audit.record({ ...actor, action, target: w.id, details: { reason } });
    });
    this.published(this.found(w.id));
  }

  /** A ledger entry and this feature's writes, committed together by the exchange's queue. */
  post(entry: JournalEntry, write: () => void): Promise<void> {
    return this.d.exchange.post((tx) => {
      tx.record(entry);
      tx.alsoWrite(write);
    });
  }

  funds(w: Pick<WithdrawalRow, 'id' | 'userId' | 'asset' | 'amount' | 'fee'>) {
    return {
      withdrawalId: w.id,
      userId: w.userId,
      asset: w.asset,
      amount: BigInt(w.amount),
      fee: BigInt(w.fee),
    };
  }

  found(id: string): WithdrawalRow {
    const w = this.d.repo.get(id);
    if (!w) throw new AppError('not_found', 'No such withdrawal');
    return w;
  }

  /** Pushes the withdrawal's view on its owner's `withdrawals` stream. */
  published(w: WithdrawalRow): void {
    this.d.hub.publishLazy('withdrawals', () => this.view(w), { kind: 'user', userId: w.userId });
  }

  /** Money still held by withdrawals, per user and asset (the exchange's reconciliation). */
  *holds(): Iterable<{ owner: string; asset: string; remaining: bigint }> {
    for (const w of this.d.repo.inStatus([
      'pending_approval',
      'approved',
      'signed',
      'sent',
      'mined',
    ])) {
      if (holdsFunds(w.status)) {
        yield { owner: w.userId, asset: w.asset, remaining: BigInt(w.amount) + BigInt(w.fee) };
      }
    }
  }

  view(w: WithdrawalRow): WithdrawalViewOut {
    const confirmations = this.d.repo.assetSettings(w.asset)[0]?.confirmations ?? 0;
    return withdrawalView(
      w,
      this.scale(w.asset),
      this.d.repo.approvals(w.id).length,
      confirmations,
    );
  }

  private adminView(w: WithdrawalRow): AdminWithdrawalViewOut {
    return {
      withdrawal: this.view(w),
      userId: w.userId,
      userEmail: this.d.repo.userEmail(w.userId),
      requestedVia: w.requestedVia,
      approvedBy: this.d.repo.approvals(w.id),
    };
  }

  amountText(w: WithdrawalRow): string {
    return `${formatDecimal(BigInt(w.amount), this.scale(w.asset))} ${w.asset}`;
  }
}
