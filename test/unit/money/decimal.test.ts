import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatDecimal,
  formatDecimalTrimmed,
  parseDecimal,
  significantDecimals,
} from '../../../src-main/domain/money';

describe('parseDecimal', () => {
  it.each([
    ['0', 2, 0n],
    ['-0', 2, 0n],
    ['1', 8, 100_000_000n],
    ['30000.00', 6, 30_000_000_000n],
    ['0.00000001', 8, 1n],
    ['-12.5', 2, -1250n],
    ['007.10', 2, 710n],
    ['123', 0, 123n],
  ])('parses %s at scale %i', (text, scale, expected) => {
    expect(parseDecimal(text, scale)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '',
    ' 1',
    '1 ',
    '+1',
    '.5',
    '5.',
    '1e3',
    '1,5',
    '--1',
    '0x10',
    'NaN',
    'Infinity',
    '1.2.3',
  ])('refuses %j as invalid_decimal', (text) => {
    const result = parseDecimal(text, 8);
    expect(result.ok ? null : result.error.code).toBe('invalid_decimal');
  });

  it('refuses more decimals than the scale instead of rounding', () => {
    const result = parseDecimal('1.005', 2);
    expect(result.ok ? null : result.error.code).toBe('too_many_decimals');
    const zeros = parseDecimal('1.000', 2);
    expect(zeros.ok ? null : zeros.error.code).toBe('too_many_decimals');
  });

  it('refuses a bad scale', () => {
    for (const scale of [-1, 1.5, 19]) {
      const result = parseDecimal('1', scale);
      expect(result.ok ? null : result.error.code).toBe('invalid_scale');
    }
  });

  it('counts significant decimals', () => {
    expect(significantDecimals('0.0100')).toEqual({ ok: true, value: 2 });
    expect(significantDecimals('100')).toEqual({ ok: true, value: 0 });
  });
});

describe('formatDecimal', () => {
  it.each([
    [0n, 2, '0.00', '0'],
    [1n, 8, '0.00000001', '0.00000001'],
    [-1250n, 2, '-12.50', '-12.5'],
    [30_000_000_000n, 6, '30000.000000', '30000'],
    [123n, 0, '123', '123'],
    [-5n, 3, '-0.005', '-0.005'],
  ])('formats %s at scale %i', (units, scale, full, trimmed) => {
    expect(formatDecimal(units, scale)).toBe(full);
    expect(formatDecimalTrimmed(units, scale)).toBe(trimmed);
  });
});

describe('round trips (property)', () => {
  const scale = fc.integer({ min: 0, max: 18 });
  const units = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });

  it('parse(format(x)) === x for both formats', () => {
    fc.assert(
      fc.property(units, scale, (u, s) => {
        expect(parseDecimal(formatDecimal(u, s), s)).toEqual({ ok: true, value: u });
        expect(parseDecimal(formatDecimalTrimmed(u, s), s)).toEqual({ ok: true, value: u });
      }),
    );
  });

  it('format(parse(text)) is the canonical form of text', () => {
    const text = fc
      .tuple(fc.boolean(), fc.stringMatching(/^[1-9]\d{0,12}$|^0$/), fc.stringMatching(/^\d{0,8}$/))
      .map(([neg, whole, frac]) => `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`);
    fc.assert(
      fc.property(text, (t) => {
        const parsed = parseDecimal(t, 8);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const formatted = formatDecimal(parsed.value, 8);
        expect(parseDecimal(formatted, 8)).toEqual(parsed);
        const isZero = parsed.value === 0n;
        expect(formatted.startsWith('-')).toBe(t.startsWith('-') && !isZero);
      }),
    );
  });
});
