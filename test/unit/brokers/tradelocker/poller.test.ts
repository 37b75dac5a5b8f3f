import { describe, expect, it } from 'vitest';
import type {
  BrokerEvent,
  BrokerFill,
  BrokerOrder,
  BrokerPosition,
  BrokerQuote,
} from '../../../../src-main/connectors/broker/port';
import { Poller } from '../../../../src-main/connectors/tradelocker/poller';

const order = (over: Partial<BrokerOrder>): BrokerOrder => ({
  orderId: '1',
  clientOrderId: 'c1',
  symbol: 'EURUSD',
  side: 'buy',
  type: 'limit',
  qty: '1',
  filledQty: '0',
  price: '1',
  stopPrice: null,
  avgPrice: null,
  status: 'open',
  ...over,
});

function world() {
  const s = {
    orders: [] as BrokerOrder[],
    history: [] as BrokerOrder[],
    positions: [] as BrokerPosition[],
    fills: [] as BrokerFill[],
    quotes: [] as BrokerQuote[],
    quoteReads: 0,
    fail: false,
  };
  const read =
    <T>(v: () => T) =>
    () =>
      s.fail ? Promise.reject(new Error('dropped')) : Promise.resolve(v());
  return {
    s,
    src: {
      orders: read(() => s.orders),
      history: read(() => s.history),
      positions: read(() => s.positions),
      fills: read(() => s.fills),
      quotes: () => {
        s.quoteReads++;
        return Promise.resolve(s.quotes);
      },
    },
  };
}

const until = async (events: BrokerEvent[], pred: (e: BrokerEvent) => boolean) => {
  const end = Date.now() + 3000;
  while (!events.some(pred)) {
    if (Date.now() > end) throw new Error(JSON.stringify(events));
    await new Promise((r) => setTimeout(r, 1));
  }
};

describe('TradeLocker polling stream', () => {
  it("sends a watched symbol's price when it moves, and the broker's P&L as it changes", async () => {
    const { s, src } = world();
    const held: BrokerPosition = {
      symbol: 'EURUSD',
      side: 'long',
      qty: '1',
      avgPrice: '1.1',
      unrealisedPnl: '0',
      positionId: 'p1',
    };
    s.positions = [held];
    s.quotes = [{ symbol: 'EURUSD', bid: '1.1', ask: '1.1002', last: null, at: 1 }];
    const events: BrokerEvent[] = [];
    const p = new Poller(src, (e) => events.push(e), 2);
    p.start();
    try {
      await until(events, (e) => e.type === 'quote');
      s.quotes = [{ symbol: 'EURUSD', bid: '1.1010', ask: '1.1012', last: null, at: 2 }];
      s.positions = [{ ...held, unrealisedPnl: '10' }];
      await until(events, (e) => e.type === 'quote' && e.quote.bid === '1.1010');
      await until(events, (e) => e.type === 'position' && e.position.unrealisedPnl === '10');
      // The same price on later polls is not sent again.
      const reads = s.quoteReads;
      await until(events, () => s.quoteReads > reads + 2);
      expect(events.filter((e) => e.type === 'quote')).toHaveLength(2);
    } finally {
      p.stop();
    }
  });

  it('emits changes after the baseline: orders, fills with the order client id, final status from history, positions', async () => {
    const { s, src } = world();
    s.orders = [order({})];
    const events: BrokerEvent[] = [];
    const p = new Poller(src, (e) => events.push(e), 2);
    p.start();
    try {
      await until(events, (e) => e.type === 'connection' && e.state === 'up');
      expect(events.filter((e) => e.type === 'order')).toHaveLength(0);
      s.orders = [];
      s.history = [order({ status: 'filled', filledQty: '1' })];
      s.fills = [
        {
          fillId: 'f1',
          orderId: '1',
          clientOrderId: null,
          symbol: 'EURUSD',
          side: 'buy',
          qty: '1',
          price: '1',
          time: 1,
        },
      ];
      s.positions = [
        {
          symbol: 'EURUSD',
          side: 'long',
          qty: '1',
          avgPrice: '1',
          unrealisedPnl: '0',
          positionId: 'p1',
        },
      ];
      await until(events, (e) => e.type === 'position');
      expect(events.find((e) => e.type === 'fill')).toMatchObject({
        fill: { clientOrderId: 'c1' },
      });
      expect(events.find((e) => e.type === 'order')).toMatchObject({ order: { status: 'filled' } });
      s.positions = [{ ...s.positions[0]!, unrealisedPnl: '5' }];
      s.positions = [];
      await until(events, (e) => e.type === 'position_closed');
      expect(events.filter((e) => e.type === 'fill')).toHaveLength(1);
    } finally {
      p.stop();
    }
  });

  it('sends a working order again when its stop-loss or take-profit changes (and only then)', async () => {
    const { s, src } = world();
    const none = { offset: null, limitPrice: null, trailPercent: null, trailAmount: null };
    const sl = { ...none, type: 'stop_loss' as const, price: '0.99' };
    s.orders = [order({ closes: [sl] })];
    const events: BrokerEvent[] = [];
    const p = new Poller(src, (e) => events.push(e), 2);
    p.start();
    try {
      await until(events, (e) => e.type === 'connection' && e.state === 'up');
      const moved = [
        { ...sl, price: '0.995' },
        { ...none, type: 'take_profit' as const, price: '1.05' },
      ];
      s.orders = [order({ closes: moved })];
      await until(events, (e) => e.type === 'order');
      expect(events.find((e) => e.type === 'order')).toMatchObject({ order: { closes: moved } });
      // The same closes on later polls: nothing more.
      await new Promise((r) => setTimeout(r, 20));
      expect(events.filter((e) => e.type === 'order')).toHaveLength(1);
    } finally {
      p.stop();
    }
  });

  it('an order that filled between polls (market) gets its final state and client id from the history', async () => {
    const { s, src } = world();
    const events: BrokerEvent[] = [];
    const p = new Poller(src, (e) => events.push(e), 2);
    p.start();
    try {
      await until(events, (e) => e.type === 'connection' && e.state === 'up');
      s.history = [
        order({
          orderId: 'm1',
          clientOrderId: 'mkt',
          type: 'market',
          status: 'filled',
          filledQty: '1',
        }),
      ];
      s.fills = [
        {
          fillId: 'f9',
          orderId: 'm1',
          clientOrderId: null,
          symbol: 'EURUSD',
          side: 'buy',
          qty: '1',
          price: '1',
          time: 1,
        },
      ];
      await until(events, (e) => e.type === 'order');
      expect(events.find((e) => e.type === 'fill')).toMatchObject({
        fill: { clientOrderId: 'mkt' },
      });
      expect(events.find((e) => e.type === 'order')).toMatchObject({
        order: { orderId: 'm1', status: 'filled' },
      });
    } finally {
      p.stop();
    }
  });

  it('reports down once while polls fail and up again, re-baselining without replay', async () => {
    const { s, src } = world();
    const events: BrokerEvent[] = [];
    const p = new Poller(src, (e) => events.push(e), 2);
    p.start();
    try {
      await until(events, (e) => e.type === 'connection' && e.state === 'up');
      s.fail = true;
      await until(events, (e) => e.type === 'connection' && e.state === 'down');
      s.orders = [order({ orderId: 'while-down' })];
      await new Promise((r) => setTimeout(r, 10));
      expect(events.filter((e) => e.type === 'connection' && e.state === 'down')).toHaveLength(1);
      s.fail = false;
      await until(
        events,
        () => events.filter((e) => e.type === 'connection' && e.state === 'up').length === 2,
      );
      await new Promise((r) => setTimeout(r, 10));
      expect(events.some((e) => e.type === 'order')).toBe(false);
    } finally {
      p.stop();
    }
  });
});
