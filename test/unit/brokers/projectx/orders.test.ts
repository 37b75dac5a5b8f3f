import { describe, expect, it } from 'vitest';
import type { BrokerOrderRequest } from '../../../../src-main/connectors/broker/port';
import { ContractBook, rootOf } from '../../../../src-main/connectors/projectx/instruments';
import {
  contractsOf,
  onStep,
  placeBody,
  toBrokerOrder,
} from '../../../../src-main/connectors/projectx/orders';

const book = new ContractBook([
  {
    id: 'CON.F.US.MNQ.H27',
    name: 'MNQH7',
    tickSize: 0.25,
    tickValue: 0.5,
    activeContract: false,
    symbolId: 'F.US.MNQ',
  },
  {
    id: 'CON.F.US.MNQ.Z26',
    name: 'MNQZ6',
    tickSize: 0.25,
    tickValue: 0.5,
    activeContract: true,
    symbolId: 'F.US.MNQ',
  },
  { id: 'CON.F.US.MCLE.F27', name: 'MCLF7', tickSize: 0.01, tickValue: 1, activeContract: true },
]);
const mnq = book.resolve('MNQ')!;
const req = (over: Partial<BrokerOrderRequest> = {}): BrokerOrderRequest => ({
  clientOrderId: 'c1',
  symbol: 'MNQ',
  side: 'buy',
  type: 'limit',
  qty: '2',
  price: '20000',
  ...over,
});

describe('ProjectX instruments', () => {
  it('names contracts by root with aliases, the active month first', () => {
    expect(rootOf({ id: 'CON.F.US.MES.Z26' })).toBe('MES');
    expect(mnq).toMatchObject({
      symbol: 'MNQ',
      venueId: 'CON.F.US.MNQ.Z26',
      tickSize: '0.25',
      tickValue: '0.5',
      lotSize: '1',
      minQty: '1',
      kind: 'future',
    });
    expect(mnq.aliases).toEqual(['MNQ1!', 'MNQZ6', 'CON.F.US.MNQ.Z26']);
    expect(book.resolve('mnq1!')).toBe(mnq);
    expect(book.resolve('CON.F.US.MNQ.H27')?.venueId).toBe('CON.F.US.MNQ.H27');
    expect(book.resolve('MCLE')?.tickSize).toBe('0.01');
  });
});

describe('ProjectX place bodies', () => {
  it('checks quantities and ticks exactly', () => {
    expect(contractsOf('3')).toBe(3);
    for (const bad of ['0', '1.0', '-1', '1e3', '1000000'])
      expect(() => contractsOf(bad)).toThrow(/whole number/);
    expect(onStep('61.37', '0.01')).toBe(true);
    expect(onStep('20000.3', '0.25')).toBe(false);
    expect(onStep('20000.75', '0.25')).toBe(true);
  });

  it('builds each order type', () => {
    expect(placeBody(req({ type: 'market', price: undefined }), 7, mnq, 'signed')).toEqual({
      accountId: 7,
      contractId: 'CON.F.US.MNQ.Z26',
      type: 2,
      side: 0,
      size: 2,
      customTag: 'c1',
    });
    const stop = placeBody(
      req({ type: 'stop', side: 'sell', price: undefined, stopPrice: '19990.5' }),
      7,
      mnq,
      'signed',
    );
    expect(stop).toMatchObject({ type: 4, side: 1 });
    expect(stop.stopPrice).toMatchObject({ text: '19990.5' });
    const sl = placeBody(
      req({ type: 'stop_limit', stopPrice: '20001', price: '20002' }),
      7,
      mnq,
      'signed',
    );
    expect(sl).toMatchObject({
      type: 3,
      limitPrice: { text: '20002' },
      stopPrice: { text: '20001' },
    });
  });

  it('turns absolute levels into signed or unsigned ticks', () => {
    const signed = placeBody(req({ stopLoss: '19997.5', takeProfit: '20005' }), 7, mnq, 'signed');
    expect(signed).toMatchObject({
      stopLossBracket: { ticks: -10, type: 4 },
      takeProfitBracket: { ticks: 20, type: 1 },
    });
    const sell = placeBody(
      req({ side: 'sell', stopLoss: '20002.5', takeProfit: '19995' }),
      7,
      mnq,
      'unsigned',
    );
    expect(sell).toMatchObject({
      stopLossBracket: { ticks: 10 },
      takeProfitBracket: { ticks: 20 },
    });
    expect(() => placeBody(req({ stopLoss: '19997.6' }), 7, mnq, 'signed')).toThrow(/ticks/);
    expect(() => placeBody(req({ stopLoss: '20001' }), 7, mnq, 'signed')).toThrow(/wrong side/);
  });

  it('maps a wire order, with filled price only once something filled', () => {
    const o = toBrokerOrder(
      {
        id: 9,
        accountId: 7,
        contractId: 'CON.F.US.MNQ.Z26',
        creationTimestamp: '2026-12-01T12:00:00.5+00:00',
        updateTimestamp: null,
        status: 1,
        type: 1,
        side: 1,
        size: 3,
        limitPrice: 20010.75,
        stopPrice: null,
        fillVolume: 1,
        filledPrice: 20010.75,
        customTag: 'c9',
      },
      book,
    );
    expect(o).toEqual({
      orderId: '9',
      clientOrderId: 'c9',
      symbol: 'MNQ',
      side: 'sell',
      type: 'limit',
      qty: '3',
      filledQty: '1',
      price: '20010.75',
      stopPrice: null,
      // Brackets are orders of their own at ProjectX: none rides on this one.
      closes: [],
      avgPrice: '20010.75',
      status: 'partially_filled',
      updatedAt: Date.parse('2026-12-01T12:00:00.500Z'),
    });
  });
});
