import { describe, expect, it } from 'vitest';
import {
  EMPTY,
  problems,
  scaledInputs,
  shareOfBalance,
  toInput,
  type Form,
} from '../../../src-renderer/src/screens/trade/ticket-form';
import { BTC_USDT } from './btc-usdt';

const m = BTC_USDT;
const form = (f: Partial<Form>): Form => ({ ...EMPTY, ...f });
const usdt = (available: string) => ({ asset: 'USDT', available, held: '0' });

describe('order ticket form', () => {
  it('names the field of each problem before anything is sent', () => {
    expect(problems(form({ price: '1.005', qty: '0' }), m)).toEqual({
      price: 'Use steps of 0.01',
      qty: 'Enter a quantity above 0',
    });
    expect(problems(form({ type: 'market', by: 'quote' }), m)).toEqual({
      quoteQty: 'Enter an amount of USDT',
    });
    expect(problems(form({ type: 'stop_market', stopPrice: '', qty: '1' }), m)).toEqual({
      stopPrice: 'Enter a price above 0',
    });
  });

  it('sends only the fields of its order type', () => {
    const stop = form({ type: 'stop_market', stopPrice: '29000.00', qty: '0.5', price: '1' });
    expect(toInput(stop, 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'stop_market',
      stopPrice: '29000.00',
      qty: '0.5',
      stp: 'cancel_newest',
    });
    const legs = scaledInputs(
      form({ type: 'scaled', price: '100.00', priceTo: '101.00', count: '2', qty: '0.2' }),
      m,
    );
    expect(legs.map((l) => [l.price, l.qty])).toEqual([
      ['100.00', '0.1000'],
      ['101.00', '0.1000'],
    ]);
  });

  it('sizes a buy on a share of the balance, leaving room for the taker fee', () => {
    const sizing = { m, quoteBal: usdt('1002.00'), baseBal: undefined, quoteScale: 2 };
    // 50 % of 1002 = 501; 501 / 1.002 = 500; at 100.00 that is 5 BTC exactly.
    expect(
      shareOfBalance(form({ price: '100.00' }), 50, { ...sizing, refPrice: undefined }),
    ).toEqual({ field: 'qty', value: '5.0000' });
    expect(shareOfBalance(form({}), 50, { ...sizing, refPrice: undefined })).toEqual({
      problem: { price: 'Set a price first' },
    });
  });
});
