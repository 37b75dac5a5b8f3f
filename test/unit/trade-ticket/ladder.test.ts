import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchOutcome,
  ladder,
  type LadderSpec,
} from '../../../src-renderer/src/screens/trade/ladder';

const BTC = { tickSize: '0.01', lotSize: '0.0001' };
const spec = (s: Partial<LadderSpec>): LadderSpec => ({
  from: '29000.00',
  to: '29100.00',
  count: '5',
  totalQty: '0.0100',
  ...BTC,
  ...s,
});

describe('scaled order ladder', () => {
  it('spaces prices evenly and splits the quantity in whole lots', () => {
    expect(ladder(spec({}))).toEqual({
      ok: true,
      legs: [
        { price: '29000.00', qty: '0.0020' },
        { price: '29025.00', qty: '0.0020' },
        { price: '29050.00', qty: '0.0020' },
        { price: '29075.00', qty: '0.0020' },
        { price: '29100.00', qty: '0.0020' },
      ],
    });
  });

  it('rounds to the nearest tick, runs downwards too, and puts spare lots first', () => {
    const r = ladder(spec({ from: '100.00', to: '99.99', count: '2', totalQty: '0.0003' }));
    expect(r).toEqual({
      ok: true,
      legs: [
        { price: '100.00', qty: '0.0002' },
        { price: '99.99', qty: '0.0001' },
      ],
    });
    const thirds = ladder(spec({ from: '10.00', to: '10.10', count: '4', totalQty: '0.0010' }));
    expect(thirds.ok && thirds.legs.map((l) => l.price)).toEqual([
      '10.00',
      '10.03',
      '10.07',
      '10.10',
    ]);
    expect(thirds.ok && thirds.legs.map((l) => l.qty)).toEqual([
      '0.0003',
      '0.0003',
      '0.0002',
      '0.0002',
    ]);
  });

  it('says which field is wrong and why', () => {
    expect(ladder(spec({ count: '1' }))).toMatchObject({ ok: false, field: 'count' });
    expect(ladder(spec({ count: '101' }))).toMatchObject({ ok: false, field: 'count' });
    expect(ladder(spec({ count: '2.5' }))).toMatchObject({ ok: false, field: 'count' });
    expect(ladder(spec({ from: '29000.005' }))).toEqual({
      ok: false,
      field: 'from',
      message: 'Enter a price in steps of 0.01',
    });
    expect(ladder(spec({ to: '' }))).toMatchObject({ ok: false, field: 'to' });
    expect(ladder(spec({ from: '10.00', to: '10.02', count: '4' }))).toEqual({
      ok: false,
      field: 'to',
      message: '10.00–10.02 holds 3 prices at a tick of 0.01: widen it or use at most 3 orders',
    });
    expect(ladder(spec({ totalQty: '0.0004' }))).toEqual({
      ok: false,
      field: 'totalQty',
      message: '5 orders need at least 5 × 0.0001',
    });
    expect(ladder(spec({ totalQty: '0.00015' }))).toMatchObject({ ok: false, field: 'totalQty' });
  });

  it('always gives distinct in-range tick prices and exactly the total quantity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: -3_000, max: 3_000 }),
        fc.integer({ min: 2, max: 100 }),
        fc.integer({ min: 1, max: 100_000 }),
        (fromTicks, span, count, lots) => {
          const toTicks = fromTicks + span;
          fc.pre(toTicks > 0 && Math.abs(span) >= count - 1 && lots >= count);
          const r = ladder({
            from: (fromTicks / 100).toFixed(2),
            to: (toTicks / 100).toFixed(2),
            count: String(count),
            totalQty: (lots / 10_000).toFixed(4),
            ...BTC,
          });
          if (!r.ok) throw new Error(r.message);
          const ticks = r.legs.map((l) => Math.round(Number(l.price) * 100));
          expect(ticks[0]).toBe(fromTicks);
          expect(ticks[count - 1]).toBe(toTicks);
          expect(new Set(ticks).size).toBe(count);
          const sorted = [...ticks].sort((a, b) => (span >= 0 ? a - b : b - a));
          expect(ticks).toEqual(sorted);
          const total = r.legs.reduce((s, l) => s + Math.round(Number(l.qty) * 10_000), 0);
          expect(total).toBe(lots);
        },
      ),
    );
  });
});

describe('what the ticket says after a batch', () => {
  it('counts the placed orders and groups refusals by code, first message each', () => {
    expect(batchOutcome([{ ok: true }, { ok: true }])).toEqual({ notice: 'Placed 2 orders' });
    const band = (p: string) => ({ ok: false as const, code: 'price_band', message: `price ${p}` });
    expect(
      batchOutcome([
        band('1'),
        { ok: true },
        band('3'),
        { ok: false, code: 'insufficient_funds', message: 'Needs 5' },
      ]),
    ).toEqual({ error: 'Placed 1 of 4; refused #1, #3: price 1; #4: Needs 5' });
    const ids = [812, 813];
    expect(
      batchOutcome(
        [{ ok: true }, { ok: false, code: 'unknown_order', message: 'No open order 813' }],
        'Cancelled',
        (i) => `order ${ids[i]}`,
      ),
    ).toEqual({ error: 'Cancelled 1 of 2; refused order 813: No open order 813' });
    expect(batchOutcome([{ ok: true }], 'Cancelled')).toEqual({ notice: 'Cancelled 1 order' });
  });
});
