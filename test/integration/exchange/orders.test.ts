import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { preparedDuring, queryPlan } from '../../helpers/query-plans';
import {
  admin,
  balances,
  exchangeOf,
  fund,
  limit,
  place,
  reconciled,
  rejects,
  trader,
} from '../../helpers/exchange';

let backend: TestBackend;
beforeEach(async () => {
  backend = await startTestBackend();
});
afterEach(async () => {
  await backend.cleanup();
});

const BTC = { symbol: 'BTC/USDT' };

const T0 = Date.UTC(2026, 0, 1);

/**
 * Every item of alice's listing, page by page (`pageSize` each, never more), following
 * `nextCursor` to the last page.
 */
async function allPages<T>(
  name: 'trades.list' | 'orders.list',
  filter: object,
  pageSize: number,
): Promise<T[]> {
  const seen: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 50; n++) {
    const page = (await backend.invoke(
      name,
      { ...filter, limit: pageSize, ...(cursor ? { cursor } : {}) },
      trader('alice'),
    )) as { items: T[]; nextCursor?: string };
    expect(page.items.length).toBeLessThanOrEqual(pageSize);
    seen.push(...page.items);
    if (!page.nextCursor) return seen;
    cursor = page.nextCursor;
  }
  throw new Error('no last page');
}

/**
 * Restarts the test's backend on a clock the test sets (the function returned), with alice's USDT and bob's
 * BTC funded: for listings by time.
 */
async function onClock(): Promise<(ms: number) => void> {
  await backend.cleanup();
  let clock = T0;
  backend = await startTestBackend({ now: () => clock });
  await fund(backend, 'alice', 'USDT', '1000000');
  await fund(backend, 'bob', 'BTC', '10');
  return (ms) => {
    clock = ms;
  };
}

describe('orders and funds flow', () => {
  it('buys 0.5 BTC at 30000.00 with fees, to the last minor unit', async () => {
    await fund(backend, 'alice', 'USDT', '20000');
    await fund(backend, 'bob', 'BTC', '1');
    const ask = await place(backend, 'bob', limit('sell', '30000.00', '0.5'));
    expect(ask.status).toBe('new');
    expect(await balances(backend, 'bob')).toEqual({
      BTC: { available: '0.50000000', held: '0.50000000' },
    });
    const bid = await place(backend, 'alice', limit('buy', '30000.00', '0.5'));
    expect(bid.status).toBe('filled');
    // 15000 notional; taker fee 0.2 % = 30 USDT; maker fee 0.1 % = 15 USDT.
    expect(bid.fees).toBe('30.000000');
    expect(bid.filledQuote).toBe('15000.000000');
    expect(await balances(backend, 'alice')).toEqual({
      USDT: { available: '4970.000000', held: '0.000000' },
      BTC: { available: '0.50000000', held: '0.00000000' },
    });
    expect(await balances(backend, 'bob')).toEqual({
      BTC: { available: '0.50000000', held: '0.00000000' },
      USDT: { available: '14985.000000', held: '0.000000' },
    });
    const fees = exchangeOf(backend).holdings('system:fees', 'USDT').available;
    expect(fees).toBe(45_000_000n);
    const trades = (await backend.invoke('trades.list', {}, trader('alice'))) as {
      items: Array<{ side: string; role: string; fee: string; price: string; qty: string }>;
    };
    expect(trades.items).toEqual([
      expect.objectContaining({
        side: 'buy',
        role: 'taker',
        fee: '30.000000',
        price: '30000.00',
        qty: '0.5000',
      }),
    ]);
    const entries = (await backend.invoke('ledger.entries', {}, trader('bob'))) as {
      items: Array<{ kind: string }>;
    };
    expect(entries.items.map((e) => e.kind)).toEqual(['trade_settlement', 'order_hold', 'funding']);
  });

  it('releases price improvement and unused fee when a buy fills below its limit', async () => {
    await fund(backend, 'alice', 'USDT', '1000');
    await fund(backend, 'bob', 'BTC', '1');
    await place(backend, 'bob', limit('sell', '29000.00', '0.01'));
    const bid = await place(backend, 'alice', limit('buy', '30000.00', '0.01'));
    expect(bid.status).toBe('filled');
    // 290 notional + 0.58 taker fee.
    expect(await balances(backend, 'alice')).toMatchObject({
      USDT: { available: '709.420000', held: '0.000000' },
    });
  });

  it('refuses what it cannot pay for, with the numbers', async () => {
    await fund(backend, 'alice', 'USDT', '100');
    const e = await rejects(
      place(backend, 'alice', limit('buy', '30000.00', '0.01')),
      'insufficient_funds',
    );
    expect(e.message).toContain('300.600000');
    expect(e.message).toContain('100.000000');
  });

  it('gives each rejection a stable code', async () => {
    await fund(backend, 'alice', 'USDT', '100000');
    await fund(backend, 'bob', 'BTC', '10');
    await rejects(
      place(backend, 'alice', { ...BTC, side: 'buy', type: 'market', qty: '0.01' }),
      'no_reference_price',
    );
    await rejects(place(backend, 'alice', limit('buy', '30000.001', '0.01')), 'tick_size');
    await rejects(place(backend, 'alice', limit('buy', '30000.00', '0.00001')), 'lot_size');
    await rejects(place(backend, 'alice', limit('buy', '1.00', '0.0001')), 'min_notional');
    await rejects(
      place(backend, 'alice', { ...BTC, side: 'buy', type: 'limit', qty: '1' }),
      'invalid_order',
    );
    await rejects(
      place(backend, 'alice', {
        symbol: 'NOPE/USDT',
        side: 'buy',
        type: 'limit',
        price: '1',
        qty: '1',
      }),
      'unknown_market',
    );
    await place(backend, 'bob', limit('sell', '30000.00', '0.1'));
    await rejects(
      place(backend, 'alice', limit('buy', '30000.00', '0.01', { postOnly: true })),
      'post_only_would_take',
    );
    await rejects(
      place(backend, 'alice', limit('buy', '30000.00', '0.5', { tif: 'FOK' })),
      'fok_cannot_fill',
    );
    await place(backend, 'alice', limit('buy', '30000.00', '0.01'));
    await rejects(place(backend, 'alice', limit('buy', '40000.00', '0.01')), 'price_band');
    await rejects(
      backend.invoke('orders.cancel', { orderId: 999 }, trader('alice')),
      'unknown_order',
    );
    const e = await rejects(
      backend.invoke(
        'orders.place',
        { ...BTC, side: 'buy', type: 'limit', qty: 'abc' },
        trader('alice'),
      ),
      'validation_failed',
    );
    expect(JSON.stringify(e)).toContain('qty');
  });

  it('returns the original order for a retried clientOrderId, even after it filled', async () => {
    await fund(backend, 'alice', 'USDT', '100000');
    await fund(backend, 'bob', 'BTC', '10');
    await place(backend, 'bob', limit('sell', '30000.00', '1'));
    const input = limit('buy', '30000.00', '0.1', { tif: 'IOC', clientOrderId: 'ioc-1' });
    const first = await place(backend, 'alice', input);
    expect(first.status).toBe('filled');
    const again = await place(backend, 'alice', input);
    expect(again.orderId).toBe(first.orderId);
    expect(again.status).toBe('filled');
    const trades = (await backend.invoke('trades.list', {}, trader('alice'))) as {
      items: unknown[];
    };
    expect(trades.items).toHaveLength(1);
  });

  it('creates one order for two identical submits in the same batch', async () => {
    await fund(backend, 'alice', 'USDT', '100000');
    const input = limit('buy', '20000.00', '0.1', { clientOrderId: 'twin' });
    const [a, b] = await Promise.all([
      place(backend, 'alice', input),
      place(backend, 'alice', input),
    ]);
    expect(a.orderId).toBe(b.orderId);
    const open = (await backend.invoke('orders.list', { scope: 'open' }, trader('alice'))) as {
      items: unknown[];
    };
    expect(open.items).toHaveLength(1);
    expect(await balances(backend, 'alice')).toMatchObject({ USDT: { held: '2004.000000' } });
  });

  it('cancels by id and by client id, and all in a market, releasing the holds', async () => {
    await fund(backend, 'alice', 'USDT', '100000');
    const a = await place(backend, 'alice', limit('buy', '20000.00', '0.1'));
    await place(backend, 'alice', limit('buy', '20001.00', '0.1', { clientOrderId: 'c2' }));
    await place(backend, 'alice', limit('buy', '20002.00', '0.1'));
    await place(backend, 'alice', limit('buy', '20003.00', '0.1'));
    const c1 = (await backend.invoke('orders.cancel', { orderId: a.orderId }, trader('alice'))) as {
      status: string;
    };
    expect(c1.status).toBe('cancelled');
    const c2 = (await backend.invoke(
      'orders.cancel',
      { clientOrderId: 'c2' },
      trader('alice'),
    )) as { status: string };
    expect(c2.status).toBe('cancelled');
    await rejects(
      backend.invoke('orders.cancel', { orderId: a.orderId }, trader('alice')),
      'unknown_order',
    );
    await rejects(
      backend.invoke('orders.cancel', { orderId: a.orderId + 2 }, trader('bob')),
      'unknown_order',
    );
    const all = (await backend.invoke('orders.cancelAll', BTC, trader('alice'))) as {
      cancelled: number;
    };
    expect(all.cancelled).toBe(2);
    expect(await balances(backend, 'alice')).toEqual({
      USDT: { available: '100000.000000', held: '0.000000' },
    });
    const history = (await backend.invoke(
      'orders.list',
      { scope: 'history', limit: 3 },
      trader('alice'),
    )) as {
      items: Array<{ status: string }>;
      nextCursor?: string;
    };
    expect(history.items).toHaveLength(3);
    const rest = (await backend.invoke(
      'orders.list',
      { scope: 'history', cursor: history.nextCursor },
      trader('alice'),
    )) as {
      items: unknown[];
    };
    expect(rest.items).toHaveLength(1);
  });

  it('adjusts the hold on amend: release on decrease, more on increase, refused when short', async () => {
    await fund(backend, 'alice', 'USDT', '3010');
    const o = await place(backend, 'alice', limit('buy', '20000.00', '0.1'));
    expect(o.held).toBe('2004.000000');
    const down = (await backend.invoke(
      'orders.amend',
      { orderId: o.orderId, qty: '0.05' },
      trader('alice'),
    )) as { held: string };
    expect(down.held).toBe('1002.000000');
    expect(await balances(backend, 'alice')).toEqual({
      USDT: { available: '2008.000000', held: '1002.000000' },
    });
    const up = (await backend.invoke(
      'orders.amend',
      { orderId: o.orderId, price: '30000.00', qty: '0.1' },
      trader('alice'),
    )) as {
      held: string;
    };
    expect(up.held).toBe('3006.000000');
    await rejects(
      backend.invoke('orders.amend', { orderId: o.orderId, qty: '0.2' }, trader('alice')),
      'insufficient_funds',
    );
    expect(await balances(backend, 'alice')).toEqual({
      USDT: { available: '4.000000', held: '3006.000000' },
    });
  });

  it('names the field of an edge refusal once: in details.field, and in words only where they differ', async () => {
    await fund(backend, 'alice', 'USDT', '100000');
    const offTick = await rejects(
      place(backend, 'alice', limit('buy', '20000.005', '0.1')),
      'tick_size',
    );
    expect(offTick).toMatchObject({
      message: 'price 20000.005 is not a multiple of 0.01',
      details: { field: 'price' },
    });
    const stop = await rejects(
      place(backend, 'alice', {
        ...limit('buy', '20000.00', '0.1'),
        type: 'stop_limit',
        stopPrice: '21000.001',
      }),
      'tick_size',
    );
    expect(stop.message).toBe('stopPrice: price 21000.001 is not a multiple of 0.01');
  });

  it("an amend changes the order's size: qty is always what filled plus what is open", async () => {
    await fund(backend, 'alice', 'USDT', '10000');
    await fund(backend, 'bob', 'BTC', '1');
    const o = await place(backend, 'alice', limit('buy', '20000.00', '0.1'));
    await place(backend, 'bob', limit('sell', '20000.00', '0.04', { tif: 'IOC' }));
    const amend = (qty: string) =>
      backend.invoke('orders.amend', { orderId: o.orderId, qty }, trader('alice')) as Promise<{
        qty: string;
        filledQty: string;
        openQty: string;
      }>;
    expect(await amend('0.2')).toMatchObject({
      qty: '0.2400',
      filledQty: '0.0400',
      openQty: '0.2000',
    });
    expect(await amend('0.01')).toMatchObject({ qty: '0.0500', openQty: '0.0100' });
    await exchangeOf(backend).flush();
    const row = backend.store.sqlite
      .prepare('SELECT qty, filled_qty, open_qty FROM orders WHERE id = ?')
      .get(o.orderId);
    expect(row).toEqual({ qty: 500, filled_qty: 400, open_qty: 100 });
  });

  it('refuses orders on a halted market but still cancels', async () => {
    await fund(backend, 'alice', 'USDT', '100000');
    const o = await place(backend, 'alice', limit('buy', '20000.00', '0.1'));
    await backend.invoke('admin.markets.update', { symbol: 'BTC/USDT', status: 'halted' }, admin());
    await rejects(place(backend, 'alice', limit('buy', '20000.00', '0.1')), 'market_halted');
    await backend.invoke('orders.cancel', { orderId: o.orderId }, trader('alice'));
    await backend.invoke(
      'admin.markets.update',
      { symbol: 'BTC/USDT', status: 'trading' },
      admin(),
    );
    await place(backend, 'alice', limit('buy', '20000.00', '0.1'));
  });

  it('holds a market buy by quantity at the band ceiling and settles the rest back', async () => {
    await fund(backend, 'alice', 'USDT', '100000');
    await fund(backend, 'bob', 'BTC', '1');
    await place(backend, 'bob', limit('sell', '30000.00', '0.1'));
    const m = await place(backend, 'alice', { ...BTC, side: 'buy', type: 'market', qty: '0.1' });
    expect(m.status).toBe('filled');
    // 3000 notional + 6 fee; the 33000 ceiling hold is released.
    expect(await balances(backend, 'alice')).toMatchObject({
      USDT: { available: '96994.000000', held: '0.000000' },
    });
    await place(backend, 'bob', limit('sell', '30000.00', '0.1'));
    const q = await place(backend, 'alice', {
      ...BTC,
      side: 'buy',
      type: 'market',
      quoteQty: '1500',
    });
    expect(q.filledQty).toBe('0.0500');
    expect(q.status).toBe('filled');
  });

  it('a quote-amount buy that spends its budget to within a lot is filled, the rest released', async () => {
    await fund(backend, 'alice', 'USDT', '1000');
    await fund(backend, 'bob', 'BTC', '1');
    await place(backend, 'bob', limit('sell', '30000.00', '0.1'));
    // 100 USDT buys 0.0033 BTC (99 USDT, lot 0.0001); the 1 USDT left buys no lot.
    const q = (await backend.invoke(
      'orders.place',
      { ...BTC, side: 'buy', type: 'market', quoteQty: '100' },
      trader('alice'),
    )) as { status: string; cancelReason: string | null; filledQty: string; filledQuote: string };
    expect(q).toMatchObject({
      status: 'filled',
      cancelReason: 'quote_spent',
      filledQty: '0.0033',
      filledQuote: '99.000000',
    });
    // 99 and its 0.2 % fee (0.198) spent; nothing left held.
    expect(await balances(backend, 'alice')).toMatchObject({
      USDT: { available: '900.802000', held: '0.000000' },
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it('keeps balances above 2^53 minor units exact (int64 storage)', async () => {
    await fund(backend, 'whale', 'BTC', '100000000');
    expect(await balances(backend, 'whale')).toEqual({
      BTC: { available: '100000000.00000000', held: '0.00000000' },
    });
    const row = backend.store.sqlite
      .prepare("SELECT balance FROM ledger_accounts WHERE owner = 'whale'")
      .safeIntegers(true)
      .get() as { balance: bigint };
    expect(row.balance).toBe(10_000_000_000_000_000n);
    await rejects(fund(backend, 'whale', 'BTC', '100000000000'), 'amount_too_large');
  });

  it("pages a user's fills newest first across both sides and a symbol filter, one page at a time", async () => {
    await fund(backend, 'alice', 'USDT', '1000000');
    await fund(backend, 'alice', 'BTC', '10');
    await fund(backend, 'alice', 'ETH', '100');
    for (const u of ['bob', 'carol']) {
      await fund(backend, u, 'USDT', '1000000');
      await fund(backend, u, 'BTC', '10');
      await fund(backend, u, 'ETH', '100');
    }
    // 24 fills of alice's: buys and sells (so both the buyer and the seller index hold
    // some), against two counterparties, in two markets.
    for (let i = 0; i < 24; i++) {
      const symbol = i % 3 === 0 ? 'ETH/USDT' : 'BTC/USDT';
      const price = symbol === 'ETH/USDT' ? '2000.00' : '30000.00';
      const aliceBuys = i % 2 === 0;
      const other = i % 4 < 2 ? 'bob' : 'carol';
      const order = (side: 'buy' | 'sell') => ({ symbol, side, type: 'limit', price, qty: '0.1' });
      await place(backend, aliceBuys ? other : 'alice', order('sell'));
      await place(backend, aliceBuys ? 'alice' : other, order('buy'));
    }
    type Fill = { symbol: string; tradeId: number; side: string };
    const pages = (filter: object) => allPages<Fill>('trades.list', filter, 5);
    const all = await pages({});
    expect(all).toHaveLength(24);
    expect(all.filter((f) => f.side === 'buy')).toHaveLength(12);
    // Newest first, without gaps or repeats (trade ids count per market).
    const key = (f: Fill) => `${f.symbol}#${f.tradeId}`;
    expect(new Set(all.map(key)).size).toBe(24);
    const ids = (symbol: string) => all.filter((f) => f.symbol === symbol).map((f) => f.tradeId);
    expect(ids('BTC/USDT')).toEqual(Array.from({ length: 16 }, (_, i) => 16 - i));
    expect(ids('ETH/USDT')).toEqual(Array.from({ length: 8 }, (_, i) => 8 - i));
    const eth = await pages({ symbol: 'ETH/USDT' });
    expect(eth.map(key)).toEqual(all.filter((f) => f.symbol === 'ETH/USDT').map(key));
    expect(eth.map((f) => f.tradeId)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);

    // The statements walk one index each, newest first, and stop after a page: no sort of
    // all the user's trades (what `buyer_id = ? OR seller_id = ?` did).
    const sqlite = backend.store.sqlite;
    const prepared = await preparedDuring(sqlite, () =>
      backend.invoke('trades.list', { limit: 5 }, trader('alice')),
    );
    const plans = prepared
      .filter((sql) => /FROM trades\b/.test(sql))
      .map((sql) => queryPlan(sqlite, sql));
    expect(plans).toHaveLength(2);
    expect(plans[0]).toContain('trades_buyer_idx');
    expect(plans[1]).toContain('trades_seller_idx');
    for (const plan of plans) expect(plan).not.toMatch(/TEMP B-TREE|MULTI-INDEX/);
  });

  it('lists fills in a time window, newest or oldest first, paging through equal times', async () => {
    const setClock = await onClock();
    // 12 fills for alice, three per minute over four minutes: equal times inside a minute
    // make the (time, rowid) keyset matter.
    const minute = 60_000;
    const t0 = T0;
    for (let i = 0; i < 12; i++) {
      setClock(t0 + Math.floor(i / 3) * minute);
      await place(backend, 'bob', limit('sell', '30000.00', '0.1'));
      await place(backend, 'alice', limit('buy', '30000.00', '0.1'));
    }
    type Fill = { tradeId: number; ts: number; side: string };
    const all = (filter: object, pageSize: number) =>
      allPages<Fill>('trades.list', filter, pageSize);
    const ids = (fills: Fill[]) => fills.map((f) => f.tradeId);
    expect(ids(await all({}, 2))).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(ids(await all({ order: 'asc' }, 2))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Both bounds inclusive: minutes 1 and 2 are fills 4-9.
    const window = { from: t0 + minute, to: t0 + 2 * minute };
    expect(ids(await all(window, 2))).toEqual([9, 8, 7, 6, 5, 4]);
    expect(ids(await all({ ...window, order: 'asc' }, 4))).toEqual([4, 5, 6, 7, 8, 9]);
    // `from` alone, oldest first: the first fills at or after it (Binance's startTime).
    const first = (await backend.invoke(
      'trades.list',
      { from: t0 + 2 * minute, order: 'asc', limit: 2 },
      trader('alice'),
    )) as { items: Fill[] };
    expect(ids(first.items)).toEqual([7, 8]);
    // `to` alone, newest first: the latest fills at or before it.
    expect(ids(await all({ to: t0 + minute - 1 }, 5))).toEqual([3, 2, 1]);
    expect(await all({ from: t0 + 10 * minute }, 5)).toEqual([]);

    await rejects(
      backend.invoke('trades.list', { from: t0 + minute, to: t0 }, trader('alice')),
      'validation_failed',
    );
    await rejects(
      backend.invoke('trades.list', { cursor: '999999' }, trader('alice')),
      'validation_failed',
    );

    // Every variant walks the (party, ts) indexes in order and stops after a page.
    const sqlite = backend.store.sqlite;
    const page1 = (await backend.invoke(
      'trades.list',
      { ...window, limit: 2 },
      trader('alice'),
    )) as { nextCursor?: string };
    for (const input of [
      { ...window, limit: 2 },
      { ...window, order: 'asc', limit: 2, cursor: page1.nextCursor },
      { symbol: 'BTC/USDT', to: t0, limit: 2, cursor: page1.nextCursor },
    ]) {
      const prepared = await preparedDuring(sqlite, () =>
        backend.invoke('trades.list', input, trader('alice')),
      );
      const plans = prepared
        .filter((sql) => /FROM trades\b/.test(sql) && /ORDER BY/.test(sql))
        .map((sql) => queryPlan(sqlite, sql));
      expect(plans).toHaveLength(2);
      expect(plans[0]).toMatch(/trades_buyer_idx \(buyer_id=\? AND ts>\? AND ts<\?\)/);
      expect(plans[1]).toMatch(/trades_seller_idx \(seller_id=\? AND ts>\? AND ts<\?\)/);
      for (const plan of plans) expect(plan).not.toMatch(/TEMP B-TREE|MULTI-INDEX/);
    }
  });

  it('lists orders by placement time in a window, newest or oldest first, in every scope', async () => {
    const setClock = await onClock();
    const minute = 60_000;
    const t0 = T0;
    // Minute 0: orders 1-3, minute 1: 4-6, minute 2: 7-9 (alice's bids; bob fills the
    // middle one of each minute, so each minute has open and finished orders).
    const ids: number[] = [];
    for (let i = 0; i < 9; i++) {
      setClock(t0 + Math.floor(i / 3) * minute);
      const price = i % 3 === 1 ? '30000.00' : '29000.00';
      ids.push((await place(backend, 'alice', limit('buy', price, '0.1'))).orderId);
      if (i % 3 === 1) await place(backend, 'bob', limit('sell', '30000.00', '0.1'));
    }
    type Order = { orderId: number };
    const all = async (filter: object, pageSize: number) =>
      (await allPages<Order>('orders.list', filter, pageSize)).map((o) => o.orderId);
    const at = (...i: number[]) => i.map((k) => ids[k]);
    expect(await all({}, 2)).toEqual(at(8, 7, 6, 5, 4, 3, 2, 1, 0));
    expect(await all({ order: 'asc' }, 4)).toEqual(at(0, 1, 2, 3, 4, 5, 6, 7, 8));
    const window = { from: t0 + minute, to: t0 + 2 * minute - 1 };
    expect(await all(window, 2)).toEqual(at(5, 4, 3));
    expect(await all({ ...window, order: 'asc', scope: 'open' }, 1)).toEqual(at(3, 5));
    expect(await all({ ...window, scope: 'history' }, 1)).toEqual(at(4));
    expect(await all({ from: t0 + 2 * minute, order: 'asc' }, 2)).toEqual(at(6, 7, 8));
    await rejects(
      backend.invoke('orders.list', { from: 5, to: 4 }, trader('alice')),
      'validation_failed',
    );

    // Each scope walks one index in (ts_created, id) order and stops after a page.
    const sqlite = backend.store.sqlite;
    const first = (await backend.invoke('orders.list', { limit: 2 }, trader('alice'))) as {
      nextCursor?: string;
    };
    for (const [scope, index] of [
      ['all', 'orders_user_idx'],
      ['history', 'orders_user_idx'],
      ['open', 'orders_open_idx'],
    ] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const input = { scope, order, ...window, limit: 2, cursor: first.nextCursor };
        const prepared = await preparedDuring(sqlite, () =>
          backend.invoke('orders.list', input, trader('alice')),
        );
        const [plan] = prepared
          .filter((sql) => /FROM orders\b/.test(sql) && /ORDER BY/.test(sql))
          .map((sql) => queryPlan(sqlite, sql));
        expect(plan).toContain(`${index} (user_id=? AND ts_created>? AND ts_created<?)`);
        expect(plan).not.toMatch(/TEMP B-TREE/);
      }
    }
  });

  it('tests an order without placing it: the hold it would make, or the refusal', async () => {
    await fund(backend, 'alice', 'USDT', '10000');
    const test = (input: object) => backend.invoke('orders.test', input, trader('alice'));
    // 0.1 BTC at 30000.00 = 3000 USDT, plus the highest fee rate (0.2 %) held for it.
    expect(await test(limit('buy', '30000.00', '0.1'))).toEqual({
      ok: true,
      hold: { asset: 'USDT', amount: '3006.000000' },
    });
    await rejects(test(limit('buy', '30000.005', '0.1')), 'tick_size');
    await rejects(test({ symbol: 'BTC/USDT', side: 'buy' }), 'validation_failed');
    await rejects(test({ ...limit('buy', '30000.00', '0.1'), extra: 1 }), 'validation_failed');
    await rejects(test(limit('buy', '30000.00', '1')), 'insufficient_funds');
    // Nothing was placed, held or numbered.
    expect(await balances(backend, 'alice')).toEqual({
      USDT: { available: '10000.000000', held: '0.000000' },
    });
    const placed = await place(backend, 'alice', limit('buy', '30000.00', '0.1'));
    expect(placed.orderId).toBe(1);
    await backend.invoke('admin.markets.update', { symbol: 'BTC/USDT', status: 'halted' }, admin());
    await rejects(test(limit('buy', '30000.00', '0.1')), 'market_halted');
  });
});
