import { describe, expect, it } from 'vitest';
import {
  decimalCell,
  idCell,
  jsonWithNumbers,
  jwtExpiryMs,
  namedRows,
  priceCell,
  strategyIdFor,
} from '../../../../src-main/connectors/tradelocker/wire';

describe('TradeLocker positional rows', () => {
  const config = { columns: [{ id: 'side' }, { id: 'id' }, { id: 'qty' }] };

  it('names cells by the config column ids, whatever their order', () => {
    expect(namedRows(config, [['buy', '7', '0.01']], 'orders')).toEqual([
      { side: 'buy', id: '7', qty: '0.01' },
    ]);
  });

  it('refuses a missing config or rows that are not arrays', () => {
    expect(() => namedRows(undefined, [], 'orders')).toThrow(/no columns/);
    expect(() => namedRows(undefined, [], 'orders')).toThrow(
      expect.objectContaining({ kind: 'invalid' }),
    );
    expect(() => namedRows(config, {}, 'orders')).toThrow(/array of rows/);
    expect(() => namedRows(config, [{}], 'orders')).toThrow(/not an array/);
  });
});

describe('TradeLocker cells', () => {
  it('reads decimals exactly from strings and from JSON numbers', () => {
    expect(decimalCell('1.08450')).toBe('1.0845');
    expect(decimalCell(1.0845)).toBe('1.0845');
    expect(decimalCell(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(decimalCell(1e-7)).toBe('0.0000001');
    expect(decimalCell(null)).toBeNull();
    expect(decimalCell('abc')).toBeNull();
  });

  it('reads a zero price as "not set"', () => {
    expect(priceCell(0)).toBeNull();
    expect(priceCell('0.0')).toBeNull();
    expect(priceCell('2650.1')).toBe('2650.1');
  });

  it('keeps 64-bit ids as strings and refuses one that lost digits', () => {
    expect(idCell('7277816997834593280')).toBe('7277816997834593280');
    expect(idCell(206)).toBe('206');
    expect(idCell(0)).toBeNull();
    expect(() => idCell(7277816997834593280)).toThrow(/lost digits/);
  });
});

describe('TradeLocker JWT expiry', () => {
  const jwt = (claims: object) =>
    `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

  it('reads exp (seconds) as epoch ms', () => {
    expect(jwtExpiryMs(jwt({ exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
  });

  it('answers null for a token without exp or that is not a JWT', () => {
    expect(jwtExpiryMs(jwt({ sub: 'x' }))).toBeNull();
    expect(jwtExpiryMs('opaque')).toBeNull();
    expect(jwtExpiryMs('a.%%%.c')).toBeNull();
  });
});

describe('TradeLocker strategyId', () => {
  it('passes short safe ids through', () => {
    expect(strategyIdFor('alert-123_x.y:z')).toBe('alert-123_x.y:z');
  });

  it('hashes long or unusual ids into 32 stable characters', () => {
    const long = `a${'b'.repeat(40)}`;
    expect(strategyIdFor(long)).toHaveLength(32);
    expect(strategyIdFor(long)).toBe(strategyIdFor(long));
    expect(strategyIdFor(long)).not.toBe(strategyIdFor(`${long}c`));
    expect(strategyIdFor('with space')).toMatch(/^h-/);
  });
});

describe('TradeLocker JSON bodies', () => {
  it('writes decimal text as bare number literals for the numeric keys only', () => {
    const text = jsonWithNumbers(
      { qty: '0.10', price: '1.123456789012345678', stopPrice: null, note: '1.5' },
      new Set(['price', 'stopPrice']),
    );
    expect(text).toBe('{"qty":"0.10","price":1.123456789012345678,"stopPrice":null,"note":"1.5"}');
  });

  it('quotes a numeric key whose value is not a plain decimal (the broker then refuses it)', () => {
    expect(jsonWithNumbers({ price: '1e5' }, new Set(['price']))).toBe('{"price":"1e5"}');
  });
});
