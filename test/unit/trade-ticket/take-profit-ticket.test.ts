import { describe, expect, it } from 'vitest';
import {
  openAmount,
  orderTypeText,
  triggerWords,
  typeLines,
} from '../../../src-renderer/src/screens/trade/labels';
import {
  EMPTY,
  TYPE_TEXT,
  problems,
  shapeOf,
  toExitsInput,
  toInput,
  type Form,
} from '../../../src-renderer/src/screens/trade/ticket-form';
import { fieldRefusal } from '../../../src-renderer/src/screens/trade/ticket-refusal';
import {
  triggerSummary,
  triggerWarning,
  triggersAtOnce,
} from '../../../src-renderer/src/screens/trade/ticket-trigger';
import { BTC_USDT } from './btc-usdt';

const m = BTC_USDT;
const form = (f: Partial<Form>): Form => ({ ...EMPTY, ...f });
const sellLimit = form({
  side: 'sell',
  type: 'take_profit_limit',
  stopPrice: '70000.00',
  price: '69900.00',
  qty: '0.5',
});
const sellMarket = form({
  side: 'sell',
  type: 'take_profit_market',
  stopPrice: '70000',
  qty: '0.5',
});

describe('take-profit orders in the ticket', () => {
  it('lists both kinds, and shows a trigger, a limit price for the limit kind, no trailing', () => {
    expect(TYPE_TEXT.take_profit_limit).toBe('Take profit limit');
    expect(TYPE_TEXT.take_profit_market).toBe('Take profit market');
    // A trailing box ticked on a stop earlier does not make a take-profit trail.
    expect(shapeOf({ ...sellLimit, trailing: true })).toMatchObject({
      needsPrice: true,
      takeProfit: true,
      isStop: false,
      trails: false,
      byQuote: false,
      exits: true,
    });
    expect(shapeOf(sellMarket)).toMatchObject({
      needsPrice: false,
      takeProfit: true,
      trails: false,
    });
    // A take-profit market buy may spend a quote amount, as a market buy does.
    const buy = form({ type: 'take_profit_market', by: 'quote' });
    expect(shapeOf(buy).byQuote).toBe(true);
    expect(shapeOf({ ...buy, side: 'sell' }).byQuote).toBe(false);
    expect(shapeOf({ ...buy, type: 'take_profit_limit' }).byQuote).toBe(false);
  });

  it('checks the trigger, the limit price and the quantity on the market grid before sending', () => {
    expect(problems(form({ type: 'take_profit_market', qty: '0.5' }), m)).toEqual({
      stopPrice: 'Enter a price above 0',
    });
    expect(
      problems({ ...sellLimit, stopPrice: '70000.005', price: '0', qty: '0.00005' }, m),
    ).toEqual({
      price: 'Enter a price above 0',
      stopPrice: 'Use steps of 0.01',
      qty: 'Use steps of 0.0001',
    });
    expect(problems(sellLimit, m, { last: '65000.00' })).toEqual({});
    // Triggering at once is a warning, not a refusal: the exchange accepts it.
    expect(problems(sellLimit, m, { last: '71000.00' })).toEqual({});
    const byQuote = form({ type: 'take_profit_market', by: 'quote', stopPrice: '60000' });
    expect(problems(byQuote, m)).toEqual({ quoteQty: 'Enter an amount of USDT' });
    expect(problems({ ...byQuote, quoteQty: '500' }, m)).toEqual({});
  });

  it('sends orders.place with the trigger as stopPrice: a limit with its TIF, a market without', () => {
    // Post-only and a trailing distance left over from other types are not sent.
    const limit = { ...sellLimit, tif: 'FOK' as const, postOnly: true, trailing: true };
    expect(toInput({ ...limit, trailPct: '2' }, 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'take_profit_limit',
      price: '69900.00',
      tif: 'FOK',
      stopPrice: '70000.00',
      qty: '0.5',
      stp: 'cancel_newest',
    });
    expect(toInput({ ...sellMarket, tif: 'FOK', price: '1' }, 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'take_profit_market',
      stopPrice: '70000',
      qty: '0.5',
      stp: 'cancel_newest',
    });
    const buy = form({
      type: 'take_profit_market',
      by: 'quote',
      stopPrice: '60000',
      quoteQty: '500',
      qty: '9',
      clientOrderId: 'tp-1',
    });
    expect(toInput(buy, 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'take_profit_market',
      stopPrice: '60000',
      quoteQty: '500',
      stp: 'cancel_newest',
      clientOrderId: 'tp-1',
    });
  });

  it('measures exits against the limit price, or a market kind against its trigger', () => {
    // A buy take-profit market at 60,000 (the last price far above): its exits are around 60,000.
    const buy = form({ type: 'take_profit_market', stopPrice: '60000.00', qty: '0.1' });
    expect(
      problems({ ...buy, takeProfit: '59000.00' }, m, { touch: '70000.00', last: '70000.00' }),
    ).toEqual({ takeProfit: "A buy's take profit is above 60000.00" });
    expect(problems({ ...buy, takeProfit: '65000.00', stopLoss: '58000.00' }, m)).toEqual({});
    expect(problems({ ...sellLimit, stopLoss: '69000.00' }, m)).toEqual({
      stopLoss: "A sell's stop loss is above 69900.00",
    });
    expect(toExitsInput({ ...sellLimit, takeProfit: '68000.00' }, 'BTC/USDT')).toMatchObject({
      order: { type: 'take_profit_limit', stopPrice: '70000.00' },
      takeProfit: { price: '68000.00' },
    });
  });
});

describe('a trigger the last price has reached already', () => {
  it('waits on the profit side: a sell above the last price, a buy below', () => {
    expect(triggersAtOnce(sellLimit, '69999.99')).toBe(false);
    expect(triggersAtOnce(sellLimit, '70000.00')).toBe(true);
    expect(triggersAtOnce(sellLimit, '70100')).toBe(true);
    const buy = form({ type: 'take_profit_market', stopPrice: '60000', qty: '1' });
    expect(triggersAtOnce(buy, '60000.01')).toBe(false);
    expect(triggersAtOnce(buy, '60000.00')).toBe(true);
    // A stop waits the other way round: a sell below the last price.
    const stop = form({ side: 'sell', type: 'stop_market', stopPrice: '58000', qty: '1' });
    expect(triggersAtOnce(stop, '59000')).toBe(false);
    expect(triggersAtOnce(stop, '57000')).toBe(true);
    // Nothing to compare with: no last trade, no trigger yet, a trailing stop, an OCO.
    expect(triggersAtOnce(sellLimit, undefined)).toBe(false);
    expect(triggersAtOnce({ ...sellLimit, stopPrice: '' }, '71000')).toBe(false);
    expect(triggersAtOnce({ ...stop, trailing: true }, '57000')).toBe(false);
    expect(triggersAtOnce({ ...stop, type: 'oco' }, '57000')).toBe(false);
  });

  it('says so under the trigger, and names the kind that waits the other way', () => {
    expect(triggerWarning(sellLimit, '65000.00')).toBeUndefined();
    expect(triggerWarning(sellLimit, '71000.00')).toBe(
      'The last price, 71000.00, is already at or above 70000.00: this would trigger at once. ' +
        'A sell take profit waits above the last price; to sell if the price falls, use a stop.',
    );
    expect(
      triggerWarning(form({ type: 'take_profit_limit', stopPrice: '60000' }), '59000.00'),
    ).toBe(
      'The last price, 59000.00, is already at or below 60000: this would trigger at once. ' +
        'A buy take profit waits below the last price; to buy if the price rises, use a stop.',
    );
    expect(triggerWarning(form({ type: 'stop_limit', stopPrice: '62000' }), '63000.00')).toBe(
      'The last price, 63000.00, is already at or above 62000: this would trigger at once. ' +
        'A buy stop waits above the last price; to buy if the price falls, use a take profit.',
    );
  });
});

describe('what a take-profit or a stop will do, in one line', () => {
  it('names the side, the size, the limit and the way the price must move', () => {
    expect(triggerSummary(sellMarket, m, '65000.00')).toBe(
      'Sells 0.5 BTC at market when the price rises to 70000',
    );
    expect(triggerSummary(sellLimit, m, '65000.00')).toBe(
      'Places a sell limit at 69900.00 for 0.5 BTC when the price rises to 70000.00',
    );
    const buy = form({ type: 'take_profit_market', by: 'quote', stopPrice: '60000' });
    expect(triggerSummary({ ...buy, quoteQty: '500' }, m, '65000')).toBe(
      'Buys 500 USDT of BTC at market when the price falls to 60000',
    );
    // Until the size is typed, the line names what it knows.
    expect(triggerSummary(buy, m, '65000')).toBe('Buys at market when the price falls to 60000');
    expect(triggerSummary({ ...sellLimit, price: '', qty: '' }, m, undefined)).toBe(
      'Places a sell limit when the price rises to 70000.00',
    );
    const stop = form({ side: 'sell', type: 'stop_market', stopPrice: '58000', qty: '0.2' });
    expect(triggerSummary(stop, m, '60000')).toBe(
      'Sells 0.2 BTC at market when the price falls to 58000',
    );
    expect(triggerSummary(sellMarket, m, '70500.00')).toBe(
      'Sells 0.5 BTC at market at once: the last price has reached 70000',
    );
  });

  it('says nothing for other orders, or before the trigger is a price', () => {
    expect(triggerSummary({ ...sellMarket, stopPrice: '' }, m, '65000')).toBeUndefined();
    expect(triggerSummary({ ...sellMarket, stopPrice: 'abc' }, m, '65000')).toBeUndefined();
    expect(triggerSummary(form({ type: 'limit', stopPrice: '1' }), m, '65000')).toBeUndefined();
    // A trailing stop has its own line (trailing.ts).
    const trailing = form({ type: 'stop_market', trailing: true, stopPrice: '1' });
    expect(triggerSummary(trailing, m, '65000')).toBeUndefined();
  });
});

describe("the server's refusals at the field they name", () => {
  it('puts a refusal of the trigger, the limit price or the size at its input', () => {
    const msg = 'stopPrice: more ticks than the exchange counts';
    expect(fieldRefusal(sellLimit, { field: 'stopPrice' }, msg)).toEqual({ stopPrice: msg });
    expect(fieldRefusal(sellLimit, { field: 'price' }, 'p')).toEqual({ price: 'p' });
    expect(fieldRefusal(sellMarket, { field: 'qty' }, 'q')).toEqual({ qty: 'q' });
    // An order with exits names the order's fields under `order`; its exits by their names.
    expect(fieldRefusal(sellLimit, { field: 'order.stopPrice' }, 's')).toEqual({ stopPrice: 's' });
    expect(fieldRefusal(sellLimit, { field: 'takeProfit.price' }, 't')).toEqual({
      takeProfit: 't',
    });
    // A schema refusal names its one field in `fields`.
    expect(fieldRefusal(sellMarket, { fields: [{ field: '/stopPrice' }] }, 'x')).toEqual({
      stopPrice: 'x',
    });
  });

  it('leaves a refusal of an input the form does not show under the button', () => {
    expect(fieldRefusal(sellMarket, { field: 'price' }, 'p')).toBeUndefined();
    expect(fieldRefusal(sellMarket, { field: 'quoteQty' }, 'q')).toBeUndefined();
    expect(fieldRefusal(form({ type: 'limit' }), { field: 'stopPrice' }, 's')).toBeUndefined();
    expect(fieldRefusal(sellLimit, { field: 'tif' }, 't')).toBeUndefined();
    expect(fieldRefusal(sellLimit, { qty: '0.5', minQty: '0.0001' }, 'm')).toBeUndefined();
    expect(fieldRefusal(sellLimit, undefined, 'm')).toBeUndefined();
  });
});

describe('take-profits in the order tables', () => {
  it('writes every type in words; a take-profit over two lines, as narrow as a stop', () => {
    expect(orderTypeText('take_profit_limit')).toBe('take profit limit');
    expect(orderTypeText('take_profit_market')).toBe('take profit market');
    expect(orderTypeText('stop_market')).toBe('stop market');
    expect(orderTypeText('limit')).toBe('limit');
    expect(typeLines('take_profit_limit')).toEqual({ main: 'take profit', kind: 'limit' });
    expect(typeLines('take_profit_market')).toEqual({ main: 'take profit', kind: 'market' });
    expect(typeLines('stop_limit')).toEqual({ main: 'stop limit' });
  });

  it('shows what a waiting buy by amount will spend, not an open quantity of 0', () => {
    const waiting = {
      symbol: 'BTC/USDT',
      qty: null,
      quoteQty: '1000.000000',
      openQty: '0.0000',
      filledQty: '0.0000',
    };
    expect(openAmount(waiting)).toBe('1000 USDT');
    expect(openAmount({ ...waiting, quoteQty: '1000.500000' })).toBe('1000.5 USDT');
    expect(openAmount({ ...waiting, filledQty: '0.0100', openQty: '0.0000' })).toBe('0.0000');
    const byQty = { ...waiting, qty: '0.5000', quoteQty: null, openQty: '0.5000' };
    expect(openAmount(byQty)).toBe('0.5000');
  });

  it("shows a take-profit's trigger with the way it waits, a stop's as before", () => {
    expect(
      triggerWords({ side: 'sell', type: 'take_profit_limit', stopPrice: '70000.00' }),
    ).toEqual({
      text: 'trigger ≥ 70000.00',
      title: 'Triggers when a trade is at or above 70000.00',
    });
    expect(
      triggerWords({ side: 'buy', type: 'take_profit_market', stopPrice: '60000.00' }),
    ).toEqual({
      text: 'trigger ≤ 60000.00',
      title: 'Triggers when a trade is at or below 60000.00',
    });
    expect(triggerWords({ side: 'sell', type: 'stop_market', stopPrice: '58000.00' })).toEqual({
      text: 'stop 58000.00',
      title: 'Triggers when a trade is at or below 58000.00',
    });
    expect(triggerWords({ side: 'buy', type: 'limit', stopPrice: null })).toBeUndefined();
  });
});
