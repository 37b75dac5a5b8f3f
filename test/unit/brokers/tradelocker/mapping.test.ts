import { describe, expect, it } from 'vitest';
import {
  orderStatus,
  toFill,
  toOrder,
  toPosition,
} from '../../../../src-main/connectors/tradelocker/mapping';
import { toInstrument } from '../../../../src-main/connectors/tradelocker/instruments';

const ctx = {
  symbolOf: (id: string) => (id === '206' ? 'EURUSD' : id),
  clientIdOf: (s: string) => `cid:${s}`,
};

describe('TradeLocker rows in Bourse words', () => {
  it('maps order statuses, New with a fill being partially filled', () => {
    expect(orderStatus({ status: 'New', filledQty: '0' })).toBe('open');
    expect(orderStatus({ status: 'New', filledQty: '0.01' })).toBe('partially_filled');
    expect(orderStatus({ status: 'Filled' })).toBe('filled');
    expect(orderStatus({ status: 'Removed' })).toBe('cancelled');
    expect(orderStatus({ status: 'Refused' })).toBe('rejected');
    expect(orderStatus({ status: 'Unplaced' })).toBe('rejected');
    expect(orderStatus({ status: 'Mystery', isOpen: true })).toBe('open');
    expect(orderStatus({ status: 'Mystery', isOpen: false })).toBe('cancelled');
  });

  it('maps an order row, with the strategyId as client id and 0 prices as null', () => {
    const o = toOrder(
      {
        id: '72778169978345932801',
        tradableInstrumentId: 206,
        side: 'sell',
        type: 'limit',
        qty: 0.05,
        filledQty: 0,
        price: 1.0912,
        stopPrice: 0,
        avgPrice: 0,
        status: 'New',
        strategyId: 'abc',
        lastModified: 1700000000000,
      },
      ctx,
    );
    expect(o).toEqual({
      orderId: '72778169978345932801',
      clientOrderId: 'cid:abc',
      symbol: 'EURUSD',
      side: 'sell',
      type: 'limit',
      qty: '0.05',
      filledQty: '0',
      price: '1.0912',
      stopPrice: null,
      avgPrice: null,
      status: 'open',
      updatedAt: 1700000000000,
    });
  });

  it('maps positions and executions', () => {
    expect(
      toPosition(
        {
          id: '9',
          tradableInstrumentId: '206',
          side: 'sell',
          qty: '0.2',
          avgPrice: '1.08',
          unrealizedPl: '-3.5',
        },
        ctx,
      ),
    ).toEqual({
      symbol: 'EURUSD',
      side: 'short',
      qty: '0.2',
      avgPrice: '1.08',
      unrealisedPnl: '-3.5',
      positionId: '9',
    });
    expect(
      toFill(
        {
          id: '5',
          orderId: '7',
          tradableInstrumentId: '206',
          side: 'buy',
          qty: '0.01',
          price: 1.1,
          createdDate: 42,
        },
        ctx,
        () => 'c7',
      ),
    ).toEqual({
      fillId: '5',
      orderId: '7',
      clientOrderId: 'c7',
      symbol: 'EURUSD',
      side: 'buy',
      qty: '0.01',
      price: '1.1',
      time: 42,
    });
  });

  it('reads instrument details: first tick range, lot step, min lot, SDK default lot 0.01', () => {
    const inst = {
      tradableInstrumentId: '315',
      name: 'XAUUSD',
      type: 'METAL',
      tradeRoute: '1',
      infoRoutes: ['2'],
    };
    expect(
      toInstrument(inst, {
        lotSize: 100,
        lotStep: 0.01,
        minLot: 0.1,
        tickSize: [
          { leftRangeLimit: null, tickSize: 0.01 },
          { leftRangeLimit: 5000, tickSize: 0.1 },
        ],
        tickCost: [{ tickCost: 1 }],
      }),
    ).toMatchObject({
      tickSize: '0.01',
      lotSize: '0.01',
      minQty: '0.1',
      contractSize: '100',
      tickValue: '1',
      kind: 'cfd',
    });
    expect(toInstrument(inst, { tickSize: 0.5 })).toMatchObject({
      tickSize: '0.5',
      lotSize: '0.01',
      minQty: '0.01',
    });
    expect(() => toInstrument(inst, {})).toThrow(/no tick size/);
  });
});
