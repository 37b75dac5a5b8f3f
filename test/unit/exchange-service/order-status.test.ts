import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, OrderBook } from '../../../src-main/domain/exchange';
import { compileMarket, DEFAULT_ASSETS, DEFAULT_MARKETS } from '../../../src-main/domain/markets';
import { cancelOrder, placeOrder } from '../../../src-main/features/exchange/commands';
import { engineConfigOf } from '../../../src-main/features/exchange/markets';
import { Batch, ExchangeState } from '../../../src-main/features/exchange/state';

// The exchange's user-visible order status moves only through the lifecycle table
// (domain/exchange/order-lifecycle.ts): a change the table refuses is a bug and throws.

const SYMBOL = 'BTC/USDT';

function exchangeState(): ExchangeState {
  const s = new ExchangeState();
  for (const a of DEFAULT_ASSETS) s.assets.set(a.code, a);
  const config = DEFAULT_MARKETS.find((m) => m.symbol === SYMBOL);
  if (!config) throw new Error(`no default market ${SYMBOL}`);
  const spec = compileMarket(config, [...DEFAULT_ASSETS]);
  if (!spec.ok) throw new Error(spec.error.message);
  const engine = new OrderBook(engineConfigOf(spec.value));
  s.markets.set(SYMBOL, { spec: spec.value, engine, lastSeq: 0, lastTradeId: 0 });
  for (const owner of ['alice', 'bob']) {
    s.ledger.load({ owner, asset: 'BTC', purpose: 'available' }, 10n ** 10n);
    s.ledger.load({ owner, asset: 'USDT', purpose: 'available' }, 10n ** 14n);
  }
  s.batch = new Batch(1_000);
  return s;
}

const none = () => undefined;

function place(s: ExchangeState, userId: string, side: 'buy' | 'sell', qty: string) {
  const r = placeOrder(s, userId, { symbol: SYMBOL, side, type: 'limit', price: '100', qty }, none);
  if ('existing' in r) throw new Error('unexpected existing order');
  return r.order;
}

describe('order status through the lifecycle table', () => {
  it('walks new → partially_filled → filled as fills arrive', () => {
    const s = exchangeState();
    const maker = place(s, 'alice', 'sell', '0.3');
    expect(maker.status).toBe('new');
    const first = place(s, 'bob', 'buy', '0.1');
    expect([maker.status, first.status]).toEqual(['partially_filled', 'filled']);
    place(s, 'bob', 'buy', '0.2');
    expect(maker.status).toBe('filled');
  });

  it('cancels a resting order through the table', () => {
    const s = exchangeState();
    const o = place(s, 'alice', 'sell', '0.3');
    cancelOrder(s, o);
    expect(o.status).toBe('cancelled');
  });

  it('throws IllegalTransitionError instead of overwriting a terminal status', () => {
    const s = exchangeState();
    const o = place(s, 'alice', 'sell', '0.3');
    // Memory says filled while the engine still holds the order: a cancel would have to move
    // filled → cancelled, which the table refuses (the old hand-written assignment took it).
    o.status = 'filled';
    expect(() => cancelOrder(s, o)).toThrow(IllegalTransitionError);
    expect(o.status).toBe('filled');
  });

  it('throws when a trade would move a terminal order', () => {
    const s = exchangeState();
    const o = place(s, 'alice', 'sell', '0.3');
    o.status = 'cancelled';
    expect(() => place(s, 'bob', 'buy', '0.1')).toThrow(
      `order ${o.id}: illegal transition cancelled -> partially_filled`,
    );
  });
});
