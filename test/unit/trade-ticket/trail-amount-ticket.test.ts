import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trailStop } from '../../../src-main/domain/exchange/trailing';
import { formatDecimal } from '../../../src-shared/decimal';
import {
  EMPTY,
  problems,
  toExitsInput,
  toInput,
  toOcoInput,
  type Form,
} from '../../../src-renderer/src/screens/trade/ticket-form';
import {
  refusedTrailInput,
  ticketTrailOf,
  trailRefusal,
} from '../../../src-renderer/src/screens/trade/ticket-trail';
import {
  initialTrailStop,
  neverTriggers,
  trailDistance,
  trailNote,
} from '../../../src-renderer/src/screens/trade/trailing';
import { BTC_USDT } from './btc-usdt';

/**
 * The Trade ticket's trailing distance in the quote currency: a trailing stop (orders.place
 * trailAmount) or an OCO's trailing stop leg (orders.placeOco stopTrailAmount) that trails by
 * an amount in price units instead of a percent.
 */
const m = BTC_USDT;
const byAmount = (f: Partial<Form>): Form => ({
  ...EMPTY,
  type: 'stop_market',
  side: 'sell',
  qty: '0.5',
  trailing: true,
  trailUnit: 'amount',
  trailAmount: '250.5',
  ...f,
});

describe('the stop a trailing stop by an amount starts with, as the engine sets it', () => {
  it('is the amount behind the last price, exactly', () => {
    expect(initialTrailStop('sell', '60000.00', { amount: '250.5' }, '0.01')).toBe('59749.50');
    expect(initialTrailStop('buy', '60000.00', { amount: '250.5' }, '0.01')).toBe('60250.50');
    // 0.1 + 0.2 is not 0.3 in floating point; in decimals it is.
    expect(initialTrailStop('buy', '0.1', { amount: '0.2' }, '0.1')).toBe('0.3');
    expect(initialTrailStop('sell', '0.3', { amount: '0.1' }, '0.1')).toBe('0.2');
    // Digits a float would lose are kept.
    expect(initialTrailStop('sell', '9007199254740993.00', { amount: '0.01' }, '0.01')).toBe(
      '9007199254740992.99',
    );
    // A last price with fewer decimals than the tick, an amount with as many.
    expect(initialTrailStop('sell', '60000', { amount: '0.05' }, '0.01')).toBe('59999.95');
  });

  it('is at least one tick for a sell, whatever the amount', () => {
    expect(initialTrailStop('sell', '100.00', { amount: '100.00' }, '0.01')).toBe('0.01');
    expect(initialTrailStop('sell', '100.00', { amount: '250' }, '0.01')).toBe('0.01');
  });

  it('is undefined without a usable last price or amount', () => {
    expect(initialTrailStop('sell', '', { amount: '1' }, '0.01')).toBeUndefined();
    expect(initialTrailStop('sell', '0', { amount: '1' }, '0.01')).toBeUndefined();
    expect(initialTrailStop('sell', '100', { amount: '1e2' }, '0.01')).toBeUndefined();
  });

  it('names the stop the engine sets, on any tick grid (the engine is the oracle)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('buy' as const, 'sell' as const),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(1, 2, 5, 25),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        (side, decimals, tick, ticks, amountTicks) => {
          // The engine's prices and amounts are integer units of the tick's decimals (the
          // server makes the amount a multiple of the tick); the ticket's, text.
          const last = ticks * tick;
          const amount = amountTicks * tick;
          const shown = initialTrailStop(
            side,
            formatDecimal(BigInt(last), decimals),
            { amount: formatDecimal(BigInt(amount), decimals) },
            formatDecimal(BigInt(tick), decimals),
          );
          const engine = trailStop(side, last, 0, amount, tick);
          expect(shown).toBe(formatDecimal(BigInt(engine), decimals));
        },
      ),
    );
  });
});

describe('a sell whose amount reaches the price it starts from', () => {
  it('would never trigger: the server refuses it, and so does the form', () => {
    expect(neverTriggers('sell', { amount: '60000' }, '60000.00')).toBe(true);
    expect(neverTriggers('sell', { amount: '60000.01' }, '60000.00')).toBe(true);
    expect(neverTriggers('sell', { amount: '59999.99' }, '60000.00')).toBe(false);
    // A buy's stop is above its anchor; a percent is at most 50 %; no price: nothing to say.
    expect(neverTriggers('buy', { amount: '70000' }, '60000.00')).toBe(false);
    expect(neverTriggers('sell', { bps: 5000 }, '60000.00')).toBe(false);
    expect(neverTriggers('sell', { amount: '70000' }, undefined)).toBe(false);
  });
});

describe('the note under a trailing stop by an amount', () => {
  const base = {
    by: { amount: '250.5' },
    words: '250.5 USDT',
    activation: '',
    last: '60000.00',
    tickSize: '0.01',
  };

  it('says the distance in the quote currency, and the stop it starts at', () => {
    expect(trailNote({ ...base, side: 'sell', type: 'stop_market' })).toBe(
      'Sells if the price falls 250.5 USDT from its highest since placing; stop now 59749.50',
    );
    expect(trailNote({ ...base, side: 'buy', type: 'stop_limit' })).toBe(
      'Places the buy limit if the price rises 250.5 USDT from its lowest since placing; stop now 60250.50',
    );
    expect(trailNote({ ...base, side: 'sell', type: 'stop_market', activation: ' 61000 ' })).toBe(
      'Waits for a trade at or below 61000, then sells if the price falls 250.5 USDT from its highest since',
    );
  });

  it('warns when a sell would never trigger', () => {
    const far = { ...base, by: { amount: '60000' }, words: '60000 USDT' };
    expect(trailNote({ ...far, side: 'sell', type: 'stop_market' })).toBe(
      'Would never trigger: 60000 USDT below 60000.00 is at or under 0',
    );
    expect(trailNote({ ...far, side: 'sell', type: 'stop_market', activation: '500' })).toBe(
      'Would never trigger: 60000 USDT below 500 is at or under 0',
    );
  });
});

describe('the distance typed in the quote currency', () => {
  it('is taken as typed when it is a positive decimal on the tick grid', () => {
    expect(ticketTrailOf(byAmount({ trailAmount: ' 250.50 ' }), m)).toEqual({
      ok: true,
      by: { amount: '250.50' },
      words: '250.50 USDT',
    });
    expect(ticketTrailOf(byAmount({ trailAmount: '.5' }), m)).toEqual({
      ok: true,
      by: { amount: '0.5' },
      words: '0.5 USDT',
    });
  });

  it('is refused at its input, before anything is sent', () => {
    const at = (trailAmount: string) =>
      problems(byAmount({ trailAmount }), m, { last: '60000.00' });
    expect(at('')).toEqual({ trailAmount: 'Enter a distance in price units, e.g. 250.50' });
    expect(at('0')).toEqual({ trailAmount: 'Enter an amount above 0' });
    expect(at('-5')).toEqual({ trailAmount: 'Enter an amount above 0' });
    expect(at('1e3')).toEqual({ trailAmount: 'Enter an amount such as 250.50' });
    expect(at('250.505')).toEqual({ trailAmount: 'Use steps of 0.01' });
    expect(at('250.5')).toEqual({});
  });

  it('refuses a sell whose amount reaches the last price, or the price it starts at', () => {
    expect(problems(byAmount({ trailAmount: '60000' }), m, { last: '60000.00' })).toEqual({
      trailAmount: 'Must be below the last price, 60000.00: the stop would never trigger',
    });
    expect(
      problems(byAmount({ trailAmount: '500', stopPrice: '500.00' }), m, { last: '60000.00' }),
    ).toEqual({
      trailAmount: 'Must be below the price to start at, 500.00: the stop would never trigger',
    });
    // A buy's stop trails above the price: any amount can trigger.
    expect(
      problems(byAmount({ side: 'buy', trailAmount: '70000' }), m, { last: '60000.00' }),
    ).toEqual({});
  });

  it('is checked in its unit only: the percent typed before is kept, not looked at', () => {
    expect(problems(byAmount({ trailPct: 'x' }), m, { last: '60000.00' })).toEqual({});
    expect(problems(byAmount({ trailUnit: 'percent', trailPct: 'x' }), m, { last: '1' })).toEqual({
      trailPct: 'Enter a percentage such as 1.5',
    });
  });
});

describe('the request for a trailing stop by an amount', () => {
  it('sends trailAmount as the decimal typed, never through a float, and no trailBps', () => {
    expect(toInput(byAmount({ trailPct: '1.5' }), 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop_market',
      trailAmount: '250.5',
      qty: '0.5',
      stp: 'cancel_newest',
    });
    expect(toInput(byAmount({ trailAmount: ' .10 ' }), 'BTC/USDT').trailAmount).toBe('0.10');
    // More digits than a float holds.
    const big = byAmount({ side: 'buy', trailAmount: '12345678901234567.89' });
    expect(toInput(big, 'BTC/USDT').trailAmount).toBe('12345678901234567.89');
  });

  it('sends a stop-limit with its price to start at', () => {
    const f = byAmount({ type: 'stop_limit', price: '59000.00', stopPrice: ' 59500.00 ' });
    expect(toInput(f, 'BTC/USDT')).toMatchObject({
      type: 'stop_limit',
      price: '59000.00',
      stopPrice: '59500.00',
      trailAmount: '250.5',
    });
    expect(toInput(f, 'BTC/USDT')).not.toHaveProperty('trailBps');
    // Back in percent, the percent is sent.
    expect(toInput({ ...f, trailUnit: 'percent', trailPct: '2' }, 'BTC/USDT')).toMatchObject({
      trailBps: 200,
    });
    expect(toInput({ ...f, trailUnit: 'percent', trailPct: '2' }, 'BTC/USDT')).not.toHaveProperty(
      'trailAmount',
    );
  });

  it('carries the amount in the order of an order with exits', () => {
    const f = byAmount({ takeProfit: '50000.00' });
    expect(toExitsInput(f, 'BTC/USDT').order).toMatchObject({ trailAmount: '250.5' });
  });
});

describe('an OCO whose stop leg trails by an amount', () => {
  const oco = (f: Partial<Form>) =>
    byAmount({ type: 'oco', price: '66000.00', trailAmount: '1000', ...f });

  it('sends stopTrailAmount, and is checked against the stop it starts with', () => {
    expect(problems(oco({}), m, { last: '60000.00' })).toEqual({});
    expect(toOcoInput(oco({}), 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      qty: '0.5',
      price: '66000.00',
      stopTrailAmount: '1000',
      stp: 'cancel_newest',
    });
    // 60000 − 1000 = 59000: a sell's take profit must be above it.
    expect(problems(oco({ price: '58000.00' }), m, { last: '60000.00' })).toEqual({
      price: 'A sell takes profit above its stop, which starts at 59000.00',
    });
    // A buy's leg starts at 60000 + 1000 = 61000.
    expect(problems(oco({ side: 'buy', price: '61500.00' }), m, { last: '60000.00' })).toEqual({
      price: 'A buy takes profit below its stop, which starts at 61000.00',
    });
  });

  it('sends the price to start trailing at, and a stop-limit price', () => {
    const f = oco({ stopPrice: '59000.00', stopLimitPrice: '58900.00' });
    expect(toOcoInput(f, 'BTC/USDT')).toMatchObject({
      stopPrice: '59000.00',
      stopTrailAmount: '1000',
      stopLimitPrice: '58900.00',
    });
    expect(toOcoInput(f, 'BTC/USDT')).not.toHaveProperty('stopTrailBps');
  });
});

describe("a server refusal of the trailing distance, at the distance's input", () => {
  it('reads the field the refusal names: trailAmount, an OCO leg, an order with exits', () => {
    expect(refusedTrailInput({ field: 'trailAmount' })).toBe('trailAmount');
    expect(refusedTrailInput({ field: 'stopTrailAmount' })).toBe('trailAmount');
    expect(refusedTrailInput({ field: 'order.trailAmount' })).toBe('trailAmount');
    expect(refusedTrailInput({ fields: [{ field: '/trailAmount' }] })).toBe('trailAmount');
    expect(refusedTrailInput({ field: 'trailBps' })).toBe('trailPct');
    expect(refusedTrailInput({ field: 'stopTrailBps' })).toBe('trailPct');
    // An exit's own distance, another field, or no field: not the trailing stop's input.
    expect(refusedTrailInput({ field: 'stopLoss.trailAmount' })).toBeUndefined();
    expect(refusedTrailInput({ field: 'price' })).toBeUndefined();
    expect(refusedTrailInput({ field: 'constructor' })).toBeUndefined();
    expect(
      refusedTrailInput({ fields: [{ field: 'a' }, { field: 'trailAmount' }] }),
    ).toBeUndefined();
    expect(refusedTrailInput(undefined)).toBeUndefined();
  });

  it('is shown at the input while it is on the form, else elsewhere', () => {
    const message = 'trailAmount: price 0.005 is not a multiple of 0.01';
    expect(trailRefusal(byAmount({}), { field: 'trailAmount' }, message)).toEqual({
      trailAmount: message,
    });
    expect(trailRefusal(byAmount({ type: 'oco' }), { field: 'stopTrailAmount' }, message)).toEqual({
      trailAmount: message,
    });
    // Not trailing, or trailing in percent: the amount's input is not there.
    expect(trailRefusal(byAmount({ trailing: false }), { field: 'trailAmount' }, message)).toBe(
      undefined,
    );
    expect(
      trailRefusal(byAmount({ trailUnit: 'percent' }), { field: 'trailAmount' }, message),
    ).toBeUndefined();
  });
});

describe('a trailing stop by an amount in the tables', () => {
  it('says its distance in price units', () => {
    const t = { activationPrice: null, anchorPrice: '60000.00', trackingSince: 1 };
    expect(trailDistance({ ...t, amount: '250.50' })).toBe('trail 250.50');
  });
});
