import { and, count, desc, eq, inArray, lte, max, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/database';
import { bridgeCommands, bridgeTerminals } from '../../db/schema';
import type {
  BridgeStore,
  CommandRow,
  CommandStatus,
  TerminalRow,
} from '../../connectors/metatrader/store';
import type {
  CommandBody,
  CommandResult,
  HeartbeatBody,
} from '../../connectors/metatrader/protocol';

const PENDING: CommandStatus[] = ['queued', 'sent'];

const toRow = (r: typeof bridgeCommands.$inferSelect): CommandRow => ({
  id: r.id,
  accountId: r.accountId,
  seq: r.seq,
  command: JSON.parse(r.command) as CommandBody,
  status: r.status as CommandStatus,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  sentAt: r.sentAt,
  doneAt: r.doneAt,
  result: r.result === null ? null : (JSON.parse(r.result) as CommandResult),
});

/**
 * The MetaTrader bridge's queue (`bridge_commands`) and terminal status (`bridge_terminals`)
 * (drizzle; every change one small transaction). The heartbeat's terminal JSON keeps the EA,
 * terminal, orders and symbols; `account` and `positions` have their own columns.
 *
 * The changes an EA's every poll and heartbeat make (enqueue, hand-out, result, heartbeat)
 * commit deferred: an fsync each on the event loop held up every alert behind the EA's round
 * trips. The bridge door awaits `durable()` before it answers the EA, so nothing the EA is
 * handed or told is lost to a power cut. A withdrawal stays a synchronous commit: its caller
 * is told at once that the command will never run.
 */
export class SqliteBridgeStore implements BridgeStore {
  constructor(private readonly store: DatabaseHandle) {}

  durable(): Promise<void> {
    return this.store.durable();
  }

  enqueue(accountId: string, id: string, command: CommandBody, now: number, expiresAt: number) {
    return this.store.writeDeferred('bridge.enqueue', () => {
      const last = this.store.db
        .select({ seq: max(bridgeCommands.seq) })
        .from(bridgeCommands)
        .where(eq(bridgeCommands.accountId, accountId))
        .get();
      const seq = (last?.seq ?? 0) + 1;
      this.store.db
        .insert(bridgeCommands)
        .values({
          id,
          accountId,
          seq,
          command: JSON.stringify(command),
          status: 'queued',
          createdAt: now,
          expiresAt,
        })
        .run();
      return seq;
    });
  }

  command(id: string): CommandRow | null {
    const r = this.store.db.select().from(bridgeCommands).where(eq(bridgeCommands.id, id)).get();
    return r ? toRow(r) : null;
  }

  pending(accountId: string): CommandRow[] {
    return this.store.db
      .select()
      .from(bridgeCommands)
      .where(this.pendingOf(accountId))
      .orderBy(bridgeCommands.seq)
      .all()
      .map(toRow);
  }

  countPending(accountId: string): number {
    const r = this.store.db
      .select({ n: count() })
      .from(bridgeCommands)
      .where(this.pendingOf(accountId))
      .get();
    return r?.n ?? 0;
  }

  markSent(ids: string[], now: number): void {
    if (!ids.length) return;
    this.store.writeDeferred('bridge.poll', () =>
      this.store.db
        .update(bridgeCommands)
        .set({ status: 'sent', sentAt: now })
        .where(and(inArray(bridgeCommands.id, ids), inArray(bridgeCommands.status, PENDING)))
        .run(),
    );
  }

  recordResult(id: string, status: CommandStatus, result: CommandResult, now: number): boolean {
    return this.store.writeDeferred(
      'bridge.ack',
      () =>
        this.store.db
          .update(bridgeCommands)
          .set({ status, result: JSON.stringify(result), doneAt: now })
          .where(and(eq(bridgeCommands.id, id), eq(bridgeCommands.status, 'sent')))
          .run().changes === 1,
    );
  }

  expireQueued(now: number): CommandRow[] {
    // Every poll sweeps: a read by index first, and a write transaction only when one is due.
    const due = this.store.db
      .select({ id: bridgeCommands.id })
      .from(bridgeCommands)
      .where(and(eq(bridgeCommands.status, 'queued'), lte(bridgeCommands.expiresAt, now)))
      .limit(1)
      .get();
    if (!due) return [];
    return this.store.write('bridge.expire', () =>
      this.store.db
        .update(bridgeCommands)
        .set({ status: 'expired', doneAt: now })
        .where(and(eq(bridgeCommands.status, 'queued'), lte(bridgeCommands.expiresAt, now)))
        .returning()
        .all()
        .map(toRow),
    );
  }

  cancelQueued(id: string, now: number): boolean {
    return this.store.write(
      'bridge.cancel',
      () =>
        this.store.db
          .update(bridgeCommands)
          .set({ status: 'cancelled', doneAt: now })
          .where(and(eq(bridgeCommands.id, id), eq(bridgeCommands.status, 'queued')))
          .run().changes === 1,
    );
  }

  openByClientOrderId(accountId: string, clientOrderId: string): CommandRow | null {
    return this.newestOpen(
      accountId,
      sql`json_extract(${bridgeCommands.command}, '$.clientOrderId') = ${clientOrderId}`,
    );
  }

  openByTicket(accountId: string, ticket: string): CommandRow | null {
    return this.newestOpen(
      accountId,
      sql`json_extract(${bridgeCommands.result}, '$.ticket') = ${ticket}`,
    );
  }

  saveHeartbeat(accountId: string, now: number, heartbeat: HeartbeatBody): void {
    const { account, positions, ...rest } = heartbeat;
    const row = {
      lastHeartbeatAt: now,
      terminal: JSON.stringify(rest),
      account: JSON.stringify(account),
      positions: JSON.stringify(positions),
    };
    this.store.writeDeferred('bridge.heartbeat', () =>
      this.store.db
        .insert(bridgeTerminals)
        .values({ accountId, ...row })
        .onConflictDoUpdate({ target: bridgeTerminals.accountId, set: row })
        .run(),
    );
  }

  lastHeartbeat(accountId: string): TerminalRow | null {
    const r = this.store.db
      .select()
      .from(bridgeTerminals)
      .where(eq(bridgeTerminals.accountId, accountId))
      .get();
    if (!r) return null;
    const rest = JSON.parse(r.terminal) as Omit<HeartbeatBody, 'account' | 'positions'>;
    return {
      accountId: r.accountId,
      lastHeartbeatAt: r.lastHeartbeatAt,
      heartbeat: {
        ...rest,
        account: JSON.parse(r.account) as HeartbeatBody['account'],
        positions: JSON.parse(r.positions) as HeartbeatBody['positions'],
      },
    };
  }

  private pendingOf(accountId: string) {
    return and(eq(bridgeCommands.accountId, accountId), inArray(bridgeCommands.status, PENDING));
  }

  /** JSON paths in SQLite's `json_extract`: this is the SQLite implementation of the store. */
  private newestOpen(accountId: string, match: ReturnType<typeof sql>): CommandRow | null {
    const r = this.store.db
      .select()
      .from(bridgeCommands)
      .where(
        and(
          eq(bridgeCommands.accountId, accountId),
          sql`json_extract(${bridgeCommands.command}, '$.action') = 'open'`,
          match,
        ),
      )
      .orderBy(desc(bridgeCommands.seq))
      .limit(1)
      .get();
    return r ? toRow(r) : null;
  }
}
