import { describe, expect, it } from 'vitest';
import type { BrokerEvent } from '../../../../src-main/connectors/broker/port';
import { PushMapper } from '../../../../src-main/connectors/projectx/events';
import { realisedNet } from '../../../../src-main/connectors/projectx/history';
import type { WireTrade } from '../../../../src-main/connectors/projectx/protocol';

const trade = (over: Partial<WireTrade>): WireTrade => ({
  id: 1,
  accountId: 7,
  contractId: 'CON.F.US.MES.Z26',
  creationTimestamp: '2026-12-01T15:00:00Z',
  price: 6000,
  profitAndLoss: null,
  fees: 0.37,
  side: 0,
  size: 1,
  voided: false,
  orderId: 50,
  ...over,
});

describe('ProjectX realised P&L', () => {
  it('sums P&L minus fees exactly, skipping voided trades and opening half-turns', () => {
    const trades = [
      trade({ fees: 0.1 }),
      trade({ profitAndLoss: 0.2, fees: 0.1 }),
      trade({ profitAndLoss: -12.35, fees: 0.37 }),
      trade({ profitAndLoss: 1000, fees: 5, voided: true }),
    ];
    // As floats 0.2 − 0.1 − 0.1 − 12.35 − 0.37 is not −12.72.
    expect(realisedNet(trades)).toBe('-12.72');
    expect(realisedNet([])).toBe('0');
  });
});

describe('ProjectX pushes', () => {
  const setup = (accountId: number | null = 7) => {
    const events: BrokerEvent[] = [];
    const mapper = new PushMapper({ book: () => null, accountId: () => accountId, now: () => 42 });
    return { events, mapper, h: mapper.handlers((e) => events.push(e)) };
  };

  it('names fills by the tag of their order, and skips voided ones', () => {
    const { events, mapper, h } = setup();
    mapper.remember('50', 'bourse-1');
    h.trade(trade({ voided: true }));
    h.trade(trade({ id: 2, creationTimestamp: 'garbage' }));
    expect(events).toEqual([
      {
        type: 'fill',
        fill: {
          fillId: '2',
          orderId: '50',
          clientOrderId: 'bourse-1',
          symbol: 'MES',
          side: 'buy',
          qty: '1',
          price: '6000',
          fee: '0.37',
          feeAsset: 'USD',
          time: 42,
        },
      },
    ]);
  });

  it('a position of size 0 is closed; short positions say so', () => {
    const { events, h } = setup();
    const base = { id: 3, accountId: 7, contractId: 'CON.F.US.MNQ.Z26', creationTimestamp: '' };
    h.position({ ...base, type: 2, size: 2, averagePrice: 21000.5 });
    h.position({ ...base, type: 0, size: 0, averagePrice: 0 });
    expect(events).toEqual([
      {
        type: 'position',
        position: {
          symbol: 'MNQ',
          side: 'short',
          qty: '2',
          avgPrice: '21000.5',
          unrealisedPnl: null,
          positionId: '3',
        },
      },
      { type: 'position_closed', symbol: 'MNQ' },
    ]);
  });

  it('balances only for this connector’s account', () => {
    const { events, h } = setup(7);
    h.account({ id: 8, name: 'other', balance: 1, canTrade: true });
    h.account({ id: 7, name: 'mine', balance: 50010.25, canTrade: true });
    expect(events).toEqual([
      { type: 'balances', balances: [{ asset: 'USD', total: '50010.25', available: '50010.25' }] },
    ]);
  });
});
