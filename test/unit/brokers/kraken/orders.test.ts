import { describe, expect, it } from 'vitest';
import {
  addOrderParams,
  descrParts,
  toBrokerOrder,
  validClientOrderId,
  type KrakenOrder,
} from '../../../../src-main/connectors/kraken/orders';
import { BTCUSD, btcIndex } from './instruments';
import closed from '../../../fakes/kraken/fixtures/closed-orders.json';
import open from '../../../fakes/kraken/fixtures/open-orders.json';

const idx = btcIndex();
const req = { clientOrderId: 'bourse-1', symbol: 'BTC/USD', side: 'buy' as const, qty: '0.5' };

describe('Kraken orders → Bourse orders (spec examples)', () => {
  it('reads the OpenOrders example', () => {
    const [id, o] = Object.entries(open.result.open)[0]!;
    const b = toBrokerOrder(id, o as unknown as KrakenOrder, idx);
    expect(b).toMatchObject({
      orderId: 'O7ICPO-F4CLJ-MVBLHC',
      symbol: 'BTC/USD',
      side: 'sell',
      qty: '3',
      filledQty: '0',
      avgPrice: null,
      status: 'open',
      clientOrderId: null,
      updatedAt: 1373750306982,
    });
  });

  it('reads the ClosedOrders example: canceled → cancelled with its reason', () => {
    const [id, o] = Object.entries(closed.result.closed)[0]!;
    const b = toBrokerOrder(id, o as unknown as KrakenOrder, idx);
    expect(b).toMatchObject({
      status: 'cancelled',
      reason: 'User requested',
      symbol: 'DASHUSD', // not a pair Bourse listed: the venue name is kept
      price: '1',
      qty: '10',
    });
  });

  it('maps stop-loss-limit prices: price = trigger, price2 = limit', () => {
    const o: KrakenOrder = {
      status: 'open',
      opentm: 1,
      descr: {
        pair: 'XBTUSD',
        type: 'sell',
        ordertype: 'stop-loss-limit',
        price: '50000.0',
        price2: '49900.0',
      },
      vol: '0.10000000',
      vol_exec: '0.02000000',
      price: '50010.5',
    };
    const b = toBrokerOrder('OX', o, idx);
    expect(b).toMatchObject({
      type: 'stop_limit',
      stopPrice: '50000',
      price: '49900',
      filledQty: '0.02',
      avgPrice: '50010.5',
      status: 'partially_filled',
    });
  });
});

describe("an order described in words only (AddOrder's answer)", () => {
  it.each([
    ['sell 3.00000000 XBTUSD @ limit 500.00000', { ordertype: 'limit', price: '500.00000' }],
    ['sell 0.25000000 XBTUSD @ market', { ordertype: 'market' }],
    [
      'buy 0.27500000 XBTUSD @ limit 14500.0 with 5:1 leverage',
      { ordertype: 'limit', price: '14500.0' },
    ],
    ['sell 1.25000000 XBTUSD @ stop loss 58000.0', { ordertype: 'stop-loss', price: '58000.0' }],
    ['sell 1.25000000 XBTUSD @ stop-loss 58000', { ordertype: 'stop-loss', price: '58000' }],
    ['buy 1.00000000 XBTUSD @ take profit 66000.0', { ordertype: 'take-profit', price: '66000.0' }],
    [
      'sell 1.00000000 XBTUSD @ trailing stop +5.0000%',
      { ordertype: 'trailing-stop', price: '+5.0000%' },
    ],
    [
      'sell 1.00000000 XBTUSD @ stop loss 22000.0 -> limit 21000.0',
      { ordertype: 'stop-loss-limit', price: '22000.0', price2: '21000.0' },
    ],
  ])('reads %s', (text, parts) => {
    expect(descrParts(text)).toEqual({ side: text.split(' ')[0], pair: 'XBTUSD', ...parts });
  });

  it('makes a stop-loss-limit described in words a stop-limit with both prices', () => {
    const o: KrakenOrder = {
      status: 'open',
      opentm: 1,
      descr: { order: 'sell 0.10000000 XBTUSD @ stop loss 50000.0 -> limit 49900.0' },
      vol: '0.10000000',
      vol_exec: '0.00000000',
      price: '0',
    };
    expect(toBrokerOrder('OX', o, idx)).toMatchObject({
      symbol: 'BTC/USD',
      side: 'sell',
      type: 'stop_limit',
      stopPrice: '50000',
      price: '49900',
    });
  });
});

describe('AddOrder parameters', () => {
  it('sends a limit with cl_ord_id on the canonical pair', () => {
    expect(addOrderParams({ ...req, type: 'limit', price: '30000.1' }, BTCUSD)).toMatchObject({
      pair: 'XXBTZUSD',
      type: 'buy',
      ordertype: 'limit',
      volume: '0.5',
      price: '30000.1',
      cl_ord_id: 'bourse-1',
      validate: undefined,
    });
  });

  it('sends stops as stop-loss(-limit) with price2, and validate=true for a dry run', () => {
    const p = addOrderParams(
      { ...req, type: 'stop_limit', stopPrice: '70000', price: '70100', validateOnly: true },
      BTCUSD,
    );
    expect(p).toMatchObject({
      ordertype: 'stop-loss-limit',
      price: '70000',
      price2: '70100',
      validate: 'true',
    });
    expect(addOrderParams({ ...req, type: 'market', stopLoss: '20000' }, BTCUSD)).toMatchObject({
      ordertype: 'market',
      price: undefined,
      'close[ordertype]': 'stop-loss',
      'close[price]': '20000',
    });
  });

  it('refuses what Kraken Spot cannot do, before sending', () => {
    const bad = [
      { ...req, type: 'limit' as const },
      { ...req, type: 'limit' as const, price: '-1' },
      { ...req, type: 'stop' as const },
      { ...req, type: 'market' as const, reduceOnly: true },
      { ...req, type: 'market' as const, stopLoss: '1', takeProfit: '2' },
      { ...req, type: 'market' as const, clientOrderId: 'x'.repeat(19) },
      { ...req, type: 'market' as const, qty: '0' },
    ];
    for (const r of bad) expect(() => addOrderParams(r, BTCUSD)).toThrow(/kraken:/);
  });

  it('accepts Kraken’s three client id forms', () => {
    expect(validClientOrderId('6d1b345e-2821-40e2-ad83-4ecb18a06876')).toBe(true);
    expect(validClientOrderId('da8e4ad59b78481c93e589746b0cf91f')).toBe(true);
    expect(validClientOrderId('my-order-00000001')).toBe(true);
    expect(validClientOrderId('this-is-nineteen-ch')).toBe(false);
    expect(validClientOrderId('')).toBe(false);
  });
});
