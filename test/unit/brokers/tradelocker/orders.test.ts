import { describe, expect, it } from 'vitest';
import type { BrokerInstrument } from '../../../../src-main/connectors/broker/port';
import { checkOrder, onStep, orderBody } from '../../../../src-main/connectors/tradelocker/orders';

const eurusd: BrokerInstrument = {
  symbol: 'EURUSD',
  venueId: '206',
  kind: 'forex',
  tickSize: '0.00001',
  lotSize: '0.01',
  minQty: '0.01',
};
const base = { clientOrderId: 'c1', symbol: 'EURUSD', side: 'buy', qty: '0.02' } as const;
const kind = (f: () => void) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { kind?: string }).kind;
  }
};

describe('TradeLocker order checks', () => {
  it('compares lot steps exactly', () => {
    expect(onStep('0.03', '0.01')).toBe(true);
    expect(onStep('0.3', '0.1')).toBe(true); // 0.3 % 0.1 is not 0 in floats
    expect(onStep('0.015', '0.01')).toBe(false);
  });

  it('accepts what TradeLocker takes and refuses the rest as invalid', () => {
    expect(kind(() => checkOrder({ ...base, type: 'market' }, eurusd))).toBe('ok');
    expect(kind(() => checkOrder({ ...base, type: 'limit', price: '1.07' }, eurusd))).toBe('ok');
    expect(kind(() => checkOrder({ ...base, type: 'limit' }, eurusd))).toBe('invalid');
    expect(kind(() => checkOrder({ ...base, type: 'stop', price: '1.09' }, eurusd))).toBe(
      'invalid',
    );
    expect(
      kind(() => checkOrder({ ...base, type: 'stop_limit', price: '1', stopPrice: '1' }, eurusd)),
    ).toBe('invalid');
    expect(kind(() => checkOrder({ ...base, type: 'market', timeInForce: 'GTC' }, eurusd))).toBe(
      'invalid',
    );
    expect(
      kind(() => checkOrder({ ...base, type: 'limit', price: '1', timeInForce: 'IOC' }, eurusd)),
    ).toBe('invalid');
    expect(kind(() => checkOrder({ ...base, type: 'market', qty: '0.005' }, eurusd))).toBe(
      'invalid',
    );
    expect(kind(() => checkOrder({ ...base, type: 'market', qty: '-1' }, eurusd))).toBe('invalid');
    expect(kind(() => checkOrder({ ...base, type: 'market', stopLoss: 'x' }, eurusd))).toBe(
      'invalid',
    );
  });

  it('builds the SDK body with exact prices and nulls', () => {
    const inst = {
      tradableInstrumentId: '206',
      name: 'EURUSD',
      type: 'FOREX',
      tradeRoute: '9021',
      infoRoutes: ['1'],
    };
    const text = orderBody(
      { ...base, type: 'stop', stopPrice: '1.09001', takeProfit: '1.1' },
      inst,
      'c1',
    );
    expect(JSON.parse(text)).toEqual({
      tradableInstrumentId: '206',
      qty: '0.02',
      side: 'buy',
      type: 'stop',
      price: null,
      stopPrice: 1.09001,
      validity: 'GTC',
      routeId: '9021',
      stopLoss: null,
      stopLossType: null,
      takeProfit: 1.1,
      takeProfitType: 'absolute',
      strategyId: 'c1',
    });
    expect(text).toContain('"stopPrice":1.09001,');
  });
});
