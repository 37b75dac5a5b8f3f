import { describe, expect, it } from 'vitest';
import { bookChecksum } from '../../../../src-main/connectors/kraken/market-stream';

/** A bitwise CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320), independent of zlib. */
function crc32Reference(text: string): number {
  let c = 0xffffffff;
  for (const byte of Buffer.from(text, 'ascii')) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('Kraken v2 book checksum', () => {
  it('the reference CRC-32 gives the standard check value', () => {
    expect(crc32Reference('123456789')).toBe(0xcbf43926);
  });

  it('follows the documented example for one ask: 45285.2 / 0.00100000 → "452852100000"', () => {
    const asks = [{ price: '45285.2', qty: '0.00100000' }];
    expect(bookChecksum(asks, [])).toBe(crc32Reference('452852100000'));
  });

  it('hashes the top 10 asks (low to high) then the top 10 bids (high to low), hand-built', () => {
    // Asks 100.1 … 101.1 (eleven levels; the 11th must not count), bids 99.9 … 98.9.
    const asks = Array.from({ length: 11 }, (_, i) => ({
      price: `${100 + Math.floor((i + 1) / 10)}.${(i + 1) % 10}`,
      qty: `0.${String(i + 1).padStart(8, '0')}`,
    }));
    const bids = Array.from({ length: 11 }, (_, i) => ({
      price: `${99 - Math.floor(i / 10)}.${9 - (i % 10)}`,
      qty: `${i + 1}.50000000`,
    }));
    expect(asks.map((a) => a.price).slice(0, 3)).toEqual(['100.1', '100.2', '100.3']);
    expect(asks[9]).toEqual({ price: '101.0', qty: '0.00000010' });
    expect(bids.map((b) => b.price).slice(0, 3)).toEqual(['99.9', '99.8', '99.7']);
    // By hand: point removed, leading zeros stripped, price then qty.
    const askText =
      '10011' +
      '10022' +
      '10033' +
      '10044' +
      '10055' +
      '10066' +
      '10077' +
      '10088' +
      '10099' +
      '101010';
    const bidText =
      '999150000000' +
      '998250000000' +
      '997350000000' +
      '996450000000' +
      '995550000000' +
      '994650000000' +
      '993750000000' +
      '992850000000' +
      '991950000000' +
      '9901050000000';
    const expected = crc32Reference(askText + bidText);
    expect(bookChecksum(asks, bids)).toBe(expected);
    // Order matters: bids before asks is a different value.
    expect(crc32Reference(bidText + askText)).not.toBe(expected);
  });

  it('pads to the pair’s decimals: a qty read back as 0.001 hashes as 0.00100000', () => {
    const asks = [{ price: '45285.2', qty: '0.001' }];
    const bids = [{ price: '45283', qty: '2.5' }];
    const want = crc32Reference('452852100000' + '452830250000000');
    expect(bookChecksum(asks, bids, { price: 1, qty: 8 })).toBe(want);
    // Without the precision the shortened text is hashed, which Kraken would not match.
    expect(bookChecksum(asks, bids)).not.toBe(want);
  });

  it('is an unsigned 32-bit integer', () => {
    for (const p of ['1.1', '2.2', '3.3', '99999.9']) {
      const v = bookChecksum([{ price: p, qty: '1.00000000' }], []);
      expect(Number.isInteger(v) && v >= 0 && v <= 0xffffffff).toBe(true);
      expect(v).toBe(crc32Reference(`${p.replace('.', '')}100000000`));
    }
  });
});
