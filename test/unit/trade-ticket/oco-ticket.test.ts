import { describe, expect, it } from 'vitest';
import { groupLists } from '../../../src-renderer/src/screens/trade/order-lists';
import {
  EMPTY,
  problems,
  toOcoInput,
  type Form,
} from '../../../src-renderer/src/screens/trade/ticket-form';
import { BTC_USDT } from './btc-usdt';

const m = BTC_USDT;
const oco = (f: Partial<Form>): Form => ({ ...EMPTY, type: 'oco', qty: '0.5', ...f });

describe('the OCO ticket', () => {
  it('wants the take profit on the profit side of the stop', () => {
    const sell = { side: 'sell' as const, price: '65000', stopPrice: '55000' };
    expect(problems(oco(sell), m)).toEqual({});
    expect(problems(oco({ ...sell, price: '55000' }), m)).toEqual({
      price: 'A sell takes profit above its stop price',
    });
    expect(problems(oco({ side: 'buy', price: '60000', stopPrice: '60000' }), m)).toEqual({
      price: 'A buy takes profit below its stop price',
    });
    expect(problems(oco({ ...sell, stopLimitPrice: '54900.001' }), m)).toEqual({
      stopLimitPrice: 'Use steps of 0.01',
    });
    expect(problems(oco({ ...sell, stopPrice: '' }), m)).toEqual({
      stopPrice: 'Enter a price above 0',
    });
  });

  it('becomes orders.placeOco input: a blank stop-limit price makes a stop-market', () => {
    const f = oco({ side: 'sell', price: '65000', stopPrice: '55000', clientOrderId: 'tp-1' });
    expect(toOcoInput(f, 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      qty: '0.5',
      price: '65000',
      stopPrice: '55000',
      stp: 'cancel_newest',
      listClientOrderId: 'tp-1',
    });
    expect(toOcoInput({ ...f, stopLimitPrice: '54900' }, 'BTC/USDT')).toMatchObject({
      stopLimitPrice: '54900',
    });
    // A bracket is asked for only when ticked (Binance's kind by default).
    expect(toOcoInput({ ...f, bracket: true }, 'BTC/USDT')).toMatchObject({ bracket: true });
    expect(toOcoInput(f, 'BTC/USDT')).not.toHaveProperty('bracket');
  });
});

describe('open orders grouped by list', () => {
  it('puts the legs of a list next to each other where the first one comes', () => {
    const orders = [
      { orderId: 9, orderListId: 2 },
      { orderId: 8 },
      { orderId: 7, orderListId: 1 },
      { orderId: 6 },
      { orderId: 5, orderListId: 2 },
      { orderId: 4, orderListId: 1 },
    ];
    expect(groupLists(orders).map((o) => o.orderId)).toEqual([9, 5, 8, 7, 4, 6]);
  });
});
