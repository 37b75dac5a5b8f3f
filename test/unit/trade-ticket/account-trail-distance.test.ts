import { describe, expect, it, vi } from 'vitest';
import {
  bracketsText,
  levelWithTrail,
  orderPriceText,
  orderTypeText,
  quoteOfSymbol,
  trailBehind,
  trailDistanceOf,
  trailDistanceWords,
  trailFields,
  trailRefusal,
  trailText,
  unitWord,
  type PaperOrderTrail,
  type TrailLegState,
} from '../../../src-renderer/src/screens/accounts/trail-distance';

// The stores build the page's client on import, from `window.location`.
vi.stubGlobal('window', { location: { protocol: 'http:', origin: 'http://x', host: 'x' } });
const { placedNotice } = await import('../../../src-renderer/src/stores/accounts');

/**
 * The broker and paper tickets' trailing distance, in percent or in price units: what the
 * form refuses, what the request sends, and the words in the tables.
 */

const leg = (l: Partial<TrailLegState>): TrailLegState => ({
  on: true,
  typed: '',
  unit: 'percent',
  ...l,
});
const OFF = leg({ on: false });

describe('a trailing distance typed in the ticket', () => {
  it('in percent is checked as the exchange checks one', () => {
    expect(trailDistanceOf('1.5', 'percent')).toEqual({ ok: true, text: '1.5' });
    expect(trailDistanceOf(' .5 ', 'percent')).toEqual({ ok: true, text: '0.5' });
    expect(trailRefusal('2.555', 'percent')).toBe('At most 2 decimals (0.01 % steps)');
    expect(trailRefusal('60', 'percent')).toBe('From 0.01 to 50 %');
    expect(trailRefusal('one', 'percent')).toBe('Enter a percentage such as 1.5');
  });

  it('in price units is any positive decimal, its decimals left to the market (the server)', () => {
    expect(trailDistanceOf('250.50', 'amount')).toEqual({ ok: true, text: '250.50' });
    expect(trailDistanceOf(' 75.25 ', 'amount')).toEqual({ ok: true, text: '75.25' });
    expect(trailDistanceOf('.5', 'amount')).toEqual({ ok: true, text: '0.5' });
    expect(trailDistanceOf('250.', 'amount')).toEqual({ ok: true, text: '250' });
    // No 50 % ceiling and no two-decimal limit: an amount is not a percent.
    expect(trailDistanceOf('2500', 'amount')).toEqual({ ok: true, text: '2500' });
    expect(trailDistanceOf('0.00001', 'amount')).toEqual({ ok: true, text: '0.00001' });
    expect(trailRefusal('0', 'amount')).toBe('Enter an amount above 0');
    expect(trailRefusal('0.00', 'amount')).toBe('Enter an amount above 0');
    expect(trailRefusal('-5', 'amount')).toBe('Enter an amount above 0');
    expect(trailRefusal('250,50', 'amount')).toBe('Enter an amount such as 250.50');
    expect(trailRefusal('1e3', 'amount')).toBe('Enter an amount such as 250.50');
    expect(trailRefusal('two', 'amount')).toBe('Enter an amount such as 250.50');
    expect(trailRefusal('.', 'amount')).toBe('Enter an amount such as 250.50');
    expect(trailDistanceOf('', 'amount')).toEqual({
      ok: false,
      message: 'Enter a distance in price units, e.g. 250.50',
    });
  });

  it('says nothing while blank (the ticket blocks a blank trailing stop itself)', () => {
    expect(trailRefusal('', 'amount')).toBeUndefined();
    expect(trailRefusal('  ', 'percent')).toBeUndefined();
  });
});

describe('the trailing distances in the order request', () => {
  it('go in the field of their unit', () => {
    expect(trailFields(leg({ typed: '2' }), OFF)).toEqual({ trailPercent: '2' });
    expect(trailFields(leg({ typed: '250.50', unit: 'amount' }), OFF)).toEqual({
      trailAmount: '250.50',
    });
    expect(trailFields(OFF, leg({ typed: '.5' }))).toEqual({ stopLossTrailPercent: '0.5' });
    expect(trailFields(OFF, leg({ typed: '75.25', unit: 'amount' }))).toEqual({
      stopLossTrailAmount: '75.25',
    });
    expect(
      trailFields(leg({ typed: '1', unit: 'amount' }), leg({ typed: '0.5', unit: 'percent' })),
    ).toEqual({ trailAmount: '1', stopLossTrailPercent: '0.5' });
  });

  it('send nothing for an unticked choice, or a blank trailing stop-loss (no stop-loss)', () => {
    expect(trailFields(OFF, OFF)).toEqual({});
    expect(
      trailFields(leg({ on: false, typed: '2' }), leg({ typed: ' ', unit: 'amount' })),
    ).toEqual({});
  });
});

describe('the words for a trailing distance', () => {
  it('name the unit of an amount by the market quote currency', () => {
    expect(quoteOfSymbol('BTC/USDT')).toBe('USDT');
    expect(quoteOfSymbol('btc/usd')).toBe('USD');
    expect(quoteOfSymbol('BTC/USDT:USDT')).toBe('USDT');
    expect(quoteOfSymbol('ES-2512')).toBeUndefined();
    expect(quoteOfSymbol('BTC/')).toBeUndefined();
    expect(unitWord('percent', 'USDT')).toBe('%');
    expect(unitWord('amount', 'USDT')).toBe('USDT');
    expect(unitWord('amount', undefined)).toBe('price');
  });

  it('say how far behind in the ticket hint, once the distance is one the form takes', () => {
    expect(trailBehind('2')).toBe('2 % behind');
    expect(trailBehind('250.50', 'amount', 'USDT')).toBe('250.50 USDT behind');
    expect(trailBehind('250.50', 'amount')).toBe('250.50 behind');
    expect(trailBehind('x', 'amount', 'USDT')).toBe('behind');
    expect(trailBehind('60', 'percent')).toBe('behind');
  });

  it('label the tables: a percent shortened, an amount as the server writes it', () => {
    expect(trailText({ trailPercent: '2.00', trailAmount: null })).toBe('trail 2 %');
    expect(trailText({ trailPercent: '0.50' })).toBe('trail 0.5 %');
    expect(trailText({ trailPercent: null, trailAmount: '250.50' })).toBe('trail 250.50');
    expect(trailText({ trailPercent: null, trailAmount: null })).toBeUndefined();
    expect(trailDistanceWords({ trailPercent: null, trailAmount: '75.25' }, 'USDT')).toBe(
      '75.25 USDT',
    );
    expect(trailDistanceWords({ trailPercent: '1.50' }, 'USDT')).toBe('1.5 %');
    expect(levelWithTrail('58800', { trailPercent: '2' })).toBe('58800 · trail 2 %');
    expect(levelWithTrail(null, { trailPercent: null, trailAmount: '250.5' })).toBe('trail 250.5');
    expect(levelWithTrail(null, { trailPercent: null })).toBe('—');
  });

  it("label a broker order's stop column (its trigger, how far it trails)", () => {
    // broker-trailing.tsx's stopText is levelWithTrail(o.stopPrice, o).
    const stopText = (o: {
      stopPrice: string | null;
      trailPercent: string | null;
      trailAmount: string | null;
    }) => levelWithTrail(o.stopPrice, o);
    expect(stopText({ stopPrice: '58800', trailPercent: '2', trailAmount: null })).toBe(
      '58800 · trail 2 %',
    );
    expect(stopText({ stopPrice: '58749.5', trailPercent: null, trailAmount: '1250.5' })).toBe(
      '58749.5 · trail 1250.5',
    );
    expect(stopText({ stopPrice: null, trailPercent: null, trailAmount: '250' })).toBe('trail 250');
    expect(stopText({ stopPrice: '58000', trailPercent: null, trailAmount: null })).toBe('58000');
  });

  it("label a paper order's type, price and brackets", () => {
    const order = (o: Partial<PaperOrderTrail>): PaperOrderTrail => ({
      type: 'stop',
      status: 'open',
      price: '29739.50',
      trailTracking: true,
      stopLoss: null,
      takeProfit: null,
      trailPercent: null,
      trailAmount: '250.50',
      stopLossTrailPercent: null,
      stopLossTrailAmount: null,
      ...o,
    });
    expect(orderTypeText(order({}))).toBe('stop · trail 250.50');
    expect(orderTypeText(order({ trailAmount: null, trailPercent: '1.00' }))).toBe(
      'stop · trail 1 %',
    );
    expect(orderTypeText(order({ type: 'limit', trailAmount: null }))).toBe('limit');
    expect(orderPriceText(order({}))).toBe('trigger 29739.50');
    expect(orderPriceText(order({ trailTracking: false, price: '29000.00' }))).toBe(
      'waits for 29000.00',
    );
    expect(orderPriceText(order({ status: 'filled' }))).toBe('29739.50');
    expect(orderPriceText(order({ trailAmount: null }))).toBe('29739.50');
    const limit = order({ type: 'limit', trailAmount: null, price: '25000.00' });
    expect(bracketsText({ ...limit, stopLossTrailAmount: '75.25' })).toBe('trail 75.25 / —');
    expect(bracketsText({ ...limit, stopLossTrailPercent: '1.50', takeProfit: '32000.00' })).toBe(
      'trail 1.5 % / 32000.00',
    );
    expect(bracketsText({ ...limit, stopLoss: '24000.00' })).toBe('24000.00 / —');
    expect(bracketsText(limit)).toBe('—');
  });

  it('say in the notice how a placed paper stop trails', () => {
    const stop = { id: 'a', symbol: 'BTC/USDT', side: 'sell', type: 'stop', qty: '0.01' } as const;
    expect(placedNotice({ ...stop, trailPercent: '1' })).toBe(
      'stop sell 0.01 BTC/USDT trailing 1 % placed.',
    );
    expect(placedNotice({ ...stop, trailAmount: '250.50' })).toBe(
      'stop sell 0.01 BTC/USDT trailing 250.50 placed.',
    );
    expect(placedNotice({ ...stop, trailAmount: '250.50', price: '29000' })).toBe(
      'stop sell 0.01 BTC/USDT trailing 250.50 from 29000 placed.',
    );
    expect(placedNotice({ ...stop, type: 'limit', price: '25000' })).toBe(
      'limit sell 0.01 BTC/USDT @ 25000 placed.',
    );
  });
});
