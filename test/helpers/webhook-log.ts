import type { LogRow } from '../../src-main/features/automation/store';

/** A webhook log row as the pipeline writes one, with only what a test cares about given. */
export function logRow(o: Partial<LogRow> & Pick<LogRow, 'tsReceived'>): LogRow {
  const status = o.status ?? 'rejected';
  return {
    userId: null,
    accountId: null,
    route: 'tv',
    status,
    httpStatus: status === 'accepted' ? 200 : 400,
    format: null,
    alertId: null,
    symbol: null,
    remoteIp: '203.0.113.1',
    contentType: 'application/json',
    rawBody: '{}',
    intent: null,
    decisions: '[]',
    orders: '[]',
    errorCode: null,
    errorMessage: null,
    duplicateOf: null,
    ordersPlaced: 0,
    tradesExecuted: 0,
    latencyUs: 100,
    correlationId: null,
    ...o,
  };
}
