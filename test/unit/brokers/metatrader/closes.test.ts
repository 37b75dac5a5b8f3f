import { describe, expect, it } from 'vitest';
import type { BrokerAttachedClose } from '../../../../src-main/connectors/broker/port';
import {
  closesOf,
  orderFromResult,
  SymbolMap,
  toOrder,
} from '../../../../src-main/connectors/metatrader/mapping';
import type { MtOrder } from '../../../../src-main/connectors/metatrader/protocol';

const none = { offset: null, limitPrice: null, trailPercent: null, trailAmount: null };
const sl = (price: string): BrokerAttachedClose => ({ ...none, type: 'stop_loss', price });
const tp = (price: string): BrokerAttachedClose => ({ ...none, type: 'take_profit', price });

const pending = (x: Partial<MtOrder>): MtOrder => ({
  ticket: '5001',
  symbol: 'EURUSD.r',
  side: 'buy',
  type: 'limit',
  volume: '0.10',
  price: '1.07000',
  stopPrice: null,
  sl: null,
  tp: null,
  comment: '',
  magic: 240_024,
  setupTime: 1_700_000_000,
  ...x,
});

/**
 * A MetaTrader pending order's `sl`/`tp` (absolute prices the EA formats at the symbol's
 * digits; `null` for none, the terminal's 0.0): the order's closes.
 */
describe("a MetaTrader pending order's stop-loss and take-profit", () => {
  const map = new SymbolMap('.r');

  it.each([
    ['both', { sl: '1.05000', tp: '1.09000' }, [sl('1.05000'), tp('1.09000')]],
    ['only a stop-loss', { sl: '1.05000' }, [sl('1.05000')]],
    ['only a take-profit', { tp: '1.09000' }, [tp('1.09000')]],
    ['none (null, as the EA reports 0.0)', {}, []],
    ['none ("0", from an EA that writes the zero)', { sl: '0', tp: '0.00000' }, []],
    [
      'a sell stop, SL above and TP below',
      { side: 'sell', type: 'stop', sl: '1.10500', tp: '1.04250' },
      [sl('1.10500'), tp('1.04250')],
    ],
  ] as const)('%s', (_, x, expected) => {
    expect(toOrder(pending(x), map, null).closes).toEqual(expected);
  });

  it('reads the levels as exact text, never through a float', () => {
    expect(closesOf('1.23456789012', '98765432109876543210.5')).toEqual([
      sl('1.23456789012'),
      tp('98765432109876543210.5'),
    ]);
    expect(closesOf(undefined, undefined)).toEqual([]);
  });

  it("an order placed through the bridge carries the command's stop-loss and take-profit", () => {
    const cmd = {
      action: 'open' as const,
      clientOrderId: 'c-1',
      comment: 'c-1',
      symbol: 'EURUSD.r',
      side: 'buy' as const,
      type: 'limit' as const,
      volume: '0.10',
      price: '1.07',
      sl: '1.05',
      tp: '1.09',
    };
    const placed = { ok: true, retcode: 10008, message: 'placed', ticket: '5002', executedAt: 1 };
    expect(orderFromResult(cmd, placed, map).closes).toEqual([sl('1.05'), tp('1.09')]);
    const { sl: _sl, tp: _tp, ...plain } = cmd;
    expect(orderFromResult(plain, placed, map).closes).toEqual([]);
  });
});
