import { describe, expect, it } from 'vitest';
import * as money from '../../../src-main/domain/money';
import * as shared from '../../../src-shared/decimal';

describe('one decimal module', () => {
  it('domain/money hands out the shared implementation, not a copy', () => {
    const names = [
      'MAX_SCALE',
      'formatDecimal',
      'formatDecimalTrimmed',
      'isValidScale',
      'parseDecimal',
      'pow10',
      'significantDecimals',
      'divRound',
      'mulDiv',
      'rescale',
      'PPM',
      'applyPpm',
      'isValidPpm',
      'percentFromPpm',
      'ppmFromPercent',
    ] as const;
    for (const name of names) expect(money[name], name).toBe(shared[name]);
  });

  it('previews what the strict parser would hold, to the unit', () => {
    // The ticket's lenient input truncates; the exchange refuses extra digits instead.
    expect(shared.toUnits(' 1.23456 ', 4)).toBe(12345n);
    expect(shared.parseDecimal('1.23456', 4)).toMatchObject({ ok: false });
    expect(shared.formatDecimal(shared.toUnits('.5', 2) ?? 0n, 2)).toBe('0.50');
    expect(shared.sub('1', '0.0001', 4)).toBe('0.9999');
  });
});
