import { describe, expect, it } from 'vitest';
import {
  EMPTY,
  hasExits,
  problems,
  toExitsInput,
  type Form,
} from '../../../src-renderer/src/screens/trade/ticket-form';
import { BTC_USDT } from './btc-usdt';

const m = BTC_USDT;
const form = (f: Partial<Form>): Form => ({ ...EMPTY, qty: '0.5', ...f });

describe('take profit / stop loss in the ticket', () => {
  it('measures a limit buy against its price, a market order against the touch', () => {
    const buy = form({ type: 'limit', price: '60000', takeProfit: '66000', stopLoss: '57000' });
    expect(problems(buy, m)).toEqual({});
    expect(problems({ ...buy, takeProfit: '59000', stopLoss: '61000' }, m)).toEqual({
      takeProfit: "A buy's take profit is above 60000",
      stopLoss: "A buy's stop loss is below 60000",
    });
    const sell = form({ side: 'sell', type: 'market', takeProfit: '61000' });
    expect(problems(sell, m, { touch: '60000' })).toEqual({
      takeProfit: "A sell's take profit is below 60000",
    });
    expect(problems({ ...sell, takeProfit: '59000.001' }, m, { touch: '60000' })).toEqual({
      takeProfit: 'Use steps of 0.01',
    });
  });

  it('attaches exits only to lone orders, and sends the levels as prices', () => {
    expect(hasExits(form({ type: 'limit', price: '1', takeProfit: ' ' }))).toBe(false);
    expect(hasExits(form({ type: 'oco', takeProfit: '2' }))).toBe(false);
    const f = form({ type: 'stop_market', stopPrice: '60000', stopLoss: '58000' });
    expect(hasExits(f)).toBe(true);
    expect(toExitsInput(f, 'BTC/USDT')).toEqual({
      order: expect.objectContaining({ type: 'stop_market', stopPrice: '60000', qty: '0.5' }),
      stopLoss: { price: '58000' },
    });
  });
});
