// Kline buckets in Binance's intervals and time zones, and the exact decimal arithmetic the
// facade's merged bars and rolling tickers use.
import { describe, expect, it } from 'vitest';
import { bucketStart, timeZoneOffset } from '../../../src-main/transports/binance/klines';
import { addDecimal, compareDecimal, subDecimal } from '../../../src-main/domain/money';
import { mergeBars, percentChange } from '../../../src-main/transports/binance/bars';
import { BinanceError } from '../../../src-main/transports/binance/mapping';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('timeZone', () => {
  it("reads Binance's forms, hours east of UTC", () => {
    expect(timeZoneOffset({})).toBe(0);
    expect(timeZoneOffset({ timeZone: '0' })).toBe(0);
    expect(timeZoneOffset({ timeZone: '+8' })).toBe(8 * H);
    expect(timeZoneOffset({ timeZone: '-1:30' })).toBe(-1.5 * H);
    expect(timeZoneOffset({ timeZone: '05:45' })).toBe(5.75 * H);
    expect(timeZoneOffset({ timeZone: '+14:00' })).toBe(14 * H);
  });

  it('refuses what is not an offset in −12:00…+14:00', () => {
    for (const bad of ['+15', '-13', '8:60', 'UTC', '', '+8:5']) {
      expect(() => timeZoneOffset({ timeZone: bad }), bad).toThrow(BinanceError);
    }
  });
});

describe('bucketStart', () => {
  it('starts days at local midnight', () => {
    const t = at('2026-01-05T03:00:00Z'); // 11:00 in UTC+8
    expect(bucketStart('1d', t, 0)).toBe(at('2026-01-05T00:00:00Z'));
    expect(bucketStart('1d', t, 8 * H)).toBe(at('2026-01-04T16:00:00Z'));
    expect(bucketStart('1d', t, -5 * H)).toBe(at('2026-01-04T05:00:00Z'));
  });

  it('starts weeks on Monday and months on the first, in the zone', () => {
    const sunday = at('2026-01-11T20:00:00Z'); // Monday 04:00 in UTC+8
    expect(bucketStart('1w', sunday, 0)).toBe(at('2026-01-05T00:00:00Z'));
    expect(bucketStart('1w', sunday, 8 * H)).toBe(at('2026-01-11T16:00:00Z'));
    const lastOfMonth = at('2026-01-31T20:00:00Z'); // February 1st in UTC+8
    expect(bucketStart('1M', lastOfMonth, 0)).toBe(at('2026-01-01T00:00:00Z'));
    expect(bucketStart('1M', lastOfMonth, 8 * H)).toBe(at('2026-01-31T16:00:00Z'));
  });

  it('cuts the shorter intervals on their multiples', () => {
    const t = at('2026-01-05T07:47:13Z');
    expect(bucketStart('3m', t, 0)).toBe(at('2026-01-05T07:45:00Z'));
    expect(bucketStart('30m', t, 0)).toBe(at('2026-01-05T07:30:00Z'));
    expect(bucketStart('6h', t, 0)).toBe(at('2026-01-05T06:00:00Z'));
    expect(bucketStart('12h', t, 5.75 * H)).toBe(at('2026-01-05T06:15:00Z'));
  });
});

describe('exact decimals', () => {
  it('adds, subtracts and compares without floats', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(subDecimal('30000.00', '30000.01')).toBe('-0.01');
    expect(compareDecimal('9.9', '10')).toBe(-1);
    expect(percentChange('9.00000000', '1.00000000')).toBe('-88.889'); // Binance's own example
    expect(percentChange('3', '4')).toBe('33.333');
    expect(percentChange('0', '1')).toBe('0.000');
    // Ties go away from zero on both sides, as Binance rounds.
    expect(percentChange('2', '2.00001')).toBe('0.001');
    expect(percentChange('2', '1.99999')).toBe('-0.001');
  });

  it('merges bars: first open, last close, extremes, sums', () => {
    const bar = (open: string, high: string, low: string, close: string, volume: string) => ({
      openTime: 0,
      open,
      high,
      low,
      close,
      volume,
      quoteVolume: volume,
      trades: 1,
    });
    expect(
      mergeBars([bar('10', '12', '9', '11', '1.5'), bar('11', '13.5', '10', '10.5', '0.25')], 60),
    ).toEqual({
      openTime: 60,
      open: '10',
      high: '13.5',
      low: '9',
      close: '10.5',
      volume: '1.75',
      quoteVolume: '1.75',
      trades: 2,
    });
    expect(mergeBars([], 0)).toBeNull();
  });
});
