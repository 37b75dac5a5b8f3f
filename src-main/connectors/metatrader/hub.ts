import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AppError } from '../../../src-shared/contract';
import { addDecimal } from '../../../src-shared/decimal';
import { HeldPolls } from './held-polls';
import type { Command, CommandBody, CommandResult, HeartbeatBody, MtDeal } from './protocol';
import type { BridgeStore, CommandRow, CommandStatus } from './store';

/** The EA counts as offline after this many heartbeat intervals of silence. */
export const OFFLINE_AFTER_INTERVALS = 3;
export const DEFAULT_EXPIRY_MS = 60_000;
/** Most commands one poll hands out (the EA runs them one by one, blocking on OrderSend). */
export const POLL_MAX = 10;
/** Most commands an account may have waiting: beyond, enqueue refuses (Bourse slows down). */
export const QUEUE_MAX = 200;

export interface HubOptions {
  /** The durable queue and terminal status (the accounts feature's `SqliteBridgeStore`). */
  store: BridgeStore;
  now?: () => number;
  /**
   * A command handed out but not acknowledged within this lease is handed out again, with the
   * same id: the EA, which keeps the ids it ran, re-reports instead of running it twice.
   */
  leaseMs?: number;
  /** How often the hub expires commands and notices silent EAs. */
  sweepMs?: number;
  newId?: () => string;
  /** Told when a sweep fails (the database closing, a disk error); the next sweep tries again. */
  onError?: (error: unknown) => void;
}

/** What Bourse knows of one account's EA right now. */
export interface TerminalStatus {
  online: boolean;
  /** Epoch ms of the last heartbeat (null: never seen). */
  lastHeartbeatAt: number | null;
  /** When Bourse last saw it go offline (null while online or never seen). */
  offlineSince: number | null;
  heartbeat: HeartbeatBody | null;
}

export type HubEvent =
  | { type: 'heartbeat'; prev: HeartbeatBody | null; next: HeartbeatBody; newDeals: MtDeal[] }
  | { type: 'result'; command: CommandRow }
  | { type: 'online' }
  | { type: 'offline'; since: number; reason: string };

/** How a command ended for a waiter. `timeout`: still queued or handed out. */
export type CommandOutcome =
  | { status: Extract<CommandStatus, 'done' | 'failed' | 'expired' | 'cancelled'>; row: CommandRow }
  | { status: 'timeout'; row: CommandRow | null };

export type AckAnswer = 'recorded' | 'duplicate' | 'unknown';

export interface LongPollOptions {
  /** Most commands to hand out (default `POLL_MAX`). */
  max?: number | undefined;
  /** How long to hold the poll when nothing is ready (0: answer at once). */
  waitMs?: number | undefined;
  /** Aborts when the client goes away: the wait ends and nothing is handed out. */
  signal?: AbortSignal | undefined;
  /**
   * Called after a wait, before any lease is taken: throws to refuse (the bridge token was
   * revoked while the poll was held). What it throws is what `longPoll` rejects with.
   */
  beforeLease?: (() => void) | undefined;
}

interface Live {
  heartbeat: HeartbeatBody | null;
  lastHeartbeatAt: number | null;
  online: boolean;
  offlineSince: number | null;
  /** Deal tickets already passed on, so a deal repeated by the EA's history window fires once. */
  seenDeals: Set<string>;
  /** Order ticket → volume filled, from deals. */
  filled: Map<string, string>;
  recent: { tick: number; row: CommandRow }[];
  heartbeatTick: number;
  /**
   * Silence excused by long-polls since the last heartbeat (ms, the longest wait asked): the
   * EA cannot heartbeat while its poll is held, so a held poll counts as it being alive.
   */
  excusedMs: number;
}

const FINAL: ReadonlySet<CommandStatus> = new Set(['done', 'failed', 'expired', 'cancelled']);
const SEEN_DEALS_MAX = 5_000;
const RECENT_MAX = 200;

/**
 * The MetaTrader bridge hub: per account, a durable command queue the EA drains by polling, and
 * the EA's last heartbeat (terminal, account, positions, orders). Connectors enqueue commands
 * and await their results; the bridge routes call `heartbeat`, `poll` and `ack`.
 */
export class BridgeHub {
  readonly store: BridgeStore;
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly newId: () => string;
  private readonly live = new Map<string, Live>();
  private readonly listeners = new Map<string, Set<(e: HubEvent) => void>>();
  private readonly waiters = new Map<string, Set<(o: CommandOutcome) => void>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly held = new HeldPolls();
  /** After `stop()`: polls are answered at once, never held. */
  private stopped = false;
  /** Orders heartbeats and results as they arrive (timestamps can tie within a millisecond). */
  private tick = 0;
  /** Per account, the last seq this process queued, and the last of those known on disk. */
  private readonly enqueuedTop = new Map<string, number>();
  private readonly syncedTop = new Map<string, number>();
  /** Per account, the newest poll: one that waited for a sync hands out nothing if replaced. */
  private readonly pollGeneration = new Map<string, number>();

  constructor(private readonly opts: HubOptions) {
    this.store = opts.store;
    this.now = opts.now ?? Date.now;
    this.leaseMs = opts.leaseMs ?? 15_000;
    this.newId = opts.newId ?? randomUUID;
  }

  /** Starts the sweep timer (expiry, offline detection). */
  start(): this {
    this.stopped = false;
    this.timer ??= setInterval(() => this.sweep(), this.opts.sweepMs ?? 1_000);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopped = true;
    this.held.wakeAll('closing');
  }

  /**
   * Answers held polls empty at once: one account's (its connector closed: the bridge was
   * reset, the account disabled or deleted), or every account's (the server is closing).
   */
  release(accountId?: string): void {
    if (accountId === undefined) this.held.wakeAll('closing');
    else this.held.wake(accountId, 'released');
  }

  /** Queues a command; it expires (never handed out) after `expiresInMs` unless taken. */
  enqueue(accountId: string, body: CommandBody, expiresInMs = DEFAULT_EXPIRY_MS): Command {
    const t = this.now();
    if (this.store.countPending(accountId) >= QUEUE_MAX) {
      throw new Error(`bridge queue full (${QUEUE_MAX} commands waiting)`);
    }
    const id = this.newId();
    const expiresAt = t + expiresInMs;
    const seq = this.store.enqueue(accountId, id, body, t, expiresAt);
    this.enqueuedTop.set(accountId, seq);
    // The sync starts now; the held poll waits for it before handing the command out.
    this.durable().catch(() => undefined);
    this.held.wake(accountId, 'command');
    return { ...body, id, seq, expiresAt };
  }

  /** Resolves once every change the hub made so far is on disk (acks are answered after it). */
  durable(): Promise<void> {
    return this.store.durable();
  }

  /** The seq up to which the account's commands may be handed out now (none: a sync is due). */
  private syncedNow(accountId: string): number | undefined {
    const top = this.enqueuedTop.get(accountId);
    // Nothing queued by this process: every row there is was on disk when it started.
    if (top === undefined) return Number.MAX_SAFE_INTEGER;
    return (this.syncedTop.get(accountId) ?? 0) >= top ? top : undefined;
  }

  /**
   * The seq up to which the account's commands may be handed out, once those it queued are
   * on disk; or why the poll must hand nothing out after that wait: its client went away
   * (`aborted`), or a newer poll of the account came meanwhile (`replaced`).
   *
   * Why the wait: a command is handed out only once its row (and every commit before it: the
   * broker journal's row for the order) is durable, so a power cut can never leave an order at
   * the broker that Bourse has no record of. Handing out (`sent`) need not be synced first: a
   * command handed out again after a crash has the same id, and the EA, which keeps the ids it
   * ran, re-reports it instead of running it twice.
   */
  private async readyUpTo(
    accountId: string,
    generation: number,
    signal: AbortSignal | undefined,
  ): Promise<number | 'aborted' | 'replaced'> {
    const now = this.syncedNow(accountId);
    if (now !== undefined) return now;
    const top = this.enqueuedTop.get(accountId)!;
    try {
      await this.store.durable();
    } catch {
      throw new AppError(
        'unavailable',
        'Bourse could not store the queued commands on disk; poll again',
      );
    }
    if ((this.syncedTop.get(accountId) ?? 0) < top) this.syncedTop.set(accountId, top);
    if (signal?.aborted) return 'aborted';
    return this.pollGeneration.get(accountId) === generation ? top : 'replaced';
  }

  /**
   * The next commands for the EA in seq order (up to `upToSeq`), marked `sent`. A handed-out
   * command still within its lease blocks the ones after it (the EA runs them in order); past
   * the lease it is handed out again first. Expired queued commands are never handed out.
   * This does not wait for queued commands to reach the disk: the bridge door goes through
   * `longPoll`, which does.
   */
  poll(accountId: string, max = POLL_MAX, upToSeq = Number.MAX_SAFE_INTEGER): Command[] {
    const t = this.now();
    this.expire(t);
    const out: CommandRow[] = [];
    for (const row of this.store.pending(accountId)) {
      if (out.length >= max || row.seq > upToSeq) break;
      if (row.status === 'sent' && row.sentAt !== null && t - row.sentAt < this.leaseMs) break;
      out.push(row);
    }
    this.store.markSent(
      out.map((r) => r.id),
      t,
    );
    return out.map((r) => ({ ...r.command, id: r.id, seq: r.seq, expiresAt: r.expiresAt }));
  }

  /**
   * A poll that, when no command is ready, is held up to `waitMs` until one is queued for the
   * account (long-poll). Leases are taken when the answer is made, never for a poll whose
   * client went away (then it resolves null). Any poll of the account first answers the one
   * already held (empty). A held poll ends empty when the account is released or the hub
   * stops; when a handed-out command's lease runs out during the wait, it is handed out again.
   */
  async longPoll(accountId: string, o: LongPollOptions = {}): Promise<Command[] | null> {
    this.held.wake(accountId, 'replaced');
    if (o.signal?.aborted) return null;
    const generation = (this.pollGeneration.get(accountId) ?? 0) + 1;
    this.pollGeneration.set(accountId, generation);
    // No await when nothing waits for a sync: the poll is held (replaceable) in this same turn.
    const upTo =
      this.syncedNow(accountId) ?? (await this.readyUpTo(accountId, generation, o.signal));
    if (upTo === 'aborted') return null;
    if (upTo === 'replaced') return [];
    const first = this.poll(accountId, o.max, upTo);
    const waitMs = o.waitMs ?? 0;
    if (first.length || waitMs <= 0 || this.stopped) return first;
    const live = this.state(accountId);
    live.excusedMs = Math.max(live.excusedMs, waitMs);
    const end = performance.now() + waitMs;
    for (;;) {
      const left = Math.max(0, end - performance.now());
      const why = await this.held.wait(accountId, left, o.signal, this.leaseLeft(accountId));
      if (why === 'aborted') return null;
      if (why === 'replaced' || why === 'released' || why === 'closing') {
        o.beforeLease?.();
        return [];
      }
      const ready = await this.readyUpTo(accountId, generation, o.signal);
      if (ready === 'aborted') return null;
      o.beforeLease?.();
      if (ready === 'replaced') return [];
      const commands = this.poll(accountId, o.max, ready);
      if (commands.length || why === 'timeout' || end - performance.now() <= 0) return commands;
    }
  }

  /** Whether a poll of this account is held right now (waiting for a command). */
  holding(accountId: string): boolean {
    return this.held.isHeld(accountId);
  }

  /** Ms until the command blocking the account's queue may be handed out again (none: undefined). */
  private leaseLeft(accountId: string): number | undefined {
    const head = this.store.pending(accountId)[0];
    if (head?.status !== 'sent' || head.sentAt === null) return undefined;
    return head.sentAt + this.leaseMs - this.now();
  }

  /**
   * Records the EA's result for a command it was handed. A second ack of the same id is
   * accepted and ignored (`duplicate`); an id this account never handed out is `unknown`.
   */
  ack(accountId: string, id: string, result: CommandResult): AckAnswer {
    const row = this.store.command(id);
    if (!row || row.accountId !== accountId || row.status === 'queued') return 'unknown';
    if (row.status !== 'sent') return 'duplicate';
    const status: CommandStatus =
      result.bridgeError === 'expired' ? 'expired' : result.ok ? 'done' : 'failed';
    if (!this.store.recordResult(id, status, result, this.now())) return 'duplicate';
    const done = { ...row, status, result, doneAt: this.now() };
    this.settle(done);
    this.emit(accountId, { type: 'result', command: done });
    // The commands after it are no longer blocked.
    this.held.wake(accountId, 'command');
    return 'recorded';
  }

  /** Stores what the EA reports and marks it online. A `stopping` heartbeat marks it offline. */
  heartbeat(accountId: string, hb: HeartbeatBody): void {
    const t = this.now();
    const live = this.state(accountId);
    const prev = live.heartbeat;
    const next: HeartbeatBody = {
      ...hb,
      symbols: hb.symbols ?? prev?.symbols ?? [],
    };
    const { deals, ...stored } = next;
    this.store.saveHeartbeat(accountId, t, stored);
    live.heartbeat = stored;
    live.lastHeartbeatAt = t;
    live.excusedMs = 0;
    const newDeals = (deals ?? []).filter((d) => !live.seenDeals.has(d.ticket));
    for (const d of newDeals) {
      live.seenDeals.add(d.ticket);
      if (d.entry !== 'out') {
        const before = live.filled.get(d.order);
        live.filled.set(d.order, before === undefined ? d.volume : addDecimal(before, d.volume));
      }
    }
    live.heartbeatTick = ++this.tick;
    if (live.seenDeals.size > SEEN_DEALS_MAX) {
      live.seenDeals = new Set([...live.seenDeals].slice(-SEEN_DEALS_MAX / 2));
      live.filled = new Map([...live.filled].slice(-SEEN_DEALS_MAX / 2));
    }
    this.emit(accountId, { type: 'heartbeat', prev, next: stored, newDeals });
    if (hb.state === 'stopping') this.goOffline(accountId, live, t, 'the EA stopped');
    else if (!live.online) {
      live.online = true;
      live.offlineSince = null;
      this.emit(accountId, { type: 'online' });
    }
  }

  /** Commands queued or handed out and not yet acknowledged. */
  pendingCount(accountId: string): number {
    return this.store.pending(accountId).length;
  }

  status(accountId: string): TerminalStatus {
    const live = this.state(accountId);
    this.checkOnline(accountId, live, this.now());
    return {
      online: live.online,
      lastHeartbeatAt: live.lastHeartbeatAt,
      offlineSince: live.offlineSince,
      heartbeat: live.heartbeat,
    };
  }

  /** Resolves when the command ends, or with `timeout` after `timeoutMs`. */
  result(id: string, timeoutMs: number): Promise<CommandOutcome> {
    const row = this.store.command(id);
    if (row && FINAL.has(row.status)) {
      return Promise.resolve({ status: row.status as 'done', row });
    }
    return new Promise((resolve) => {
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      const timer = setTimeout(() => {
        set.delete(finish);
        if (!set.size) this.waiters.delete(id);
        resolve({ status: 'timeout', row: this.store.command(id) });
      }, timeoutMs);
      const finish = (o: CommandOutcome) => {
        clearTimeout(timer);
        resolve(o);
      };
      set.add(finish);
    });
  }

  /** Withdraws a command the EA has not taken yet (false once it was handed out). */
  withdraw(id: string): boolean {
    const ok = this.store.cancelQueued(id, this.now());
    if (ok) this.settle(this.store.command(id)!);
    return ok;
  }

  on(accountId: string, listener: (e: HubEvent) => void): () => void {
    const set = this.listeners.get(accountId) ?? new Set();
    this.listeners.set(accountId, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Expires overdue queued commands and notices EAs that fell silent. */
  sweep(): void {
    // A timer callback: a throw here would be an uncaught exception that ends the process.
    try {
      const t = this.now();
      this.expire(t);
      for (const [accountId, live] of this.live) this.checkOnline(accountId, live, t);
    } catch (error) {
      this.opts.onError?.(error);
    }
  }

  private expire(t: number): void {
    for (const row of this.store.expireQueued(t)) {
      this.settle(row);
      this.emit(row.accountId, { type: 'result', command: row });
    }
  }

  private settle(row: CommandRow): void {
    const set = this.waiters.get(row.id);
    if (!set) return;
    this.waiters.delete(row.id);
    for (const w of set) w({ status: row.status as 'done', row });
  }

  private state(accountId: string): Live {
    let live = this.live.get(accountId);
    if (!live) {
      const stored = this.store.lastHeartbeat(accountId);
      live = {
        heartbeat: stored?.heartbeat ?? null,
        lastHeartbeatAt: stored?.lastHeartbeatAt ?? null,
        online: false,
        offlineSince: stored?.lastHeartbeatAt ?? null,
        seenDeals: new Set(),
        filled: new Map(),
        recent: [],
        heartbeatTick: 0,
        excusedMs: 0,
      };
      this.live.set(accountId, live);
      // A heartbeat stored before a restart still counts while it is fresh.
      if (stored && stored.heartbeat.state !== 'stopping') {
        live.online = !this.stale(live, this.now());
        if (live.online) live.offlineSince = null;
      }
    }
    return live;
  }

  /**
   * Silent for more than three heartbeat intervals plus the longest long-poll wait since its
   * last heartbeat: a poll held since before it went stale keeps it online to the end of the
   * wait, while an EA whose heartbeats fail and whose polls work still goes offline.
   */
  private stale(live: Live, t: number): boolean {
    if (live.lastHeartbeatAt === null || !live.heartbeat) return true;
    const interval = live.heartbeat.ea.heartbeatMs;
    return t - live.lastHeartbeatAt > OFFLINE_AFTER_INTERVALS * interval + live.excusedMs;
  }

  private checkOnline(accountId: string, live: Live, t: number): void {
    if (live.online && this.stale(live, t)) {
      this.goOffline(accountId, live, live.lastHeartbeatAt ?? t, 'no heartbeat');
    }
  }

  private goOffline(accountId: string, live: Live, since: number, reason: string): void {
    if (!live.online && live.offlineSince !== null) return;
    live.online = false;
    live.offlineSince = since;
    this.emit(accountId, { type: 'offline', since, reason });
  }

  private emit(accountId: string, e: HubEvent): void {
    if (e.type === 'result') this.remember(accountId, e.command);
    for (const l of this.listeners.get(accountId) ?? []) {
      try {
        l(e);
      } catch {
        // A listener's failure is its own; the queue and the other listeners go on.
      }
    }
  }

  /**
   * Results recorded after the last heartbeat, oldest first: the heartbeat does not show
   * them yet (the EA sends one right after its acks), so reads lay them over it.
   */
  resultsSinceHeartbeat(accountId: string): CommandRow[] {
    const live = this.state(accountId);
    return live.recent.filter((r) => r.tick > live.heartbeatTick).map((r) => r.row);
  }

  /** Orders the EA's deals showed filled (ticket → filled volume), for orders gone from the list. */
  filledOrders(accountId: string): ReadonlyMap<string, string> {
    return this.state(accountId).filled;
  }

  private remember(accountId: string, row: CommandRow): void {
    const live = this.state(accountId);
    live.recent.push({ tick: ++this.tick, row });
    if (live.recent.length > RECENT_MAX) live.recent.splice(0, live.recent.length - RECENT_MAX);
  }
}
