import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCandles } from '../../../src-main/domain/candles';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { rejects } from '../../helpers/exchange';
import { bars, skipWithoutRealData, trader, type Caller } from './setup';

let backend: TestBackend;
let me: Caller;
let other: Caller;

beforeAll(async () => {
  backend = await startTestBackend();
  me = await trader(backend);
  other = await trader(backend);
});
afterAll(async () => {
  await backend.cleanup();
});

interface Imported {
  dataset: {
    id: number;
    barCount: number;
    interval: string | null;
    source: string;
    firstTime: number;
    lastTime: number;
    hasOpenInterest: boolean;
    issueCount: number;
  };
  report: {
    rowsRead: number;
    rowsAccepted: number;
    rowsRejected: number;
    issues: { row: number; code: string; severity: string; message: string }[];
    issueCounts: Record<string, number>;
  };
}

describe('backtest datasets', () => {
  it('imports the real daily, minute, stock and JSON files with their reports', async (ctx) => {
    skipWithoutRealData(
      ctx,
      'bars/2006-01-02-volume-min-001.txt',
      'bars/orcl-1995-2014.txt',
      'bars/freqtrade-UNITTEST_BTC-1m.json',
    );
    const day = await me.invoke<Imported>('backtest.datasets.import', {
      name: '2006 daily',
      content: bars('2006-day-001.txt'),
    });
    expect(day.dataset).toMatchObject({
      barCount: 255,
      interval: '1d',
      source: 'csv',
      hasOpenInterest: true,
    });
    expect(day.report.rowsAccepted).toBe(255);
    expect(day.dataset.firstTime).toBe(Date.UTC(2006, 0, 2));

    const minute = await me.invoke<Imported>('backtest.datasets.import', {
      name: '2006 minutes',
      content: bars('2006-01-02-volume-min-001.txt'),
    });
    const direct = parseCandles(bars('2006-01-02-volume-min-001.txt'));
    expect(minute.dataset.barCount).toBe(direct.candles.length);
    expect(minute.dataset.barCount).toBeGreaterThan(30_000);
    expect(minute.dataset.interval).toBe('1m');

    const orcl = await me.invoke<Imported>('backtest.datasets.import', {
      name: 'ORCL adjusted',
      content: bars('orcl-1995-2014.txt'),
      adjust: 'adjusted',
      symbol: 'ORCL',
    });
    expect(orcl.dataset.barCount).toBeGreaterThan(4_000);

    const btc = await me.invoke<Imported>('backtest.datasets.import', {
      name: 'BTC 1m',
      content: bars('freqtrade-UNITTEST_BTC-1m.json'),
    });
    expect(btc.dataset.source).toBe('json');
    expect(btc.dataset.barCount).toBe(13_681);
    // The file has gaps: reported row by row as warnings, rows kept.
    expect(btc.report.issueCounts.gap).toBeGreaterThan(0);
    expect(btc.report.issues.find((i) => i.code === 'gap')).toMatchObject({ severity: 'warning' });

    const list = await me.invoke<{ items: { id: number }[] }>('backtest.datasets.list', {});
    expect(list.items.map((d) => d.id)).toEqual([
      btc.dataset.id,
      orcl.dataset.id,
      minute.dataset.id,
      day.dataset.id,
    ]);
    // Nobody else sees them.
    expect((await other.invoke<{ items: unknown[] }>('backtest.datasets.list', {})).items).toEqual(
      [],
    );
    await rejects(other.invoke('backtest.datasets.get', { id: day.dataset.id }), 'not_found');
  });

  it('reports bad rows by line number and drops them; refuses a file with no valid bar', async () => {
    const csv = [
      'Date,Open,High,Low,Close,Volume',
      '2024-01-02,10,11,9,10.5,100',
      '2024-01-03,10.5,9,12,10,100', // high < low (line 3)
      '2024-01-04,10,11,9,10.2,100',
      '2024-01-03,10,11,9,10.1,100', // out of order (line 5)
      '2024-01-05,10,abc,9,10,100', // bad number (line 6)
      '2024-01-08,10,11,9,10.4,100',
    ].join('\n');
    const r = await me.invoke<Imported>('backtest.datasets.import', {
      name: 'dirty',
      content: csv,
    });
    expect(r.dataset.barCount).toBe(3);
    const byRow = Object.fromEntries(r.report.issues.map((i) => [i.row, i.code]));
    expect(byRow[3]).toBe('high-below-low');
    expect(byRow[5]).toBe('out-of-order');
    expect(byRow[6]).toBe('bad-number');
    expect(r.report.rowsRejected).toBe(3);
    const stored = await me.invoke<Imported>('backtest.datasets.get', { id: r.dataset.id });
    expect(stored.report.issues).toEqual(r.report.issues);

    const e = (await rejects(
      me.invoke('backtest.datasets.import', { name: 'junk', content: 'hello\nworld' }),
      'dataset_invalid',
    )) as { details?: { report?: { issues: unknown[] } } };
    expect(e.details?.report?.issues.length).toBeGreaterThan(0);
  });

  it('previews candles in pages and deletes', async () => {
    const day = await me.invoke<Imported>('backtest.datasets.import', {
      name: 'preview',
      content: bars('2006-day-001.txt'),
    });
    const direct = parseCandles(bars('2006-day-001.txt')).candles;
    const page = await me.invoke<{
      total: number;
      offset: number;
      time: number[];
      close: number[];
    }>('backtest.datasets.candles', { id: day.dataset.id, offset: 250, limit: 100 });
    expect(page.total).toBe(255);
    expect(page.time).toHaveLength(5);
    expect(page.close).toEqual(Array.from(direct.close.subarray(250)));
    await me.invoke('backtest.datasets.delete', { id: day.dataset.id });
    await rejects(me.invoke('backtest.datasets.get', { id: day.dataset.id }), 'not_found');
  });

  it('uploads through HTTP within the body limit', async (ctx) => {
    skipWithoutRealData(ctx, 'bars/2006-01-02-volume-min-001.txt');
    // 1.8 MB: above the default 1 MiB body limit, accepted by the import's own limit.
    const content = bars('2006-01-02-volume-min-001.txt');
    expect(content.length).toBeGreaterThan(1024 * 1024);
    const res = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/backtest/datasets/import',
      headers: me.headers,
      payload: { name: 'via http', content },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().dataset.interval).toBe('1m');
  });
});
