import { describe, expect, it } from 'vitest';
import {
  EMPTY,
  hasExits,
  problems,
  toExitsInput,
  toOcoInput,
  type Form,
} from '../../../src-renderer/src/screens/trade/ticket-form';
import { BTC_USDT } from './btc-usdt';

/**
 * The ticket's trailing legs beside a take profit: an OCO whose stop leg trails
 * (orders.placeOco stopTrailBps) and a trailing stop loss on an order's exits
 * (orders.placeWithExits stopLoss.trailPercent).
 */
const m = BTC_USDT;
const oco = (f: Partial<Form>): Form => ({
  ...EMPTY,
  type: 'oco',
  side: 'sell',
  qty: '0.5',
  price: '110.00',
  trailing: true,
  trailPct: '5',
  ...f,
});
const withExits = (f: Partial<Form>): Form => ({
  ...EMPTY,
  type: 'market',
  qty: '0.5',
  takeProfit: '66000',
  stopLossTrails: true,
  stopLossTrailPct: '2.5',
  ...f,
});

describe('an OCO whose stop leg trails', () => {
  it('sends stopTrailBps and no stop price when none is given to start at', () => {
    const f = oco({});
    expect(problems(f, m, { last: '100.00' })).toEqual({});
    expect(toOcoInput(f, 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      qty: '0.5',
      price: '110.00',
      stopTrailBps: 500,
      stp: 'cancel_newest',
    });
  });

  it('sends the price to start trailing at as the stop price, with a stop-limit price if given', () => {
    const f = oco({ stopPrice: ' 90.00 ', stopLimitPrice: '89.50', trailPct: '.25' });
    expect(problems(f, m)).toEqual({});
    expect(toOcoInput(f, 'BTC/USDT')).toMatchObject({
      stopPrice: '90.00',
      stopTrailBps: 25,
      stopLimitPrice: '89.50',
    });
    // Unticked, the distance typed is not looked at and the stop price is a fixed stop.
    const fixed = oco({ trailing: false, trailPct: 'x', stopPrice: '90.00' });
    expect(problems(fixed, m)).toEqual({});
    expect(toOcoInput(fixed, 'BTC/USDT')).toMatchObject({ stopPrice: '90.00' });
    expect(toOcoInput(fixed, 'BTC/USDT')).not.toHaveProperty('stopTrailBps');
  });

  it('wants a sell’s take profit above the stop it starts with, to the tick the engine sets', () => {
    // 101.37 × 0.985 = 99.84945: the engine floors the stop to 99.84.
    const at = (price: string) => problems(oco({ trailPct: '1.5', price }), m, { last: '101.37' });
    expect(at('99.84')).toEqual({
      price: 'A sell takes profit above its stop, which starts at 99.84',
    });
    expect(at('99.85')).toEqual({});
    // With a price to start at, the stop starts there.
    expect(problems(oco({ stopPrice: '90.00', price: '90.00' }), m, { last: '100.00' })).toEqual({
      price: 'A sell takes profit above its stop, which starts at 90.00',
    });
  });

  it('wants a buy’s take profit below the stop it starts with', () => {
    // 100 × 1.015 = 101.50.
    const at = (price: string) =>
      problems(oco({ side: 'buy', trailPct: '1.5', price }), m, { last: '100.00' });
    expect(at('101.50')).toEqual({
      price: 'A buy takes profit below its stop, which starts at 101.50',
    });
    expect(at('101.49')).toEqual({});
  });

  it('refuses a distance the engine would not take, and a market with nothing to trail from', () => {
    expect(problems(oco({ trailPct: '5.001' }), m, { last: '100.00' })).toEqual({
      trailPct: 'At most 2 decimals (0.01 % steps)',
    });
    expect(problems(oco({ trailPct: '50.5' }), m, { last: '100.00' })).toEqual({
      trailPct: 'From 0.01 to 50 %',
    });
    expect(problems(oco({}), m)).toEqual({
      stopPrice: 'No trade yet to trail from: enter a price to start at',
    });
    expect(problems(oco({ stopPrice: '95.00' }), m)).toEqual({});
  });
});

describe('a trailing stop loss on an order’s exits', () => {
  it('sends the distance as the decimal typed, beside the take profit', () => {
    const f = withExits({});
    expect(problems(f, m, { touch: '60000' })).toEqual({});
    expect(toExitsInput(f, 'BTC/USDT')).toEqual({
      order: {
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'market',
        qty: '0.5',
        stp: 'cancel_newest',
      },
      takeProfit: { price: '66000' },
      stopLoss: { trailPercent: '2.5' },
    });
    expect(toExitsInput(withExits({ stopLossTrailPct: ' .5 ' }), 'BTC/USDT').stopLoss).toEqual({
      trailPercent: '0.5',
    });
    expect(toExitsInput(withExits({ stopLossTrailPct: '50.00' }), 'BTC/USDT').stopLoss).toEqual({
      trailPercent: '50.00',
    });
  });

  it('refuses more than two decimals and anything outside 0.01–50 %', () => {
    const at = (stopLossTrailPct: string) =>
      problems(withExits({ stopLossTrailPct }), m, { touch: '60000' });
    expect(at('0.005')).toEqual({ stopLossTrailPct: 'At most 2 decimals (0.01 % steps)' });
    expect(at('0')).toEqual({ stopLossTrailPct: 'From 0.01 to 50 %' });
    expect(at('50.01')).toEqual({ stopLossTrailPct: 'From 0.01 to 50 %' });
    expect(at('2,5')).toEqual({ stopLossTrailPct: 'Enter a percentage such as 1.5' });
    expect(at('0.01')).toEqual({});
  });

  it('leaves the stop loss price aside while trailing, and is the only exit when alone', () => {
    // A buy's stop loss above the ask would be refused; ticked, it is not the stop loss.
    const f = withExits({ stopLoss: '61000', takeProfit: '' });
    expect(problems(f, m, { touch: '60000' })).toEqual({});
    expect(hasExits(f)).toBe(true);
    expect(toExitsInput(f, 'BTC/USDT')).not.toHaveProperty('takeProfit');
    expect(toExitsInput(f, 'BTC/USDT').stopLoss).toEqual({ trailPercent: '2.5' });
    // Blank is no stop loss, as a blank price is.
    const blank = withExits({ stopLossTrailPct: ' ' });
    expect(toExitsInput(blank, 'BTC/USDT')).not.toHaveProperty('stopLoss');
    expect(hasExits({ ...blank, takeProfit: '' })).toBe(false);
    // Unticked, the price is the stop loss again and the distance typed is not looked at.
    const fixed = withExits({ stopLossTrails: false, stopLossTrailPct: 'x', stopLoss: '57000' });
    expect(problems(fixed, m, { touch: '60000' })).toEqual({});
    expect(toExitsInput(fixed, 'BTC/USDT').stopLoss).toEqual({ price: '57000' });
  });
});
