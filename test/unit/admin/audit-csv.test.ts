import { describe, expect, it } from 'vitest';
import { auditCsv } from '../../../src-renderer/src/screens/admin/audit-csv';
import { csvCell } from '../../../src-shared/csv';

describe('audit trail CSV export', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('never lets a spreadsheet run a cell as a formula', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd']) {
      const cell = csvCell(evil);
      expect(cell.replace(/^"/, '')).toMatch(/^'/);
    }
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
  });

  it('writes one line per event with its details as JSON', () => {
    const csv = auditCsv([
      {
        id: 7,
        ts: Date.UTC(2026, 0, 5, 12, 0, 0),
        actor: 'usr_1',
        actorEmail: 'owner@example.test',
        action: 'ledger.fund',
        target: 'usr_2',
        targetEmail: null,
        details: { amount: '250.5', reason: 'wire, "42"' },
        correlationId: 'c-1',
      },
    ]);
    const [header, line, end] = csv.split('\r\n');
    expect(header).toBe(
      'id,time_utc,actor,actor_email,action,action_label,target,target_email,details_json,correlation_id',
    );
    expect(line).toBe(
      '7,2026-01-05T12:00:00.000Z,usr_1,owner@example.test,ledger.fund,Balance funded,usr_2,,' +
        '"{""amount"":""250.5"",""reason"":""wire, \\""42\\""""}",c-1',
    );
    expect(end).toBe('');
  });
});
