import type { CommandBody, CommandResult, HeartbeatBody } from './protocol';

/**
 * What the bridge hub keeps durably, in its own words: each account's command queue and the
 * last heartbeat of its EA. The accounts feature implements `BridgeStore` over its tables
 * (`features/accounts/bridge-store.ts`), so the connector never touches the database.
 */

/** `queued` → `sent` → `done` | `failed`; or `expired` / `cancelled` (never handed out, or refused late). */
export type CommandStatus = 'queued' | 'sent' | 'done' | 'failed' | 'expired' | 'cancelled';

/** A queued command and, once acknowledged, the EA's result. */
export interface CommandRow {
  id: string;
  accountId: string;
  /** Monotonic per account (from 1): the EA runs commands in this order. */
  seq: number;
  command: CommandBody;
  status: CommandStatus;
  createdAt: number;
  expiresAt: number;
  sentAt: number | null;
  doneAt: number | null;
  result: CommandResult | null;
}

/** The last heartbeat an account's EA sent, as stored. */
export interface TerminalRow {
  accountId: string;
  lastHeartbeatAt: number;
  heartbeat: HeartbeatBody;
}

/**
 * The bridge's queue and terminal status. Each change is one transaction; the state
 * transitions (`queued` → `sent` → final, `queued` → `expired` | `cancelled`) are guarded by the
 * current status, so a repeated or late call changes nothing and says so.
 *
 * A change may be committed before it is on disk (the hot path's changes are synced off the
 * event loop): whoever tells the EA or a caller about one awaits `durable()` first.
 */
export interface BridgeStore {
  /** Resolves once every change made so far is on disk; rejects when the disk refused it. */
  durable(): Promise<void>;
  /** Appends a `queued` command after the account's last one; returns its seq. */
  enqueue(
    accountId: string,
    id: string,
    command: CommandBody,
    now: number,
    expiresAt: number,
  ): number;
  /** A command by id (null: none). */
  command(id: string): CommandRow | null;
  /** The account's queued and handed-out commands, in seq order. */
  pending(accountId: string): CommandRow[];
  countPending(accountId: string): number;
  /** Marks these commands handed out at `now` (again, for a re-hand-out after the lease). */
  markSent(ids: string[], now: number): void;
  /**
   * Records a handed-out command's final status and result once: true when this call
   * recorded it (the command was `sent`), false for a repeat or a command not handed out.
   */
  recordResult(id: string, status: CommandStatus, result: CommandResult, now: number): boolean;
  /** Expires every queued command (of any account) whose expiry is `now` or earlier; returns them. */
  expireQueued(now: number): CommandRow[];
  /** Withdraws a command the EA has not taken yet: true when it was still `queued`. */
  cancelQueued(id: string, now: number): boolean;
  /** The account's newest `open` command carrying this client order id. */
  openByClientOrderId(accountId: string, clientOrderId: string): CommandRow | null;
  /** The account's newest `open` command whose result carries this ticket. */
  openByTicket(accountId: string, ticket: string): CommandRow | null;
  /** Replaces the account's stored heartbeat. */
  saveHeartbeat(accountId: string, now: number, heartbeat: HeartbeatBody): void;
  /** The account's stored heartbeat (null: its EA has never been seen). */
  lastHeartbeat(accountId: string): TerminalRow | null;
}
