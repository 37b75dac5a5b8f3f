import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import {
  balances,
  exchangeOf,
  fund,
  limit,
  place,
  reconciled,
  rejects,
  trader,
} from '../../helpers/exchange';

interface Leg {
  orderId: number;
  type: string;
  status: string;
  price: string | null;
  stopPrice: string | null;
  postOnly: boolean;
  filledQty: string;
  openQty: string;
  held: string;
  cancelReason: string | null;
  orderListId?: number;
}

interface ListOut {
  orderListId: number;
  listClientOrderId: string | null;
  contingencyType: 'oco';
  bracket: boolean;
  status: 'executing' | 'all_done';
  orders: [Leg, Leg];
}

let backend: TestBackend;

/** The last price at 100: carol sells 0.1 BTC to dave at 100. */
async function lastAt100(b: TestBackend): Promise<void> {
  await fund(b, 'carol', 'BTC', '10');
  await fund(b, 'dave', 'USDT', '100000');
  await place(b, 'carol', limit('sell', '100.00', '0.1'));
  await place(b, 'dave', limit('buy', '100.00', '0.1'));
}

/** Bob bids 2 at 90, carol sells him 0.1 there: the last price is 90 (a sell stop at 90 triggers). */
async function lastTo90(b: TestBackend): Promise<void> {
  await place(b, 'bob', limit('buy', '90.00', '2'));
  await place(b, 'carol', limit('sell', '90.00', '0.1'));
}

/** Alice sold all her BTC: none left or held, `usdt` available, nothing held, ledger whole. */
async function soldAll(b: TestBackend, usdt: string): Promise<void> {
  expect(await balances(b, 'alice')).toEqual({
    BTC: { available: '0.00000000', held: '0.00000000' },
    USDT: { available: usdt, held: '0.000000' },
  });
  expect(await reconciled(b)).toBe(true);
}

const oco = (b: TestBackend, user: string, input: Record<string, unknown>) =>
  b.invoke('orders.placeOco', { symbol: 'BTC/USDT', ...input }, trader(user)) as Promise<ListOut>;

const getList = (b: TestBackend, user: string, orderListId: number) =>
  b.invoke('orders.getList', { orderListId }, trader(user)) as Promise<ListOut>;

const SELL_OCO = { side: 'sell', qty: '1', price: '110.00', stopPrice: '90.00' };
const BUY_OCO = { side: 'buy', qty: '1', price: '90.00', stopPrice: '110.00' };

beforeEach(async () => {
  backend = await startTestBackend();
  await lastAt100(backend);
});
afterEach(async () => {
  await backend.cleanup();
});

describe('orders.placeOco', () => {
  it('places both legs with one list id and holds the quantity once', async () => {
    await fund(backend, 'alice', 'BTC', '2');
    const list = await oco(backend, 'alice', { ...SELL_OCO, listClientOrderId: 'tp-1' });
    expect(list.status).toBe('executing');
    expect(list.listClientOrderId).toBe('tp-1');
    const [lim, stop] = list.orders;
    expect(lim).toMatchObject({ type: 'limit', price: '110.00', postOnly: true, status: 'new' });
    expect(stop).toMatchObject({ type: 'stop_market', stopPrice: '90.00', status: 'new' });
    expect(lim.orderListId).toBe(list.orderListId);
    expect(stop.orderListId).toBe(list.orderListId);
    // One hold for the pair: 1 BTC, not 2 (the account has 2, so twice would also fit).
    expect((await balances(backend, 'alice')).BTC).toEqual({
      available: '1.00000000',
      held: '1.00000000',
    });
    expect([lim.held, stop.held]).toEqual(['1.00000000', '0.00000000']);
    const open = (await backend.invoke('orders.lists', { scope: 'open' }, trader('alice'))) as {
      items: ListOut[];
    };
    expect(open.items.map((l) => l.orderListId)).toEqual([list.orderListId]);
    // The legs are orders like any other, with their list id.
    const got = (await backend.invoke(
      'orders.get',
      { orderId: stop.orderId },
      trader('alice'),
    )) as Leg;
    expect(got.orderListId).toBe(list.orderListId);
  });

  it('answers a retry with the same listClientOrderId with the original list', async () => {
    await fund(backend, 'alice', 'BTC', '2');
    const first = await oco(backend, 'alice', { ...SELL_OCO, listClientOrderId: 'tp-1' });
    const again = await oco(backend, 'alice', { ...SELL_OCO, listClientOrderId: 'tp-1' });
    expect(again.orderListId).toBe(first.orderListId);
    expect(again.orders.map((o) => o.orderId)).toEqual(first.orders.map((o) => o.orderId));
    expect((await balances(backend, 'alice')).BTC?.held).toBe('1.00000000');
  });

  it('holds the dearer leg of a buy: the stop-market at its band ceiling, fee included', async () => {
    await fund(backend, 'alice', 'USDT', '1000');
    // limit 90 × 1 + 0.2 % = 90.18; stop-market: band ceiling 110 × 1.1 = 121, + 0.242.
    const list = await oco(backend, 'alice', BUY_OCO);
    expect((await balances(backend, 'alice')).USDT?.held).toBe('121.242000');
    // With a stop-limit at 112 the stop leg costs 112.224: still the dearer one.
    await backend.invoke('orders.cancelList', { orderListId: list.orderListId }, trader('alice'));
    await oco(backend, 'alice', {
      side: 'buy',
      qty: '1',
      price: '90.00',
      stopPrice: '110.00',
      stopLimitPrice: '112.00',
    });
    expect((await balances(backend, 'alice')).USDT).toEqual({
      available: '887.776000',
      held: '112.224000',
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it('refuses bad pairs with clear codes and places nothing', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    await rejects(
      oco(backend, 'alice', { ...SELL_OCO, price: '95.00', stopPrice: '96.00' }),
      'invalid_price',
    );
    await rejects(
      oco(backend, 'alice', { ...SELL_OCO, stopPrice: '101.00' }),
      'stop_would_trigger',
    );
    await rejects(oco(backend, 'alice', { ...SELL_OCO, qty: '2' }), 'insufficient_funds');
    await rejects(oco(backend, 'alice', { ...SELL_OCO, qty: 'x' }), 'validation_failed');
    await rejects(oco(backend, 'alice', { ...SELL_OCO, bracket: 'yes' }), 'validation_failed');
    await rejects(oco(backend, 'alice', { ...SELL_OCO, bracket: 1 }), 'validation_failed');
    await rejects(oco(backend, 'alice', { ...SELL_OCO, price: '110.001' }), 'tick_size');
    // A limit leg that would take: dave bids 105, a sell limit at 104 would trade.
    await place(backend, 'dave', limit('buy', '105.00', '0.1'));
    await rejects(oco(backend, 'alice', { ...SELL_OCO, price: '104.00' }), 'post_only_would_take');
    expect((await balances(backend, 'alice')).BTC?.held).toBe('0.00000000');
    const all = (await backend.invoke('orders.lists', {}, trader('alice'))) as { items: unknown[] };
    expect(all.items).toEqual([]);
    expect(await reconciled(backend)).toBe(true);
  });
});

describe('one cancels the other', () => {
  it('a partial fill of the limit leg cancels the stop leg; the hold follows the limit', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    const list = await oco(backend, 'alice', SELL_OCO);
    await place(backend, 'dave', limit('buy', '110.00', '0.4'));
    const after = await getList(backend, 'alice', list.orderListId);
    expect(after.status).toBe('all_done');
    expect(after.orders[0]).toMatchObject({ status: 'partially_filled', openQty: '0.6000' });
    expect(after.orders[1]).toMatchObject({ status: 'cancelled', cancelReason: 'oco' });
    expect((await balances(backend, 'alice')).BTC).toEqual({
      available: '0.00000000',
      held: '0.60000000',
    });
    const open = (await backend.invoke('orders.lists', { scope: 'open' }, trader('alice'))) as {
      items: unknown[];
    };
    expect(open.items).toEqual([]);
    await rejects(
      backend.invoke('orders.cancelList', { orderListId: list.orderListId }, trader('alice')),
      'unknown_order_list',
    );
    expect(await reconciled(backend)).toBe(true);
  });

  it('the stop trigger cancels the limit leg and the stop sells with the pair hold', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    await fund(backend, 'bob', 'USDT', '1000');
    const list = await oco(backend, 'alice', SELL_OCO);
    await lastTo90(backend);
    const after = await getList(backend, 'alice', list.orderListId);
    expect(after.status).toBe('all_done');
    expect(after.orders[0]).toMatchObject({ status: 'cancelled', cancelReason: 'oco' });
    expect(after.orders[1]).toMatchObject({ status: 'filled', filledQty: '1.0000' });
    // 1 BTC sold at 90, taker fee 0.2 % = 0.18.
    await soldAll(backend, '89.820000');
  });

  it('a bracket pair: a partial fill of the take profit leaves the stop on the rest, which it sells', async () => {
    await fund(backend, 'alice', 'BTC', '1');
    await fund(backend, 'bob', 'USDT', '1000');
    const list = await oco(backend, 'alice', { ...SELL_OCO, bracket: true });
    expect(list.bracket).toBe(true);
    await place(backend, 'dave', limit('buy', '110.00', '0.4'));
    const after = await getList(backend, 'alice', list.orderListId);
    expect(after.status).toBe('executing');
    expect(after.orders[0]).toMatchObject({ status: 'partially_filled', openQty: '0.6000' });
    expect(after.orders[1]).toMatchObject({ status: 'new', openQty: '0.6000', held: '0.00000000' });
    // Still one hold for the pair: the 0.6 left.
    expect((await balances(backend, 'alice')).BTC).toEqual({
      available: '0.00000000',
      held: '0.60000000',
    });
    expect(await reconciled(backend)).toBe(true);
    // The price falls through the stop (in steps the ±10 % band allows): it sells the 0.6
    // with the pair's hold.
    await place(backend, 'bob', limit('buy', '100.00', '0.1'));
    await place(backend, 'carol', limit('sell', '100.00', '0.1'));
    await lastTo90(backend);
    const done = await getList(backend, 'alice', list.orderListId);
    expect(done.status).toBe('all_done');
    expect(done.orders.map((o) => [o.status, o.cancelReason, o.filledQty])).toEqual([
      ['cancelled', 'oco', '0.4000'],
      ['filled', null, '0.6000'],
    ]);
    // 0.4 at 110 (maker 0.1 %: 43.956), 0.6 at 90 (taker 0.2 %: 53.892).
    await soldAll(backend, '97.848000');
  });

  it("a bracket buy pair: the take profit's partial fill shrinks the stop, the last fill ends it", async () => {
    await fund(backend, 'alice', 'USDT', '1000');
    const list = await oco(backend, 'alice', { ...BUY_OCO, bracket: true });
    await place(backend, 'carol', limit('sell', '90.00', '0.3'));
    const part = await getList(backend, 'alice', list.orderListId);
    expect(part.orders.map((o) => [o.status, o.openQty])).toEqual([
      ['partially_filled', '0.7000'],
      ['new', '0.7000'],
    ]);
    expect(await reconciled(backend)).toBe(true);
    await place(backend, 'carol', limit('sell', '90.00', '0.7'));
    const done = await getList(backend, 'alice', list.orderListId);
    expect(done.orders.map((o) => [o.status, o.cancelReason])).toEqual([
      ['filled', null],
      ['cancelled', 'oco'],
    ]);
    // Bought 1 at 90 (maker 0.1 %: 90.09): nothing left held.
    expect((await balances(backend, 'alice')).USDT).toEqual({
      available: '909.910000',
      held: '0.000000',
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it('cancelList ends both legs; cancelling one leg ends the list', async () => {
    await fund(backend, 'alice', 'USDT', '1000');
    const a = await oco(backend, 'alice', { ...BUY_OCO, listClientOrderId: 'a' });
    const cancelled = (await backend.invoke(
      'orders.cancelList',
      { listClientOrderId: 'a' },
      trader('alice'),
    )) as ListOut;
    expect(cancelled.orderListId).toBe(a.orderListId);
    expect(cancelled.status).toBe('all_done');
    // The user cancelled the pair: the leg the engine ended with it is the user's cancel too.
    expect(cancelled.orders.map((o) => [o.status, o.cancelReason])).toEqual([
      ['cancelled', 'user'],
      ['cancelled', 'user'],
    ]);
    const b = await oco(backend, 'alice', BUY_OCO);
    await backend.invoke('orders.cancel', { orderId: b.orders[1].orderId }, trader('alice'));
    const after = await getList(backend, 'alice', b.orderListId);
    expect(after.status).toBe('all_done');
    expect(after.orders.map((o) => o.cancelReason)).toEqual(['user', 'user']);
    expect((await balances(backend, 'alice')).USDT).toEqual({
      available: '1000.000000',
      held: '0.000000',
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it("another user's list is unknown to you", async () => {
    await fund(backend, 'alice', 'BTC', '1');
    const list = await oco(backend, 'alice', SELL_OCO);
    await rejects(getList(backend, 'bob', list.orderListId), 'unknown_order_list');
    await rejects(
      backend.invoke('orders.cancelList', { orderListId: list.orderListId }, trader('bob')),
      'unknown_order_list',
    );
    await rejects(backend.invoke('orders.cancelList', {}, trader('alice')), 'validation_failed');
  });
});

describe('recovery', () => {
  it('a restart keeps the pair linked: filling a leg afterwards still cancels the other', async () => {
    const dataDir = tempDataDir();
    await backend.cleanup();
    const first = await startTestBackend({ dataDir });
    await lastAt100(first);
    await fund(first, 'alice', 'BTC', '1');
    await fund(first, 'alice', 'USDT', '1000');
    const sell = await oco(first, 'alice', { ...SELL_OCO, listClientOrderId: 'keep' });
    const buy = await oco(first, 'alice', { ...BUY_OCO, stopPrice: '115.00' });
    await exchangeOf(first).flush();
    const snapshot = exchangeOf(first).market('BTC/USDT').engine.snapshot();
    expect(snapshot.stops.map((o) => o.linkedOrderId)).toEqual([
      buy.orders[0].orderId,
      sell.orders[0].orderId,
    ]);
    await first.close();
    backend = await startTestBackend({ dataDir });
    const engine = exchangeOf(backend).market('BTC/USDT').engine;
    expect(engine.snapshot()).toEqual(snapshot);
    expect(engine.checkInvariants()).toEqual([]);
    expect(await balances(backend, 'alice')).toEqual({
      BTC: { available: '0.00000000', held: '1.00000000' },
      // 115 × 1.1 = 126.5 + 0.253 fee.
      USDT: { available: '873.247000', held: '126.753000' },
    });
    // The list client id is still known (idempotent retry after the restart).
    const again = await oco(backend, 'alice', { ...SELL_OCO, listClientOrderId: 'keep' });
    expect(again.orderListId).toBe(sell.orderListId);
    await place(backend, 'dave', limit('buy', '110.00', '0.4'));
    const done = await getList(backend, 'alice', sell.orderListId);
    expect(done.orders.map((o) => o.status)).toEqual(['partially_filled', 'cancelled']);
    expect(done.orders[1].cancelReason).toBe('oco');
    // The take profit's rest stays open as a leg of a done list, through another restart.
    await exchangeOf(backend).flush();
    await backend.close();
    backend = await startTestBackend({ dataDir });
    const rest = (await backend.invoke(
      'orders.get',
      { orderId: sell.orders[0].orderId },
      trader('alice'),
    )) as Leg;
    expect(rest).toMatchObject({ openQty: '0.6000', orderListId: sell.orderListId });
    await place(backend, 'dave', limit('buy', '110.00', '0.6'));
    // The buy pair: its stop triggers at 115 and buys with the hold the limit leg carried.
    await place(backend, 'carol', limit('sell', '116.00', '2'));
    await place(backend, 'dave', limit('buy', '116.00', '0.1')); // last 116 ≥ 115
    const bought = await getList(backend, 'alice', buy.orderListId);
    expect(bought.orders.map((o) => [o.status, o.cancelReason])).toEqual([
      ['cancelled', 'oco'],
      ['filled', null],
    ]);
    // Sold 1 at 110 (maker 0.1 %: 109.89), bought 1 at 116 (taker 0.2 %: 116.232).
    expect(await balances(backend, 'alice')).toEqual({
      BTC: { available: '1.00000000', held: '0.00000000' },
      USDT: { available: '993.658000', held: '0.000000' },
    });
    expect(await reconciled(backend)).toBe(true);
  });

  it('a bracket pair partly filled keeps its shrunk stop and its link across a restart', async () => {
    const dataDir = tempDataDir();
    await backend.cleanup();
    const first = await startTestBackend({ dataDir });
    await lastAt100(first);
    await fund(first, 'alice', 'BTC', '1');
    const list = await oco(first, 'alice', { ...SELL_OCO, bracket: true });
    await place(first, 'dave', limit('buy', '110.00', '0.4'));
    await exchangeOf(first).flush();
    const snapshot = exchangeOf(first).market('BTC/USDT').engine.snapshot();
    expect(snapshot.stops).toMatchObject([{ qty: 6000, bracket: true }]);
    await first.close();
    backend = await startTestBackend({ dataDir });
    expect(exchangeOf(backend).market('BTC/USDT').engine.snapshot()).toEqual(snapshot);
    // Another partial fill after the restart shrinks it again; the list still executes.
    await place(backend, 'dave', limit('buy', '110.00', '0.5'));
    const after = await getList(backend, 'alice', list.orderListId);
    expect(after).toMatchObject({ status: 'executing', bracket: true });
    expect(after.orders.map((o) => o.openQty)).toEqual(['0.1000', '0.1000']);
    expect(await reconciled(backend)).toBe(true);
  });
});
