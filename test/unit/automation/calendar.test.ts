import { describe, expect, it } from 'vitest';
import { parseCalendar } from '../../../src-main/domain/automation';

describe('calendar imports', () => {
  it('reads CSV with local times in the given zone and explicit offsets', () => {
    const csv =
      'date,time,currency,event,impact\n2026-11-12,08:30,USD,"CPI m/m, core",high\n2026-11-13,2026-11-13T10:00:00Z,EUR,x\n';
    const r = parseCalendar(
      csv.replace('2026-11-13,2026-11-13T10:00:00Z', '2026-11-13,10:00'),
      'America/New_York',
    );
    expect(r.ok && r.value).toEqual([
      { ts: Date.UTC(2026, 10, 12, 13, 30), title: 'CPI m/m, core', currency: 'USD' },
      { ts: Date.UTC(2026, 10, 13, 15, 0), title: 'x', currency: 'EUR' },
    ]);
    const iso = parseCalendar('datetime,title\n2026-11-12T13:30:00+01:00,ECB', 'UTC');
    expect(iso.ok && iso.value[0]!.ts).toBe(Date.UTC(2026, 10, 12, 12, 30));
  });
  it('reports the bad CSV line', () => {
    const r = parseCalendar('datetime,title\n2026-11-12 08:30,A\nsoon,B', 'UTC');
    expect(!r.ok && r.error.message).toBe('line 3: "soon" is not a date and time');
    const h = parseCalendar('when,what\n1,2', 'UTC');
    expect(!h.ok && h.error.message).toContain('header needs a time column');
  });
  it('reads iCalendar (UTC, TZID, folded lines, categories)', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'DTSTART:20261112T133000Z',
      'SUMMARY:US CPI',
      'CATEGORIES:USD',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART;TZID=Europe/Berlin:20260329T030000',
      'SUMMARY:Long title that is',
      '  folded',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const r = parseCalendar(ics, 'UTC');
    expect(r.ok && r.value).toEqual([
      { ts: Date.UTC(2026, 10, 12, 13, 30), title: 'US CPI', currency: 'USD' },
      { ts: Date.UTC(2026, 2, 29, 1, 0), title: 'Long title that is folded', currency: null },
    ]);
    const bad = parseCalendar(
      'BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR',
      'UTC',
    );
    expect(!bad.ok && bad.error.message).toContain('no readable DTSTART');
  });
});
