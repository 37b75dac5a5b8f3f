import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import { createUser } from '../../helpers/auth';
import fs from 'node:fs';
import { exchangeOf, fund, trader } from '../../helpers/exchange';
import { setUpTrading, traderWith, type TradingSetup } from './setup';

/**
 * An alert's take-profit and stop-loss on a local-exchange (spot) account: the exits are
 * placed for what the entry fills — an OCO pair, or the one level given —
 * checked before the entry, kept across a restart, ended by an emergency stop. Before, the
 * local exchange placed the entry and dropped the levels without a word.
 */
let backend: TestBackend;
let t: TradingSetup;
let me: Principal;

async function start(dataDir?: string): Promise<void> {
  backend = await startTestBackend(dataDir ? { dataDir } : {});
}

async function setUp(): Promise<void> {
  const user = await createUser(backend, 'trader');
  t = await setUpTrading(backend, user.userId);
  me = traderWith(user.userId, ['automation.manage', 'orders.read', 'orders.trade', 'wallet.read']);
}

afterEach(async () => {
  await backend.cleanup();
});

/** A TradersPost buy of BTCUSDT with its other fields (limit price, take profit, stop loss). */
const buy = (token: string, quantity: number, rest: Record<string, unknown> = {}) =>
  alert(token, { ticker: 'BTCUSDT', action: 'buy', quantity, ...rest });

/** Another trader sells 10.2 BTC down to 29,800: the maker's 10 bid, then 0.2 more. */
async function sellDown(): Promise<void> {
  await fund(backend, 'seller', 'BTC', '20');
  await backend.invoke(
    'orders.place',
    { symbol: 'BTC/USDT', side: 'sell', type: 'limit', price: '29800.00', qty: '10.2', tif: 'IOC' },
    trader('seller'),
  );
}

const alert = (token: string, body: Record<string, unknown>) =>
  backend.http.inject({
    method: 'POST',
    url: `/hooks/tv/${token}`,
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

interface OpenLeg {
  side: string;
  kind: string;
  price: number;
  stopPrice: number;
  clientOrderId: string | null;
}
const openOf = (userId: string): OpenLeg[] =>
  exchangeOf(backend)
    .openOrders({ userId })
    .map((o) => ({
      side: o.side,
      kind: o.kind,
      price: o.price,
      stopPrice: o.stopPrice,
      clientOrderId: o.clientOrderId,
    }));

describe('take-profit and stop-loss on the local exchange', () => {
  it('places an OCO sell for a filled market buy, the levels measured from its fill price', async () => {
    await start();
    await setUp();
    const res = await buy(t.token, 0.1, { takeProfit: { percent: 5 }, stopLoss: { percent: 2 } });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer.orders).toHaveLength(3);
    expect(answer.orders[0]).toMatchObject({ role: 'entry', side: 'buy', status: 'filled' });
    expect(answer.orders[0].avgPrice).toMatch(/^30000(\.0+)?$/);
    expect(answer.orders[1]).toMatchObject({
      role: 'take_profit',
      side: 'sell',
      type: 'limit',
      price: '31500.00',
      qty: '0.1000',
    });
    expect(answer.orders[2]).toMatchObject({
      role: 'stop_loss',
      side: 'sell',
      type: 'stop_market',
      price: '29400.00',
    });
    // Both legs rest on the exchange, linked as one list, holding the 0.1 BTC bought.
    const legs = exchangeOf(backend).openOrders({ userId: t.userId });
    expect(legs.map((o) => o.kind).sort()).toEqual(['limit', 'stop_market']);
    expect(exchangeOf(backend).holdings(t.userId, 'BTC').held).toBe(10_000_000n);
    const list = (await backend.invoke('orders.lists', {}, me)) as {
      items: Array<{ status: string; orders: Array<{ price: string | null }> }>;
    };
    expect(list.items[0]).toMatchObject({ status: 'executing' });
    // One order for the day's count and its limit: the exits belong to it.
    const log = (await backend.invoke('automation.log.get', { id: answer.logId }, me)) as {
      ordersPlaced: number;
      exitsPlaced: number;
    };
    expect(log).toMatchObject({ ordersPlaced: 1, exitsPlaced: 2 });
    // The list says the same, so the log's row, the answer and its details agree.
    const rows = (await backend.invoke('automation.log.list', {}, me)) as {
      items: Array<{ id: number; ordersPlaced: number; exitsPlaced: number }>;
    };
    expect(rows.items.find((r) => r.id === answer.logId)).toMatchObject({
      ordersPlaced: 1,
      exitsPlaced: 2,
    });
  });

  it('protects a sell of BTC held with an OCO buy: take-profit below, stop-loss above', async () => {
    await start();
    const user = await createUser(backend, 'trader');
    t = await setUpTrading(backend, user.userId, { base: '1' });
    const res = await alert(t.token, {
      ticker: 'BTCUSDT',
      action: 'sell',
      quantity: 0.5,
      takeProfit: { percent: 3 },
      stopLoss: { amount: 600 },
    });
    expect(res.statusCode, res.body).toBe(200);
    // Sold at the 29,900 bid: take-profit 3 % lower (29,003.00), stop-loss 600 higher.
    expect(res.json().orders.slice(1)).toMatchObject([
      { role: 'take_profit', side: 'buy', type: 'limit', price: '29003.00', qty: '0.5000' },
      { role: 'stop_loss', side: 'buy', type: 'stop_market', price: '30500.00' },
    ]);
    expect(
      openOf(t.userId)
        .map((o) => `${o.side} ${o.kind}`)
        .sort(),
    ).toEqual(['buy limit', 'buy stop_market']);
  });

  it('an exit alert closes the position its exits hold: they are cancelled, the BTC sold', async () => {
    await start();
    await setUp();
    const res = await buy(t.token, 0.1, { takeProfit: { percent: 5 }, stopLoss: { percent: 2 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(exchangeOf(backend).holdings(t.userId, 'BTC').available).toBe(0n);
    const exit = await alert(t.token, { ticker: 'BTCUSDT', action: 'exit' });
    expect(exit.statusCode, exit.body).toBe(200);
    expect(exit.json().orders).toMatchObject([
      {
        side: 'sell',
        type: 'market',
        status: 'filled',
        filledQty: '0.1000',
        note: expect.stringMatching(/take-profit \/ stop-loss on BTC\/USDT cancelled to free/),
      },
    ]);
    expect(openOf(t.userId)).toEqual([]);
    expect(exchangeOf(backend).holdings(t.userId, 'BTC')).toEqual({ available: 0n, held: 0n });
  });

  it('a partial exit takes the exits off only when the free BTC does not cover it, then puts them back for the rest', async () => {
    await start();
    const user = await createUser(backend, 'trader');
    t = await setUpTrading(backend, user.userId, { base: '0.05' });
    me = traderWith(user.userId, ['automation.manage']);
    await buy(t.token, 0.1, { takeProfit: { limitPrice: 31000 }, stopLoss: { percent: 2 } });
    // 0.05 BTC free besides the 0.1 the exits hold: a 0.05 exit leaves them alone.
    const small = await alert(t.token, { ticker: 'BTCUSDT', action: 'exit', quantity: 0.05 });
    expect(small.json().orders).toHaveLength(1);
    expect(small.json().orders[0]).not.toHaveProperty('note');
    const legs = () =>
      openOf(t.userId)
        .map((o) => `${o.kind} ${o.clientOrderId?.replace(/-r[0-9a-z]+-/, '-r*-')}`)
        .sort();
    const planId = (
      backend.store.sqlite.prepare('SELECT id FROM exchange_brackets').get() as { id: number }
    ).id;
    expect(legs()).toEqual([`limit brk-${planId}-tp`, `stop_market brk-${planId}-sl`]);
    // 0.06 needs 0.06 of the 0.1 they hold: they come off, 0.06 is sold, and the 0.04 left
    // gets the same take-profit and stop-loss again.
    const more = await alert(t.token, { ticker: 'BTCUSDT', action: 'exit', quantity: 0.06 });
    expect(more.statusCode, more.body).toBe(200);
    expect(more.json().orders).toMatchObject([
      { side: 'sell', filledQty: '0.0600', note: expect.stringMatching(/placed again/) },
      { role: 'take_profit', price: '31000.00', qty: '0.0400', status: 'new' },
      { role: 'stop_loss', price: '29400.00', qty: '0.0400', status: 'new' },
    ]);
    expect(legs()).toEqual([`limit brk-${planId}-r*-tp`, `stop_market brk-${planId}-r*-sl`]);
    const btc = exchangeOf(backend).holdings(t.userId, 'BTC');
    expect(btc).toEqual({ available: 0n, held: 4_000_000n });
    const [row] = backend.store.sqlite
      .prepare('SELECT result FROM exchange_brackets')
      .all() as Array<{
      result: string;
    }>;
    expect(JSON.parse(row!.result)).toMatchObject({ qty: '0.0400', takeProfit: '31000.00' });
    // And the whole exit after it takes them off for good.
    const all = await alert(t.token, { ticker: 'BTCUSDT', action: 'exit' });
    expect(all.json().orders).toMatchObject([{ filledQty: '0.0400', note: expect.any(String) }]);
    expect(openOf(t.userId)).toEqual([]);
  });

  it('an exit the exchange refuses puts the exits back on what is still held', async () => {
    await start();
    await setUp();
    await buy(t.token, 0.1, { takeProfit: { limitPrice: 31000 }, stopLoss: { stopPrice: 29000 } });
    // Nobody bids any more: the exit's market sell is refused (no_liquidity).
    await backend.invoke('orders.cancelAll', { symbol: 'BTC/USDT' }, trader('market-maker'));
    const exit = await alert(t.token, { ticker: 'BTCUSDT', action: 'exit' });
    expect(exit.statusCode, exit.body).toBe(400);
    expect(exit.json()).toMatchObject({ code: 'no_liquidity' });
    const ids = openOf(t.userId)
      .map((o) => o.clientOrderId ?? '')
      .sort();
    expect(ids).toEqual([
      expect.stringMatching(/^brk-\d+-r[0-9a-z]+-sl$/),
      expect.stringMatching(/^brk-\d+-r[0-9a-z]+-tp$/),
    ]);
    expect(exchangeOf(backend).holdings(t.userId, 'BTC').held).toBe(10_000_000n);
  });

  it('refuses leverage on a spot account instead of ignoring it (1 is spot, accepted)', async () => {
    await start();
    await setUp();
    const keyValue = (leverage: string) =>
      backend.http.inject({
        method: 'POST',
        url: `/hooks/tv/${t.token}`,
        payload: `action=buy\nsymbol=BTCUSDT\nqty=0.1\nleverage=${leverage}`,
        headers: { 'content-type': 'text/plain' },
      });
    const five = await keyValue('5');
    expect(five.statusCode, five.body).toBe(400);
    expect(five.json()).toMatchObject({ code: 'unsupported_by_venue' });
    expect(five.json().detail).toMatch(/spot: leverage 5 cannot be applied/);
    expect(openOf(t.userId)).toEqual([]);
    const one = await keyValue('1');
    expect(one.statusCode, one.body).toBe(200);
  });

  it('places one limit order for a take-profit alone, one stop for a stop-loss alone', async () => {
    await start();
    await setUp();
    const tp = await buy(t.token, 0.1, { takeProfit: { limitPrice: 31000 } });
    expect(tp.statusCode, tp.body).toBe(200);
    expect(tp.json().orders[1]).toMatchObject({
      role: 'take_profit',
      type: 'limit',
      price: '31000.00',
    });
    const sl = await buy(t.secondToken, 0.1, { stopLoss: { amount: 450 } });
    expect(sl.statusCode, sl.body).toBe(200);
    expect(sl.json().orders[1]).toMatchObject({
      role: 'stop_loss',
      type: 'stop_market',
      price: '29550.00',
    });
    expect(
      openOf(t.userId)
        .map((o) => o.kind)
        .sort(),
    ).toEqual(['limit', 'stop_market']);
  });

  it('refuses levels on the wrong side of the entry before anything is placed', async () => {
    await start();
    await setUp();
    const usdt = exchangeOf(backend).holdings(t.userId, 'USDT').available;
    const res = await buy(t.token, 0.1, { stopLoss: { stopPrice: 30500 } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ success: false, code: 'invalid_bracket' });
    expect(res.json().detail).toMatch(/stop-loss must be below the entry \(30000\.00\)/);
    expect(openOf(t.userId)).toEqual([]);
    expect(exchangeOf(backend).holdings(t.userId, 'USDT').available).toBe(usdt);
    const offTick = await buy(t.token, 0.1, { takeProfit: { limitPrice: 31000.001 } });
    expect(offTick.json()).toMatchObject({ code: 'invalid_bracket' });
    expect(offTick.json().detail).toMatch(/not a price on BTC\/USDT/);
  });

  it('says so when the exchange refuses the exits of a filled entry: the entry stands, unprotected', async () => {
    await start();
    await setUp();
    // 0.0002 BTC at 30,000 is 6 USDT; the stop-loss 20 % lower is 4.80, under the 5 USDT minimum.
    const res = await buy(t.token, 0.0002, {
      takeProfit: { percent: 5 },
      stopLoss: { percent: 20 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const orders = res.json().orders;
    expect(orders[0]).toMatchObject({ role: 'entry', status: 'filled' });
    expect(orders.slice(1)).toMatchObject([
      { role: 'take_profit', status: 'rejected', orderId: '', note: expect.any(String) },
      { role: 'stop_loss', status: 'rejected', price: '24000.00' },
    ]);
    expect(openOf(t.userId)).toEqual([]);
    const notes = (await backend.invoke('notifications.list', {}, me)) as {
      items: Array<{ level: string; title: string; body: string }>;
    };
    expect(notes.items).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        title: expect.stringMatching(/NOT placed/),
        body: expect.stringMatching(/0\.0002 filled is not protected/),
      }),
    );
    const [row] = backend.store.sqlite.prepare('SELECT status FROM exchange_brackets').all();
    expect(row).toEqual({ status: 'failed' });
  });

  it('waits for a resting limit entry to fill, then places the exits', async () => {
    await start();
    await setUp();
    const res = await buy(t.token, 0.2, {
      limitPrice: 29800,
      takeProfit: { limitPrice: 31000 },
      stopLoss: { stopPrice: 29000 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const orders = res.json().orders;
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ role: 'entry', status: 'new' });
    // Another trader sells into the entry: it fills, and the exits follow.
    await sellDown();
    await vi.waitFor(() => {
      expect(
        openOf(t.userId)
          .map((o) => o.kind)
          .sort(),
      ).toEqual(['limit', 'stop_market']);
    });
    const notes = (await backend.invoke('notifications.list', {}, me)) as {
      items: Array<{ title: string }>;
    };
    expect(notes.items.map((n) => n.title)).toContainEqual(
      expect.stringMatching(/take-profit\/stop-loss placed for order/),
    );
  });

  it('a limit entry that fills in part and rests: the answer lists the exits of the part filled', async () => {
    await start();
    await setUp();
    // The maker's 10 at 30,000 fill 10 of the 10.1; 0.1 rests at 30,000.
    const res = await buy(t.token, 10.1, {
      limitPrice: 30000,
      takeProfit: { limitPrice: 31000 },
      stopLoss: { stopPrice: 29000 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().orders).toMatchObject([
      { role: 'entry', status: 'partially_filled', filledQty: '10.0000' },
      { role: 'take_profit', qty: '10.0000', price: '31000.00' },
      { role: 'stop_loss', qty: '10.0000', price: '29000.00' },
    ]);
    expect(
      openOf(t.userId)
        .map((o) => `${o.side} ${o.kind}`)
        .sort(),
    ).toEqual(['buy limit', 'sell limit', 'sell stop_market']);
  });

  it('an emergency stop ends the plan of a waiting entry: nothing is placed after it', async () => {
    await start();
    await setUp();
    const res = await buy(t.token, 0.2, { limitPrice: 29000, stopLoss: { stopPrice: 28000 } });
    expect(res.statusCode, res.body).toBe(200);
    await backend.invoke('automation.emergencyStop', {}, me);
    expect(openOf(t.userId)).toEqual([]);
    const rows = backend.store.sqlite
      .prepare('SELECT status, result FROM exchange_brackets')
      .all() as Array<{ status: string; result: string }>;
    expect(rows).toEqual([
      { status: 'cancelled', result: expect.stringMatching(/emergency_stop/) },
    ]);
  });

  it('a plan finished again after its exit closed counts it as placed, placing nothing more', async () => {
    const dataDir = tempDataDir();
    try {
      await start(dataDir);
      await setUp();
      const res = await buy(t.token, 0.1, { takeProfit: { limitPrice: 30100 } });
      expect(res.statusCode, res.body).toBe(200);
      const tpId = Number(res.json().orders[1].orderId);
      // The take-profit closes (cancelled here; a fill closes it the same way).
      await backend.invoke('orders.cancel', { orderId: tpId }, trader(t.userId));
      // As if Bourse stopped after the exit was placed but before the plan's row said so.
      backend.store.sqlite
        .prepare("UPDATE exchange_brackets SET status = 'waiting', result = NULL")
        .run();
      const userId = t.userId;
      await backend.close();
      await start(dataDir);
      const [row] = backend.store.sqlite
        .prepare('SELECT status, result FROM exchange_brackets')
        .all() as Array<{ status: string; result: string }>;
      expect(row!.status).toBe('placed');
      expect(JSON.parse(row!.result)).toMatchObject({ orderIds: [tpId] });
      expect(openOf(userId)).toEqual([]);
    } finally {
      await backend.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      backend = await startTestBackend();
    }
  });

  it('puts back exits taken off by an exit that a restart interrupted before it sold', async () => {
    const dataDir = tempDataDir();
    try {
      await start(dataDir);
      await setUp();
      await buy(t.token, 0.1, {
        takeProfit: { limitPrice: 31000 },
        stopLoss: { stopPrice: 29000 },
      });
      // An exit alert takes the exits off… and Bourse stops before it sells or puts them back.
      await backend.features.exitPlans.releaseExits(t.userId, 'BTC/USDT', 'crash1');
      const userId = t.userId;
      expect(openOf(userId)).toEqual([]);
      await backend.close();
      await start(dataDir);
      expect(
        openOf(userId)
          .map((o) => o.clientOrderId)
          .sort(),
      ).toEqual([
        expect.stringMatching(/^brk-\d+-rcrash1-sl$/),
        expect.stringMatching(/^brk-\d+-rcrash1-tp$/),
      ]);
      const [row] = backend.store.sqlite
        .prepare('SELECT status, result FROM exchange_brackets')
        .all() as Array<{ status: string; result: string }>;
      expect(row!.status).toBe('placed');
      expect(JSON.parse(row!.result)).not.toHaveProperty('released');
    } finally {
      await backend.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      backend = await startTestBackend();
    }
  });

  it('finishes a plan after a restart: the entry fills after Bourse started again', async () => {
    const dataDir = tempDataDir();
    try {
      await start(dataDir);
      await setUp();
      const res = await buy(t.token, 0.2, { limitPrice: 29800, takeProfit: { percent: 10 } });
      expect(res.statusCode, res.body).toBe(200);
      // As when Bourse stopped between the plan's row and the entry's answer: the row does not
      // name the entry yet. A second plan names an entry that never reached the exchange.
      const db = backend.store.sqlite;
      db.prepare('UPDATE exchange_brackets SET entry_order_id = NULL').run();
      db.prepare(
        `INSERT INTO exchange_brackets (user_id, account_id, symbol, side, entry_client_id,
           take_profit, stop_loss, status, ts_created, ts_updated)
         SELECT user_id, account_id, symbol, side, 'brk-never-placed', take_profit, NULL,
           'waiting', ts_created, ts_updated FROM exchange_brackets`,
      ).run();
      const userId = t.userId;
      await backend.close();
      await start(dataDir);
      const rows = () =>
        backend.store.sqlite
          .prepare('SELECT status, result FROM exchange_brackets ORDER BY id')
          .all() as Array<{ status: string; result: string | null }>;
      expect(rows()).toEqual([
        { status: 'waiting', result: null },
        { status: 'cancelled', result: expect.stringMatching(/entry_not_placed/) },
      ]);
      await sellDown();
      await vi.waitFor(() => {
        expect(openOf(userId)).toMatchObject([{ side: 'sell', kind: 'limit' }]);
      });
      // 10 % above the 29,800 fill: 32,780.00 (ticks of 0.01).
      expect(openOf(userId)[0]!.price).toBe(3_278_000);
      expect(rows()[0]!.status).toBe('placed');
    } finally {
      await backend.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      backend = await startTestBackend();
    }
  });
});
