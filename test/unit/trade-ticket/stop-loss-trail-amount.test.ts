import { describe, expect, it } from 'vitest';
import {
  stopLossTrailOf,
  stopLossTrailRefusal,
} from '../../../src-renderer/src/screens/trade/exit-trail';
import {
  EMPTY,
  hasExits,
  problems,
  toExitsInput,
  type Form,
} from '../../../src-renderer/src/screens/trade/ticket-form';
import { trailRefusal } from '../../../src-renderer/src/screens/trade/ticket-trail';
import { BTC_USDT } from './btc-usdt';

/**
 * The ticket's trailing stop loss (TP / SL, "Trail the stop loss") by an amount in the quote
 * currency: orders.placeWithExits with stopLoss.trailAmount instead of stopLoss.trailPercent.
 */
const m = BTC_USDT;
const byAmount = (f: Partial<Form>): Form => ({
  ...EMPTY,
  type: 'market',
  qty: '0.2',
  takeProfit: '66000',
  stopLossTrails: true,
  stopLossTrailUnit: 'amount',
  stopLossTrailAmount: '1250.50',
  ...f,
});
const ASK = { touch: '60000.00', last: '59990.00' };

describe('the request for a trailing stop loss by an amount', () => {
  it('sends stopLoss.trailAmount as the decimal typed, beside the take profit, and no percent', () => {
    const f = byAmount({ stopLossTrailPct: '2.5' });
    expect(problems(f, m, ASK)).toEqual({});
    expect(toExitsInput(f, 'BTC/USDT')).toEqual({
      order: {
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'market',
        qty: '0.2',
        stp: 'cancel_newest',
      },
      takeProfit: { price: '66000' },
      stopLoss: { trailAmount: '1250.50' },
    });
  });

  it('never goes through a float: trailing zeros and digits a float would lose are kept', () => {
    const level = (stopLossTrailAmount: string) =>
      toExitsInput(byAmount({ stopLossTrailAmount }), 'BTC/USDT').stopLoss;
    expect(level('3.50')).toEqual({ trailAmount: '3.50' });
    expect(level(' .5 ')).toEqual({ trailAmount: '0.5' });
    expect(level('250.')).toEqual({ trailAmount: '250' });
    expect(level('0.30')).toEqual({ trailAmount: '0.30' });
    expect(level('12345678901234567.89')).toEqual({ trailAmount: '12345678901234567.89' });
  });

  it('keeps what was typed in each unit: back in percent, the percent is sent as before', () => {
    const f = byAmount({ stopLossTrailUnit: 'percent', stopLossTrailPct: ' .5 ' });
    expect(toExitsInput(f, 'BTC/USDT').stopLoss).toEqual({ trailPercent: '0.5' });
    expect(
      problems(byAmount({ stopLossTrailUnit: 'percent', stopLossTrailPct: '2.5' }), m, ASK),
    ).toEqual({});
  });

  it('is the only exit when alone; blank is no stop loss, as a blank percent or price is', () => {
    const alone = byAmount({ takeProfit: '' });
    expect(hasExits(alone)).toBe(true);
    expect(toExitsInput(alone, 'BTC/USDT')).not.toHaveProperty('takeProfit');
    const blank = byAmount({ stopLossTrailAmount: '  ', stopLossTrailPct: '2' });
    expect(problems(blank, m, ASK)).toEqual({});
    expect(toExitsInput(blank, 'BTC/USDT')).not.toHaveProperty('stopLoss');
    expect(hasExits({ ...blank, takeProfit: '' })).toBe(false);
    // Unticked, the stop loss price is the stop loss and the amount is not looked at.
    const fixed = byAmount({ stopLossTrails: false, stopLossTrailAmount: 'x', stopLoss: '57000' });
    expect(problems(fixed, m, ASK)).toEqual({});
    expect(toExitsInput(fixed, 'BTC/USDT').stopLoss).toEqual({ price: '57000' });
  });
});

describe('a trailing stop loss amount refused before anything is sent', () => {
  const at = (stopLossTrailAmount: string, f: Partial<Form> = {}) =>
    problems(byAmount({ stopLossTrailAmount, ...f }), m, ASK);

  it('at its input, as the trailing stop amount is', () => {
    expect(at('0')).toEqual({ stopLossTrailAmount: 'Enter an amount above 0' });
    expect(at('0.00')).toEqual({ stopLossTrailAmount: 'Enter an amount above 0' });
    expect(at('-5')).toEqual({ stopLossTrailAmount: 'Enter an amount above 0' });
    expect(at('1e3')).toEqual({ stopLossTrailAmount: 'Enter an amount such as 250.50' });
    expect(at('2,5')).toEqual({ stopLossTrailAmount: 'Enter an amount such as 250.50' });
    expect(at('3.505')).toEqual({ stopLossTrailAmount: 'Use steps of 0.01' });
    expect(at('3.5')).toEqual({});
    // Only the unit shown is checked: a percent typed before is kept, not looked at.
    expect(at('3.5', { stopLossTrailPct: 'x' })).toEqual({});
    expect(at('x', { stopLossTrailUnit: 'percent', stopLossTrailPct: '2' })).toEqual({});
  });

  it("for a buy, when it reaches the price the stop would trail from: the entry's reference", () => {
    // A market buy meets the best ask (as the server measures it), else the last trade.
    expect(at('60000')).toEqual({
      stopLossTrailAmount: 'Must be below the best ask, 60000.00: the stop would never trigger',
    });
    expect(at('60000.01')).toHaveProperty('stopLossTrailAmount');
    expect(at('59999.99')).toEqual({});
    expect(problems(byAmount({ stopLossTrailAmount: '59990' }), m, { last: '59990.00' })).toEqual({
      stopLossTrailAmount: 'Must be below the last price, 59990.00: the stop would never trigger',
    });
    // Nothing to measure against: the server has the last word.
    expect(problems(byAmount({ stopLossTrailAmount: '99999' }), m)).toEqual({});
    // A limit buy, its own price; a stop-market, its stop price; trailing, its start price.
    const limit = { type: 'limit' as const, price: '55000.00', takeProfit: '' };
    expect(at('55000', limit)).toEqual({
      stopLossTrailAmount:
        "Must be below the order's price, 55000.00: the stop would never trigger",
    });
    expect(at('54999.99', limit)).toEqual({});
    const stop = { type: 'stop_market' as const, stopPrice: '61000.00', takeProfit: '' };
    expect(at('61000', stop)).toEqual({
      stopLossTrailAmount: 'Must be below the stop price, 61000.00: the stop would never trigger',
    });
    const trailing = { ...stop, trailing: true, trailPct: '1', stopPrice: '500.00' };
    expect(at('500', trailing)).toEqual({
      stopLossTrailAmount:
        'Must be below the price to start at, 500.00: the stop would never trigger',
    });
  });

  it('not for a sell: its stop loss is a buy stop, above the price, which any amount can reach', () => {
    const sell = { side: 'sell' as const, takeProfit: '' };
    expect(
      problems(byAmount({ ...sell, stopLossTrailAmount: '70000' }), m, { touch: '60000.00' }),
    ).toEqual({});
  });
});

describe('the note under TP / SL', () => {
  it('says the distance in the quote currency, as it says a percent', () => {
    expect(stopLossTrailOf(byAmount({ stopLossTrailAmount: ' 3.50 ' }), m)).toEqual({
      ok: true,
      by: { amount: '3.50' },
      words: '3.50 USDT',
    });
    expect(
      stopLossTrailOf(byAmount({ stopLossTrailUnit: 'percent', stopLossTrailPct: '2.5' }), m),
    ).toEqual({
      ok: true,
      by: { bps: 250 },
      words: '2.5 %',
    });
    expect(stopLossTrailOf(byAmount({ stopLossTrailAmount: '3.505' }), m).ok).toBe(false);
  });
});

describe("a server refusal of the stop loss's amount, at the amount's input", () => {
  const message =
    "the stop-loss's trailAmount 3.505 is not a multiple of BTC/USDT's tick (0.01): it is not rounded";

  it('reads stopLoss.trailAmount in an invalid_bracket and in a validation_failed', () => {
    expect(stopLossTrailRefusal(byAmount({}), { field: 'stopLoss.trailAmount' }, message)).toEqual({
      stopLossTrailAmount: message,
    });
    const schema = { fields: [{ field: 'stopLoss.trailAmount', message: 'must match pattern' }] };
    expect(stopLossTrailRefusal(byAmount({}), schema, 'Invalid input')).toEqual({
      stopLossTrailAmount: 'Invalid input',
    });
    expect(
      stopLossTrailRefusal(byAmount({}), { fields: [{ field: '/stopLoss/trailAmount' }] }, 'x'),
    ).toEqual({ stopLossTrailAmount: 'x' });
  });

  it('leaves anything else where it was: under the button', () => {
    const refused = (details: unknown, f: Partial<Form> = {}) =>
      stopLossTrailRefusal(byAmount(f), details, message);
    expect(refused({ field: 'trailAmount' })).toBeUndefined();
    expect(refused({ field: 'order.trailAmount' })).toBeUndefined();
    expect(refused({ field: 'stopLoss.trailPercent' })).toBeUndefined();
    expect(refused({ field: 'takeProfit.trailAmount' })).toBeUndefined();
    expect(refused({ fields: [{ field: 'stopLoss.trailAmount' }, { field: 'qty' }] })).toBe(
      undefined,
    );
    expect(refused(undefined)).toBeUndefined();
    // The amount's input is not on the form: unticked, or trailing in percent.
    expect(refused({ field: 'stopLoss.trailAmount' }, { stopLossTrails: false })).toBeUndefined();
    expect(
      refused({ field: 'stopLoss.trailAmount' }, { stopLossTrailUnit: 'percent' }),
    ).toBeUndefined();
    // Nor is it the trailing stop's own distance.
    const trailingStop = byAmount({ type: 'stop_market', trailing: true, trailUnit: 'amount' });
    expect(trailRefusal(trailingStop, { field: 'stopLoss.trailAmount' }, message)).toBeUndefined();
  });
});
