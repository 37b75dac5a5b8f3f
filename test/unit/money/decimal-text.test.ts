// The decimal-text half of the one decimal module: exact arithmetic on decimal strings at the
// scale they are written in (alert values, candle volumes), and the reading of alert numbers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as money from '../../../src-main/domain/money';
import * as shared from '../../../src-shared/decimal';
import {
  addDecimal,
  compareDecimal,
  divDecimal,
  divRound,
  formatDecimalText,
  mulDecimal,
  negateDecimal,
  readDecimalText,
  showDecimal,
  subDecimal,
  unitsAt,
} from '../../../src-main/domain/money';
import { decimalToSteps } from '../../../src-main/domain/simulator';

describe('decimal text', () => {
  it('domain/money hands out the shared implementation', () => {
    const names = ['addDecimal', 'compareDecimal', 'unitsAt', 'readDecimalText'] as const;
    for (const name of names) expect(money[name], name).toBe(shared[name]);
  });

  it('reads plain decimals to canonical text; exponents only when asked', () => {
    expect(readDecimalText('007.50')).toEqual({ ok: true, value: '7.5' });
    expect(readDecimalText('-0.000')).toEqual({ ok: true, value: '0' });
    expect(readDecimalText('1e-5')).toMatchObject({
      ok: false,
      error: { code: 'invalid_decimal' },
    });
    expect(readDecimalText('1e-5', { exponent: true })).toEqual({ ok: true, value: '0.00001' });
    expect(readDecimalText('-2.5E+3', { exponent: true })).toEqual({ ok: true, value: '-2500' });
    expect(readDecimalText('1e41', { exponent: true })).toMatchObject({
      ok: false,
      error: { code: 'exponent_too_large' },
    });
    for (const bad of ['+1', ' 1', '.5', '5.', '1,000', '0x10', '']) {
      expect(readDecimalText(bad, { exponent: true }).ok, bad).toBe(false);
    }
  });

  it('computes exactly at any scale, beyond an asset scale too', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(addDecimal()).toBe('0');
    expect(subDecimal('30000.00', '30000.01')).toBe('-0.01');
    expect(compareDecimal('9.9', '10')).toBe(-1);
    expect(negateDecimal('0')).toBe('0');
    expect(negateDecimal('-1.50')).toBe('1.5');
    expect(mulDecimal('0.0001', '100000')).toBe('10');
    expect(addDecimal('0.000000000000000000000000000001', '1')).toBe(
      '1.000000000000000000000000000001',
    );
    expect(showDecimal('512.4')).toBe('512.40');
    expect(showDecimal('-0.123', 2)).toBe('-0.123');
    expect(formatDecimalText(150n, 2)).toBe('1.5');
    expect(formatDecimalText(-5n, 0)).toBe('-5');
  });

  it('divides with a named rounding, and not by zero', () => {
    expect(divDecimal('2', '3', 4, 'floor')).toBe('0.6666');
    expect(divDecimal('2', '3', 4, 'half_even')).toBe('0.6667');
    expect(divDecimal('1', '0.000', 4, 'floor')).toBeUndefined();
  });

  it('refuses text it cannot hold exactly instead of rounding it', () => {
    expect(() => unitsAt('1.234', 2)).toThrow(RangeError);
    expect(() => unitsAt('1e3', 2)).toThrow(RangeError);
    expect(unitsAt('-1.2', 3)).toBe(-1200n);
  });

  it('rounds ties away from zero in half_away, on both sides', () => {
    expect(divRound(5n, 2n, 'half_away')).toBe(3n);
    expect(divRound(-5n, 2n, 'half_away')).toBe(-3n);
    expect(divRound(7n, 4n, 'half_away')).toBe(2n);
    expect(divRound(-7n, 4n, 'half_away')).toBe(-2n);
    fc.assert(
      fc.property(fc.bigInt(-(10n ** 12n), 10n ** 12n), fc.bigInt(1n, 10n ** 6n), (n, d) => {
        const abs = n < 0n ? -n : n;
        const away = (2n * abs + d) / (2n * d);
        expect(divRound(n, d, 'half_away')).toBe(n < 0n ? -away : away);
      }),
    );
  });

  it('adds back what it subtracts, exactly', () => {
    const dec = fc
      .tuple(fc.bigInt(-(10n ** 20n), 10n ** 20n), fc.integer({ min: 0, max: 30 }))
      .map(([u, s]) => formatDecimalText(u, s));
    fc.assert(
      fc.property(dec, dec, (a, b) => {
        expect(compareDecimal(addDecimal(subDecimal(a, b), b), a)).toBe(0);
        expect(readDecimalText(addDecimal(a, b))).toEqual({ ok: true, value: addDecimal(a, b) });
      }),
    );
  });

  it('counts simulator steps half up, refusing signs and zero steps', () => {
    expect(decimalToSteps('0.049', '0.00001')).toEqual({ ok: true, value: 4900 });
    expect(decimalToSteps(' 0.000015 ', '0.00001')).toEqual({ ok: true, value: 2 });
    expect(decimalToSteps('-0', '1').ok).toBe(false);
    expect(decimalToSteps('1', '0.00').ok).toBe(false);
    expect(decimalToSteps('1', '-1').ok).toBe(false);
  });
});
