import { describe, expect, it } from 'vitest';
import type { BrokerAttachedClose } from '../../../../src-main/connectors/broker/port';
import { closesOf, toOrder } from '../../../../src-main/connectors/tradelocker/mapping';
import { sentCloses } from '../../../../src-main/connectors/tradelocker/orders';
import { namedRows } from '../../../../src-main/connectors/tradelocker/wire';

const none = { price: null, offset: null, limitPrice: null, trailPercent: null, trailAmount: null };
const close = (c: Partial<BrokerAttachedClose> & Pick<BrokerAttachedClose, 'type'>) => ({
  ...none,
  ...c,
});
const sl = (price: string) => close({ type: 'stop_loss', price });
const tp = (price: string) => close({ type: 'take_profit', price });

/** An order row's SL/TP columns as TradeLocker's `ordersConfig` names them. */
const row = (
  stopLoss: unknown,
  stopLossType: unknown,
  takeProfit: unknown,
  takeProfitType: unknown,
) => ({ stopLoss, stopLossType, takeProfit, takeProfitType });

/**
 * TradeLocker's order rows carry the stop-loss and take-profit the order was placed with
 * (`stopLoss`/`stopLossType`, `takeProfit`/`takeProfitType`): both are the order's closes.
 */
describe("a TradeLocker order row's stop-loss and take-profit", () => {
  it.each([
    ['both, absolute', row('1.065', 'absolute', '1.0999', 'absolute'), [sl('1.065'), tp('1.0999')]],
    // JSON numbers read back digit for digit, never through float arithmetic.
    ['both as JSON numbers', row(1.0651, 'absolute', 1.1, 'absolute'), [sl('1.0651'), tp('1.1')]],
    ['only a stop-loss', row('1.065', 'absolute', null, null), [sl('1.065')]],
    ['only a take-profit', row(null, null, 2650.25, 'absolute'), [tp('2650.25')]],
    ['none (null)', row(null, null, null, null), []],
    ['none (0, as TradeLocker writes unset prices)', row(0, null, '0', null), []],
    ['none (0 with a type)', row('0.00', 'absolute', 0, 'offset'), []],
    [
      'offsets: distances from the order price',
      row('0.0050', 'offset', 0.01, 'offset'),
      [
        close({ type: 'stop_loss', offset: '0.005' }),
        close({ type: 'take_profit', offset: '0.01' }),
      ],
    ],
    [
      'a trailing stop-loss by a distance',
      row('0.0025', 'trailingOffset', null, null),
      [close({ type: 'trailing_stop', trailAmount: '0.0025' })],
    ],
    [
      'a trailing stop-loss and an absolute take-profit',
      row(12.5, 'trailingOffset', '2700', 'absolute'),
      [close({ type: 'trailing_stop', trailAmount: '12.5' }), tp('2700')],
    ],
  ])('%s', (_, r, expected) => {
    expect(closesOf(r)).toEqual(expected);
  });

  it.each([
    // TradeLocker lists absolute and offset take-profits only.
    ['a trailing take-profit', row(null, null, '1.1', 'trailingOffset')],
    ['a type TradeLocker does not list', row('1.065', 'percent', null, null)],
    ['a value without its type', row('1.065', null, null, null)],
    ['an unreadable value', row('soon', 'absolute', null, null)],
    ['a negative value', row('-0.005', 'offset', null, null)],
    ['a row without the columns (an older /trade/config)', {}],
    ['a row without the take-profit column', { stopLoss: '1.065', stopLossType: 'absolute' }],
  ])('says nothing for %s (rather than claim there is no such close)', (_, r) => {
    expect(closesOf(r)).toBeUndefined();
  });

  it('is part of the order, read by column id whatever the config order', () => {
    const config = {
      columns: [
        'takeProfitType',
        'id',
        'stopLoss',
        'type',
        'takeProfit',
        'stopLossType',
        'side',
      ].map((id) => ({ id })),
    };
    const [named] = namedRows(
      config,
      [['absolute', '77', 1.065, 'limit', 1.0999, 'absolute', 'buy']],
      'orders',
    );
    const ctx = { symbolOf: () => 'EURUSD', clientIdOf: (s: string) => s };
    expect(toOrder(named!, ctx).closes).toEqual([sl('1.065'), tp('1.0999')]);
    expect(toOrder({ id: '78', type: 'limit' }, ctx)).not.toHaveProperty('closes');
  });
});

describe('the closes a TradeLocker order is sent with', () => {
  const req = {
    clientOrderId: 'c-1',
    symbol: 'EURUSD',
    side: 'buy' as const,
    type: 'limit' as const,
    qty: '0.05',
    price: '1.0712',
  };

  it('are its absolute stop-loss and take-profit, canonical, stop-loss first', () => {
    expect(sentCloses(req)).toEqual([]);
    expect(sentCloses({ ...req, takeProfit: '1.0999', stopLoss: '1.0650' })).toEqual([
      sl('1.065'),
      tp('1.0999'),
    ]);
    expect(sentCloses({ ...req, takeProfit: '1.0999' })).toEqual([tp('1.0999')]);
  });
});
