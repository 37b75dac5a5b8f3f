import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trailStop } from '../../../src-main/domain/exchange/trailing';
import { formatDecimal } from '../../../src-shared/decimal';
import {
  EMPTY,
  problems,
  toExitsInput,
  toInput,
  type Form,
} from '../../../src-renderer/src/screens/trade/ticket-form';
import { ticketTrailOf } from '../../../src-renderer/src/screens/trade/ticket-trail';
import {
  initialTrailStop,
  trailBpsOf,
  trailDistance,
  trailNote,
  trailState,
} from '../../../src-renderer/src/screens/trade/trailing';
import { BTC_USDT } from './btc-usdt';

const m = BTC_USDT;
const trailing = (f: Partial<Form>): Form => ({
  ...EMPTY,
  type: 'stop_market',
  side: 'sell',
  qty: '0.5',
  trailing: true,
  trailPct: '1.5',
  ...f,
});

describe('the trailing distance typed in percent', () => {
  it('becomes basis points exactly, from the decimal string', () => {
    expect(trailBpsOf('1.5')).toEqual({ ok: true, bps: 150 });
    expect(trailBpsOf(' 0.01 ')).toEqual({ ok: true, bps: 1 });
    expect(trailBpsOf('.25')).toEqual({ ok: true, bps: 25 });
    expect(trailBpsOf('50')).toEqual({ ok: true, bps: 5000 });
    expect(trailBpsOf('50.00')).toEqual({ ok: true, bps: 5000 });
    // 0.29 × 100 is 28.999999999999996 in floating point: read as a string, it is 29.
    expect(trailBpsOf('0.29')).toEqual({ ok: true, bps: 29 });
    expect(trailBpsOf('4.35')).toEqual({ ok: true, bps: 435 });
  });

  it('refuses more than 2 decimals, anything outside 0.01–50 %, and what is not a number', () => {
    expect(trailBpsOf('1.505')).toEqual({
      ok: false,
      message: 'At most 2 decimals (0.01 % steps)',
    });
    expect(trailBpsOf('0')).toEqual({ ok: false, message: 'From 0.01 to 50 %' });
    expect(trailBpsOf('0.00')).toEqual({ ok: false, message: 'From 0.01 to 50 %' });
    expect(trailBpsOf('50.01')).toEqual({ ok: false, message: 'From 0.01 to 50 %' });
    expect(trailBpsOf('-1')).toEqual({ ok: false, message: 'From 0.01 to 50 %' });
    expect(trailBpsOf('1,5')).toEqual({ ok: false, message: 'Enter a percentage such as 1.5' });
    expect(trailBpsOf('1e1')).toEqual({ ok: false, message: 'Enter a percentage such as 1.5' });
    expect(trailBpsOf('')).toEqual({ ok: false, message: 'Enter a distance in %, e.g. 1.5' });
  });
});

describe('the stop a trailing stop starts with, as the engine sets it', () => {
  it('puts a sell behind the last price, floored to the tick', () => {
    expect(initialTrailStop('sell', '100.00', { bps: 150 }, '0.01')).toBe('98.50');
    expect(initialTrailStop('sell', '100.00', { bps: 500 }, '0.01')).toBe('95.00');
    // 101.37 × 0.985 = 99.84945: floored, never closer than 1.5 %.
    expect(initialTrailStop('sell', '101.37', { bps: 150 }, '0.01')).toBe('99.84');
    // A coarse tick: 101.37 × 0.985 = 99.84945 → 99.5 on a 0.5 grid.
    expect(initialTrailStop('sell', '101.5', { bps: 150 }, '0.5')).toBe('99.5');
    // At least one tick.
    expect(initialTrailStop('sell', '0.01', { bps: 5000 }, '0.01')).toBe('0.01');
  });

  it('puts a buy ahead of the last price, ceiled to the tick', () => {
    expect(initialTrailStop('buy', '100.00', { bps: 150 }, '0.01')).toBe('101.50');
    // 101.37 × 1.015 = 102.89055: ceiled to 102.90.
    expect(initialTrailStop('buy', '101.37', { bps: 150 }, '0.01')).toBe('102.90');
    // 101.5 × 1.015 = 103.0225 → 103.5 on a 0.5 grid.
    expect(initialTrailStop('buy', '101.5', { bps: 150 }, '0.5')).toBe('103.5');
    // Whole-number ticks and a last price written with fewer decimals than the tick.
    expect(initialTrailStop('buy', '60000', { bps: 300 }, '1')).toBe('61800');
    expect(initialTrailStop('sell', '60000', { bps: 1 }, '0.01')).toBe('59994.00');
  });

  it('names the stop the engine sets, on any tick grid (the engine is the oracle)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('buy' as const, 'sell' as const),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(1, 2, 5, 25),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 5000 }),
        (side, decimals, tick, ticks, bps) => {
          // The engine's prices are integer units of the tick's decimals; the ticket's, text.
          const last = ticks * tick;
          const shown = initialTrailStop(
            side,
            formatDecimal(BigInt(last), decimals),
            { bps },
            formatDecimal(BigInt(tick), decimals),
          );
          const engine = trailStop(side, last, bps, 0, tick);
          expect(shown).toBe(formatDecimal(BigInt(engine), decimals));
        },
      ),
    );
  });

  it('is undefined without a usable last price', () => {
    expect(initialTrailStop('sell', '', { bps: 150 }, '0.01')).toBeUndefined();
    expect(initialTrailStop('sell', '0', { bps: 150 }, '0.01')).toBeUndefined();
  });
});

describe('the trailing stop ticket', () => {
  it('says what will happen, with the stop it starts at when it tracks from the last price', () => {
    const base = {
      by: { bps: 150 },
      words: '1.5 %',
      activation: '',
      last: '100.00',
      tickSize: '0.01',
    };
    expect(trailNote({ ...base, side: 'sell', type: 'stop_market' })).toBe(
      'Sells if the price falls 1.5 % from its highest since placing; stop now 98.50',
    );
    expect(trailNote({ ...base, side: 'buy', type: 'stop_limit' })).toBe(
      'Places the buy limit if the price rises 1.5 % from its lowest since placing; stop now 101.50',
    );
    expect(trailNote({ ...base, side: 'sell', type: 'stop_market', activation: '95.00' })).toBe(
      'Waits for a trade at or below 95.00, then sells if the price falls 1.5 % from its highest since',
    );
    expect(trailNote({ ...base, side: 'sell', type: 'stop_market', last: undefined })).toBe(
      'Sells if the price falls 1.5 % from its highest since placing',
    );
  });

  it('has no note while the typed percent is not a distance the form takes', () => {
    const f = trailing({ trailPct: '1.505' });
    expect(ticketTrailOf(f, m)).toEqual({
      ok: false,
      message: 'At most 2 decimals (0.01 % steps)',
    });
    expect(ticketTrailOf(trailing({ trailPct: '.5' }), m)).toEqual({
      ok: true,
      by: { bps: 50 },
      words: '0.5 %',
    });
  });

  it('checks the distance, and a stop price only as where to start trailing', () => {
    expect(problems(trailing({}), m, { last: '100.00' })).toEqual({});
    expect(problems(trailing({ trailPct: '0.001' }), m, { last: '100.00' })).toEqual({
      trailPct: 'At most 2 decimals (0.01 % steps)',
    });
    expect(problems(trailing({ trailPct: '51' }), m, { last: '100.00' })).toEqual({
      trailPct: 'From 0.01 to 50 %',
    });
    expect(problems(trailing({ stopPrice: '95.001' }), m, { last: '100.00' })).toEqual({
      stopPrice: 'Use steps of 0.01',
    });
    // A market that never traded: nothing to trail from but the price given to start at.
    expect(problems(trailing({}), m)).toEqual({
      stopPrice: 'No trade yet to trail from: enter a price to start at',
    });
    expect(problems(trailing({ stopPrice: '95.00' }), m)).toEqual({});
    // Unticked, the stop price is required again and the distance is not looked at.
    expect(problems(trailing({ trailing: false, trailPct: 'x' }), m)).toEqual({
      stopPrice: 'Enter a price above 0',
    });
  });

  it('sends trailBps, and the stop price only when one was given', () => {
    expect(toInput(trailing({}), 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop_market',
      trailBps: 150,
      qty: '0.5',
      stp: 'cancel_newest',
    });
    const limit = trailing({ type: 'stop_limit', price: '94.00', stopPrice: ' 95.00 ' });
    expect(toInput(limit, 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop_limit',
      price: '94.00',
      tif: 'GTC',
      stopPrice: '95.00',
      trailBps: 150,
      qty: '0.5',
      stp: 'cancel_newest',
    });
    // Ticked on a stop and kept when the type changes: a limit never trails.
    expect(toInput(trailing({ type: 'limit', price: '90.00' }), 'BTC/USDT')).not.toHaveProperty(
      'trailBps',
    );
    expect(toExitsInput(trailing({ takeProfit: '90.00' }), 'BTC/USDT').order).toMatchObject({
      trailBps: 150,
    });
  });

  it('does not measure exits against a trailing stop-market: where it triggers is not known', () => {
    expect(problems(trailing({ takeProfit: '90.00' }), m, { last: '100.00' })).toEqual({});
  });
});

describe('a trailing stop in the tables', () => {
  it('says its distance, and the best price so far or the price it waits for', () => {
    const tracking = { bps: 150, activationPrice: null, anchorPrice: '110.00', trackingSince: 1 };
    expect(trailDistance(tracking)).toBe('trail 1.50 %');
    expect(trailState(tracking)).toBe('best 110.00');
    const waiting = { bps: 300, activationPrice: '120.00', anchorPrice: null, trackingSince: null };
    expect(trailDistance(waiting)).toBe('trail 3.00 %');
    expect(trailState(waiting)).toBe('waits for 120.00');
    // Activated: the best price it followed since, not the activation price.
    expect(trailState({ ...waiting, anchorPrice: '119.00', trackingSince: 1 })).toBe('best 119.00');
    expect(trailDistance({ ...waiting, bps: 5000 })).toBe('trail 50.00 %');
  });
});
