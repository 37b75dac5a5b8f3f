import { describe, expect, it } from 'vitest';
import {
  ledgerCsv,
  ledgerIn,
  periodOf,
  statementName,
  tradesCsv,
  tradesIn,
  type Entry,
  type Fill,
} from '../../../src-renderer/src/screens/wallet/statements';

const fill = (tradeId: number, ts: number, extra: Partial<Fill> = {}): Fill => ({
  symbol: 'BTC/USDT',
  tradeId,
  orderId: 100 + tradeId,
  side: 'buy',
  role: 'taker',
  price: '30000.00',
  qty: '0.01000000',
  quoteQty: '300.000000',
  fee: '0.600000',
  feeAsset: 'USDT',
  ts,
  ...extra,
});

const entry = (id: number, ts: number, extra: Partial<Entry> = {}): Entry => ({
  id,
  kind: 'trade_settlement',
  refType: 'trade',
  refId: `BTC/USDT:${id}`,
  reason: null,
  ts,
  postings: [{ asset: 'USDT', purpose: 'held', amount: '-300.600000' }],
  ...extra,
});

describe('statement period', () => {
  it('covers whole local days, both inclusive, and leaves blank sides open', () => {
    expect(periodOf('', '')).toEqual({});
    expect(periodOf('2026-03-01', '')).toEqual({ from: new Date(2026, 2, 1).getTime() });
    expect(periodOf('', '2026-03-31')).toEqual({ to: new Date(2026, 3, 1).getTime() - 1 });
    // One day: from its first to its last millisecond.
    const day = periodOf('2026-12-31', '2026-12-31');
    expect(day).toEqual({
      from: new Date(2026, 11, 31).getTime(),
      to: new Date(2027, 0, 1).getTime() - 1,
    });
  });

  it('refuses a period that ends before it starts, or a malformed date', () => {
    expect(periodOf('2026-03-02', '2026-03-01')).toEqual({
      error: 'The period ends before it starts.',
    });
    expect(periodOf('03/01/2026', '')).toEqual({ error: 'Dates are written YYYY-MM-DD.' });
  });
});

describe('reading a statement', () => {
  it('pages trades oldest first with the period passed to the server, up to the cap', async () => {
    const all = Array.from({ length: 7 }, (_, i) => fill(i + 1, 1000 + i));
    const seen: object[] = [];
    const list = async (input: { cursor?: string; limit?: number }) => {
      seen.push(input);
      const start = input.cursor ? Number(input.cursor) : 0;
      const items = all.slice(start, start + 3); // the fake serves 3 per page
      const next = start + 3 < all.length ? String(start + 3) : undefined;
      return next ? { items, nextCursor: next } : { items };
    };
    const full = await tradesIn({ from: 1000, to: 2000 }, list);
    expect(full.items.map((f) => f.tradeId)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(full.complete).toBe(true);
    expect(seen[0]).toEqual({ from: 1000, to: 2000, order: 'asc', limit: 500 });
    expect(seen[1]).toMatchObject({ cursor: '3', order: 'asc' });
    const capped = await tradesIn({}, list, 5);
    expect(capped.items.map((f) => f.tradeId)).toEqual([1, 2, 3, 4, 5]);
    expect(capped.complete).toBe(false);
  });

  it('walks the ledger newest first, keeps the period, stops before it, and returns it oldest first', async () => {
    // Entries 20..1 at ts 200..10 (newest first, as ledger.entries lists them), 2 per page.
    const all = Array.from({ length: 20 }, (_, i) => entry(20 - i, (20 - i) * 10));
    let calls = 0;
    const list = async (input: { cursor?: string }) => {
      calls++;
      const start = input.cursor ? Number(input.cursor) : 0;
      const items = all.slice(start, start + 2);
      const next = start + 2 < all.length ? String(start + 2) : undefined;
      return next ? { items, nextCursor: next } : { items };
    };
    const mid = await ledgerIn({ from: 50, to: 70 }, list);
    expect(mid.items.map((e) => e.id)).toEqual([5, 6, 7]);
    expect(mid.complete).toBe(true);
    expect(calls).toBe(9); // stopped at entry 4 (ts 40) on page 9 of 10
    const capped = await ledgerIn({}, list, 4);
    expect(capped.items.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(capped.complete).toBe(false);
  });
});

describe('statement CSV', () => {
  it('writes one line per fill with exact amounts, UTC times and CRLF line ends', () => {
    const csv = tradesCsv([
      fill(7, Date.UTC(2026, 0, 2, 3, 4, 5), { side: 'sell', role: 'maker', fee: '0.300000' }),
    ]);
    expect(csv).toBe(
      'time_utc,market,base_asset,quote_asset,side,role,price,quantity,value,fee,fee_asset,trade_id,order_id\r\n' +
        '2026-01-02T03:04:05.000Z,BTC/USDT,BTC,USDT,sell,maker,30000.00,0.01000000,300.000000,0.300000,USDT,7,107\r\n',
    );
  });

  it('writes one line per posting; reasons are quoted and guarded, negative amounts are not', () => {
    const csv = ledgerCsv([
      entry(3, Date.UTC(2026, 0, 1), {
        kind: 'funding',
        reason: '=HYPERLINK("x"), by admin',
        postings: [
          { asset: 'USDT', purpose: 'available', amount: '100.000000' },
          { asset: 'BTC', purpose: 'held', amount: '-0.50000000' },
        ],
      }),
    ]).split('\r\n');
    expect(csv[0]).toBe('entry_id,time_utc,kind,reason,ref_type,ref_id,asset,account,amount');
    expect(csv[1]).toBe(
      `3,2026-01-01T00:00:00.000Z,funding,"'=HYPERLINK(""x""), by admin",trade,BTC/USDT:3,USDT,available,100.000000`,
    );
    expect(csv[2]).toMatch(/,BTC,held,-0\.50000000$/);
    expect(csv).toHaveLength(4); // header, two postings, the final CRLF's empty tail
  });

  it('names the file after the period', () => {
    expect(statementName('trades', '2026-01-01', '2026-12-31')).toBe(
      'bourse-trades-2026-01-01_2026-12-31.csv',
    );
    expect(statementName('ledger', '', '2026-06-30')).toBe('bourse-ledger-start_2026-06-30.csv');
    expect(statementName('ledger', '2026-01-01', '')).toMatch(
      /^bourse-ledger-2026-01-01_\d{4}-\d{2}-\d{2}\.csv$/,
    );
  });
});
