import type { Statement } from 'better-sqlite3';
import type { AuditAction, AuditEvent } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import { currentScope } from '../../observability/context';
import type { OperationContext } from '../../operations/context';
import { userIdOf } from '../../operations/principal';

export interface AuditQuery {
  action?: AuditAction;
  actor?: string;
  target?: string;
  until?: number;
  cursor?: string;
  limit?: number;
}

export interface AuditRecord {
  /** A user id, or `SYSTEM_ACTOR`. */
  actor: string;
  action: AuditAction;
  target: string | null;
  details?: object;
  /**
   * The request's correlation id. Defaults to the current scope's; pass it when recording
   * from code that runs outside the request's scope (the exchange's batch commit).
   */
  correlationId?: string;
}

/** The actor of what the scheduler or start-up does on its own. */
export const SYSTEM_ACTOR = 'system';

/**
 * The audit trail: append-only rows of who did what to what, with the correlation id of the
 * request so an event leads to its log lines. `record` joins whatever transaction is open on
 * the connection, so a caller that records inside its own write transaction gets the event
 * and the change committed together or not at all.
 */
export class AuditLog {
  private insert?: Statement;

  constructor(
    private readonly store: DatabaseHandle,
    private readonly now: () => number,
  ) {}

  record(event: AuditRecord): void {
    this.insert ??= this.store.sqlite.prepare(
      `INSERT INTO audit_events (ts, actor, action, target, details, correlation_id)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.insert.run(
      this.now(),
      event.actor,
      event.action,
      event.target,
      JSON.stringify(event.details ?? {}),
      event.correlationId ?? currentScope()?.correlationId ?? null,
    );
  }

  /**
   * Records what an operation's caller did: the user behind the call (`system` for jobs), the
   * API key when one was used, and the request's correlation id.
   */
  recordFor(
    op: OperationContext,
    action: AuditAction,
    target: string | null,
    details: object = {},
  ): void {
    this.record(auditOf(op, action, target, details));
  }

  /**
   * Newest first, one page. Each filter has an index ending in `id`, so the page is read in
   * order from the index, never by sorting the whole trail; a date is turned into an id bound.
   */
  list(q: AuditQuery): { items: AuditEvent[]; nextCursor?: string } {
    const limit = q.limit ?? 50;
    let before = q.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(q.cursor);
    const where = ['e.id < ?'];
    const args: unknown[] = [];
    if (q.until !== undefined) {
      // ids grow with time, so the first id at or after `until` bounds the page; the `ts`
      // condition below keeps the answer exact if the clock ever stepped back.
      const first = this.store.sqlite
        .prepare('SELECT id FROM audit_events WHERE ts >= ? ORDER BY ts, id LIMIT 1')
        .get(q.until) as { id: number } | undefined;
      if (first) before = Math.min(before, first.id);
      where.push('e.ts < ?');
      args.push(q.until);
    }
    args.unshift(before);
    if (q.action !== undefined) {
      where.push('e.action = ?');
      args.push(q.action);
    }
    if (q.actor !== undefined) {
      where.push('e.actor = ?');
      args.push(q.actor);
    }
    if (q.target !== undefined) {
      where.push('e.target = ?');
      args.push(q.target);
    }
    const rows = this.store.sqlite
      .prepare(
        `SELECT e.id, e.ts, e.actor, a.email AS actorEmail, e.action, e.target,
                t.email AS targetEmail, e.details, e.correlation_id AS correlationId
         FROM audit_events e
         LEFT JOIN users a ON a.id = e.actor
         LEFT JOIN users t ON t.id = e.target
         WHERE ${where.join(' AND ')}
         ORDER BY e.id DESC LIMIT ?`,
      )
      .all(...args, limit + 1) as Array<Omit<AuditEvent, 'details'> & { details: string }>;
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({ ...r, details: parseDetails(r.details) })),
      ...(rows.length > limit ? { nextCursor: String(page.at(-1)?.id) } : {}),
    };
  }
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { raw: text };
  }
}

/** The audit record of an operation's caller doing `action` (see `AuditLog.recordFor`). */
export function auditOf(
  op: OperationContext,
  action: AuditAction,
  target: string | null,
  details: object = {},
): AuditRecord {
  const p = op.principal;
  return {
    actor: userIdOf(p) ?? SYSTEM_ACTOR,
    action,
    target,
    details: p.kind === 'apiKey' ? { ...details, apiKey: p.keyId } : details,
    correlationId: op.correlationId,
  };
}

/** The fields an update changed, each as `{ from, to }` (what an auditor asks first). */
export function changedFields(
  before: object,
  after: object,
): Record<string, { from: unknown; to: unknown }> {
  const was = before as Record<string, unknown>;
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(after)) {
    if (JSON.stringify(was[key]) !== JSON.stringify(to)) out[key] = { from: was[key], to };
  }
  return out;
}
