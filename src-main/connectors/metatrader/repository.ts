import type { DatabaseHandle } from '../../db/database';
import type { CommandBody, CommandResult, HeartbeatBody } from './protocol';

/** `queued` → `sent` → `done` | `failed`; or `expired` / `cancelled` (never handed out, or refused late). */
export type CommandStatus = 'queued' | 'sent' | 'done' | 'failed' | 'expired' | 'cancelled';

export interface CommandRow {
  id: string;
  accountId: string;
  seq: number;
  command: CommandBody;
  status: CommandStatus;
  createdAt: number;
  expiresAt: number;
  sentAt: number | null;
  doneAt: number | null;
  result: CommandResult | null;
}

/** What the last heartbeat said, as stored in `bridge_terminals`. */
export interface TerminalRow {
  accountId: string;
  lastHeartbeatAt: number;
  heartbeat: HeartbeatBody;
}

interface RawCommand {
  id: string;
  account_id: string;
  seq: number;
  command: string;
  status: CommandStatus;
  created_at: number;
  expires_at: number;
  sent_at: number | null;
  done_at: number | null;
  result: string | null;
}

const toRow = (r: RawCommand): CommandRow => ({
  id: r.id,
  accountId: r.account_id,
  seq: r.seq,
  command: JSON.parse(r.command) as CommandBody,
  status: r.status,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  sentAt: r.sent_at,
  doneAt: r.done_at,
  result: r.result === null ? null : (JSON.parse(r.result) as CommandResult),
});

/**
 * The bridge queue and terminal table over the raw SQLite handle: reads on `.sqlite`, every
 * change in one `.write` transaction. The heartbeat's terminal JSON keeps the EA, terminal,
 * orders and symbols; `account` and `positions` have their own columns.
 */
export class BridgeRepository {
  constructor(private readonly db: DatabaseHandle) {}

  insert(accountId: string, id: string, command: CommandBody, now: number, expiresAt: number) {
    return this.db.write('bridge.enqueue', () => {
      const { seq } = this.db.sqlite
        .prepare(
          'SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM bridge_commands WHERE account_id = ?',
        )
        .get(accountId) as { seq: number };
      this.db.sqlite
        .prepare(
          `INSERT INTO bridge_commands (id, account_id, seq, command, status, created_at, expires_at)
           VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
        )
        .run(id, accountId, seq, JSON.stringify(command), now, expiresAt);
      return seq;
    });
  }

  get(id: string): CommandRow | null {
    const r = this.db.sqlite.prepare('SELECT * FROM bridge_commands WHERE id = ?').get(id) as
      RawCommand | undefined;
    return r ? toRow(r) : null;
  }

  /** Queued and handed-out commands of an account, in seq order. */
  pending(accountId: string): CommandRow[] {
    return (
      this.db.sqlite
        .prepare(
          `SELECT * FROM bridge_commands WHERE account_id = ? AND status IN ('queued', 'sent')
           ORDER BY seq`,
        )
        .all(accountId) as RawCommand[]
    ).map(toRow);
  }

  countPending(accountId: string): number {
    return (
      this.db.sqlite
        .prepare(
          `SELECT count(*) AS n FROM bridge_commands WHERE account_id = ? AND status IN ('queued', 'sent')`,
        )
        .get(accountId) as { n: number }
    ).n;
  }

  markSent(ids: string[], now: number): void {
    if (!ids.length) return;
    this.db.write('bridge.poll', () => {
      const st = this.db.sqlite.prepare(
        `UPDATE bridge_commands SET status = 'sent', sent_at = ? WHERE id = ? AND status IN ('queued', 'sent')`,
      );
      for (const id of ids) st.run(now, id);
    });
  }

  /** Records a result once: true when this call recorded it (the command was `sent`). */
  complete(id: string, status: CommandStatus, result: CommandResult, now: number): boolean {
    return this.db.write('bridge.ack', () => {
      const r = this.db.sqlite
        .prepare(
          `UPDATE bridge_commands SET status = ?, result = ?, done_at = ?
           WHERE id = ? AND status = 'sent'`,
        )
        .run(status, JSON.stringify(result), now, id);
      return r.changes === 1;
    });
  }

  /** Expires queued commands past their expiry; returns them. */
  expireQueued(now: number): CommandRow[] {
    return this.db.write('bridge.expire', () =>
      (
        this.db.sqlite
          .prepare(
            `UPDATE bridge_commands SET status = 'expired', done_at = ?
             WHERE status = 'queued' AND expires_at <= ? RETURNING *`,
          )
          .all(now, now) as RawCommand[]
      ).map(toRow),
    );
  }

  /** Withdraws a command the EA has not taken yet. */
  cancelQueued(id: string, now: number): boolean {
    return this.db.write(
      'bridge.cancel',
      () =>
        this.db.sqlite
          .prepare(
            `UPDATE bridge_commands SET status = 'cancelled', done_at = ? WHERE id = ? AND status = 'queued'`,
          )
          .run(now, id).changes === 1,
    );
  }

  /** The newest open command carrying this client order id. */
  byClientOrderId(accountId: string, clientOrderId: string): CommandRow | null {
    const r = this.db.sqlite
      .prepare(
        `SELECT * FROM bridge_commands WHERE account_id = ?
         AND json_extract(command, '$.action') = 'open'
         AND json_extract(command, '$.clientOrderId') = ?
         ORDER BY seq DESC LIMIT 1`,
      )
      .get(accountId, clientOrderId) as RawCommand | undefined;
    return r ? toRow(r) : null;
  }

  /** The open command whose result carries this ticket. */
  byTicket(accountId: string, ticket: string): CommandRow | null {
    const r = this.db.sqlite
      .prepare(
        `SELECT * FROM bridge_commands WHERE account_id = ?
         AND json_extract(command, '$.action') = 'open'
         AND json_extract(result, '$.ticket') = ?
         ORDER BY seq DESC LIMIT 1`,
      )
      .get(accountId, ticket) as RawCommand | undefined;
    return r ? toRow(r) : null;
  }

  saveTerminal(accountId: string, now: number, hb: HeartbeatBody): void {
    const { account, positions, ...rest } = hb;
    this.db.write('bridge.heartbeat', () => {
      this.db.sqlite
        .prepare(
          `INSERT INTO bridge_terminals (account_id, last_heartbeat_at, terminal, account, positions)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(account_id) DO UPDATE SET last_heartbeat_at = excluded.last_heartbeat_at,
             terminal = excluded.terminal, account = excluded.account, positions = excluded.positions`,
        )
        .run(
          accountId,
          now,
          JSON.stringify(rest),
          JSON.stringify(account),
          JSON.stringify(positions),
        );
    });
  }

  terminal(accountId: string): TerminalRow | null {
    const r = this.db.sqlite
      .prepare('SELECT * FROM bridge_terminals WHERE account_id = ?')
      .get(accountId) as
      | {
          account_id: string;
          last_heartbeat_at: number;
          terminal: string;
          account: string;
          positions: string;
        }
      | undefined;
    if (!r) return null;
    const rest = JSON.parse(r.terminal) as Omit<HeartbeatBody, 'account' | 'positions'>;
    return {
      accountId: r.account_id,
      lastHeartbeatAt: r.last_heartbeat_at,
      heartbeat: {
        ...rest,
        account: JSON.parse(r.account) as HeartbeatBody['account'],
        positions: JSON.parse(r.positions) as HeartbeatBody['positions'],
      },
    };
  }
}
