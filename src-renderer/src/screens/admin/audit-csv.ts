import { AUDIT_ACTIONS, isAuditAction, type AuditEvent } from '../../../../src-shared/contract';
import { csvCell } from '../../../../src-shared/csv';

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

/** The events as CSV: a header line, then one line per event, CRLF line ends. */
export function auditCsv(events: readonly AuditEvent[]): string {
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
