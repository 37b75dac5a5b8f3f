import { AUDIT_ACTIONS, isAuditAction } from '../../../../src-shared/contract';

export interface AuditCsvEvent {
  id: number;
  ts: number;
  actor: string;
  actorEmail: string | null;
  action: string;
  target: string | null;
  targetEmail: string | null;
  details: Record<string, unknown>;
  correlationId: string | null;
}

const HEADER = [
  'id',
  'time_utc',
  'actor',
  'actor_email',
  'action',
  'action_label',
  'target',
  'target_email',
  'details_json',
  'correlation_id',
];

/**
 * One CSV cell (RFC 4180). Reasons, names and labels in the trail are typed by people, so a
 * cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is prefixed
 * with an apostrophe: opening an export must not execute what a user wrote.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The events as CSV: a header line, then one line per event, CRLF line ends. */
export function auditCsv(events: readonly AuditCsvEvent[]): string {
  const lines = events.map((e) =>
    [
      String(e.id),
      new Date(e.ts).toISOString(),
      e.actor,
      e.actorEmail ?? '',
      e.action,
      isAuditAction(e.action) ? AUDIT_ACTIONS[e.action] : '',
      e.target ?? '',
      e.targetEmail ?? '',
      JSON.stringify(e.details),
      e.correlationId ?? '',
    ]
      .map(csvCell)
      .join(','),
  );
  return [HEADER.join(','), ...lines].join('\r\n') + '\r\n';
}
