import { blankDraft } from '../../src-main/features/automation/alert-record';
import type { LogRow } from '../../src-main/features/automation/store';

/** A webhook log row as the pipeline writes one, with only what a test cares about given. */
export function logRow(o: Partial<LogRow> & Pick<LogRow, 'tsReceived'>): LogRow {
  return {
    ...blankDraft(o.route ?? 'tv', o.tsReceived),
    remoteIp: '203.0.113.1',
    contentType: 'application/json',
    rawBody: '{}',
    latencyUs: 100,
    ...(o.status === 'accepted' ? { httpStatus: 200 } : {}),
    ...o,
  };
}
