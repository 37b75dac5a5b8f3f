import { describe, expect, it } from 'vitest';
import {
  normaliseAsset,
  PairIndex,
  stepOfDecimals,
  toInstrument,
  type KrakenAssetPair,
} from '../../../../src-main/connectors/kraken/pairs';
import pairs from '../../../fakes/kraken/fixtures/asset-pairs.json';

/** The AssetPairs example of Kraken's OpenAPI spec (copied into the fake's fixtures). */
const SPEC = pairs.result as Record<string, KrakenAssetPair>;

describe('Kraken asset and pair names', () => {
  it.each([
    ['XXBT', 'BTC'],
    ['XBT', 'BTC'],
    ['ZUSD', 'USD'],
    ['ZEUR', 'EUR'],
    ['XETH', 'ETH'],
    ['XXDG', 'DOGE'],
    ['XBT.M', 'BTC.M'],
    ['XXBT.F', 'BTC.F'],
    ['ETH2.S', 'ETH2.S'],
    // Modern codes that merely start with X or Z are not legacy.
    ['XRP', 'XRP'],
    ['XTZ', 'XTZ'],
    ['ZEC', 'ZEC'],
    ['XXRP', 'XRP'],
    ['USDT', 'USDT'],
  ])('%s → %s', (code, name) => expect(normaliseAsset(code)).toBe(name));

  it('maps the spec’s XXBTZUSD to BTC/USD with its rules and aliases', () => {
    const i = toInstrument('XXBTZUSD', SPEC.XXBTZUSD!);
    expect(i).toEqual({
      symbol: 'BTC/USD',
      venueId: 'XXBTZUSD',
      aliases: ['XBTUSD', 'XXBTZUSD', 'XBT/USD'],
      kind: 'spot',
      baseAsset: 'BTC',
      quoteAsset: 'USD',
      tickSize: '0.1',
      lotSize: '0.00000001',
      minQty: '0.0001',
      minNotional: '0.5',
    });
  });

  it('maps the spec’s XETHXXBT to ETH/BTC', () => {
    const i = toInstrument('XETHXXBT', SPEC.XETHXXBT!);
    expect(i.symbol).toBe('ETH/BTC');
    expect(i.aliases).toEqual(['ETHXBT', 'XETHXXBT', 'ETH/XBT']);
    expect(i.tickSize).toBe('0.00001');
    expect(i.minQty).toBe('0.01');
    expect(i.minNotional).toBe('0.00002');
  });

  it('falls back to pair_decimals when tick_size is missing', () => {
    const p = { ...SPEC.XXBTZUSD!, tick_size: undefined, ordermin: undefined };
    const i = toInstrument('XXBTZUSD', p);
    expect(i.tickSize).toBe('0.1');
    expect(i.minQty).toBe('0.00000001');
    expect(stepOfDecimals(0)).toBe('1');
    expect(stepOfDecimals(3)).toBe('0.001');
  });

  it('finds an instrument by any of its names', () => {
    const idx = new PairIndex(Object.entries(SPEC).map(([k, p]) => toInstrument(k, p)));
    for (const n of ['BTC/USD', 'XBTUSD', 'XXBTZUSD', 'XBT/USD', 'btcusd']) {
      expect(idx.find(n)?.venueId).toBe('XXBTZUSD');
    }
    expect(idx.find('DOGE/USD')).toBeUndefined();
  });
});
