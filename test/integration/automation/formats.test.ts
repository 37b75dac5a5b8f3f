import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { createUser } from '../../helpers/auth';
import { SOL_USDT, admin, balances, exchangeOf, fund, trader } from '../../helpers/exchange';
import { setUpTrading, traderWith, type TradingSetup } from './setup';

/**
 * Each alert format through the webhook as its tool writes it, and the answer each sender
 * reads: PineConnector lots on an FX pair, OctoBot KEY=VALUE, unify.v1 with `intent.broker`
 * (answered with `success` and the order id), placeholders named.
 */
let backend: TestBackend;
let t: TradingSetup;
let me: Principal;

beforeEach(async () => {
  backend = await startTestBackend({});
  const user = await createUser(backend, 'trader');
  t = await setUpTrading(backend, user.userId);
  me = traderWith(user.userId, ['automation.manage', 'orders.read', 'wallet.read']);
  // EUR/USD liquidity from another user, and dollars for ours.
  await fund(backend, 'fx-maker', 'EUR', '1000000');
  await fund(backend, 'fx-maker', 'USD', '1000000');
  await backend.invoke(
    'orders.place',
    { symbol: 'EUR/USD', side: 'sell', type: 'limit', price: '1.1000', qty: '500000' },
    trader('fx-maker'),
  );
  await fund(backend, t.userId, 'USD', '100000');
});
afterEach(async () => {
  await backend.cleanup();
});

const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
  backend.http.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': 'text/plain', ...headers },
  });
const eurOf = async (userId: string) => (await balances(backend, userId)).EUR;

/**
 * The last BTC/USDT price becomes `price`: the market maker's orders taken off, it sells 0.1
 * there to another trader.
 */
async function tradeAt(price: string): Promise<void> {
  await backend.invoke('orders.cancelAll', { symbol: 'BTC/USDT' }, trader('market-maker'));
  await backend.invoke(
    'orders.place',
    { symbol: 'BTC/USDT', side: 'sell', type: 'limit', price, qty: '0.1' },
    trader('market-maker'),
  );
  await fund(backend, 'taker', 'USDT', '5000');
  await backend.invoke(
    'orders.place',
    { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price, qty: '0.1', tif: 'IOC' },
    trader('taker'),
  );
}

describe('PineConnector through the webhook', () => {
  it('buys risk=0.01 lots of EURUSD as 1,000 EUR (1 lot = 100,000 base)', async () => {
    const res = await post('/hooks/tv', `${t.token},buy,EURUSD,risk=0.01,comment="fx"`);
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({ success: true, status: 'accepted' });
    expect(answer.orderId).toBe(answer.orders[0].orderId);
    expect(answer.intent).toMatchObject({ symbol: 'EURUSD', lots: '0.01', qty: '1000' });
    expect(answer.orders[0].filledQty).toMatch(/^1000(\.0+)?$/);
    expect((await eurOf(t.userId))?.available).toMatch(/^1000(\.0+)?$/);
    const entry = (await backend.invoke('automation.log.get', { id: answer.logId }, me)) as {
      intent: { qty: string; lots: string };
    };
    expect(entry.intent).toMatchObject({ qty: '1000', lots: '0.01' });
  });

  it('places sl=/tp= in pips on the paper broker: 20 and 40 pips from the 1.1000 ask', async () => {
    const created = (await backend.invoke(
      'accounts.create',
      { venue: 'paper', name: 'FX paper', baseCurrency: 'USD' },
      trader(t.userId),
    )) as { account: { id: string }; webhookToken: string };
    const res = await post(
      `/hooks/tv/${created.webhookToken}`,
      '60123456789,buy,EURUSD,risk=0.01,sl=20,tp=40',
    );
    expect(res.statusCode, res.body).toBe(200);
    const { items } = (await backend.invoke(
      'accounts.positions',
      { id: created.account.id },
      trader(t.userId),
    )) as { items: Array<{ symbol: string; qty: string; stopLoss: string; takeProfit: string }> };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ symbol: 'EUR/USD', stopLoss: '1.0980', takeProfit: '1.1040' });
    expect(items[0]!.qty).toMatch(/^1000(\.0+)?$/);
  });

  it('refuses lots on a market whose lot Bourse cannot know, and answers success: false', async () => {
    const res = await post('/hooks/tv', `${t.token},buy,BTCUSDT,risk=0.02`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'lot_size_unknown', success: false });
    expect(res.json().detail ?? res.json().message).toContain('BTC/USDT');
  });
});

describe('OctoBot KEY=VALUE through the webhook', () => {
  it('executes the documented alert with VOLUME in base', async () => {
    const res = await post(
      `/hooks/tv/${t.token}`,
      'EXCHANGE=binance\nSYMBOL=BTCUSDT\nSIGNAL=BUY\nVOLUME=0.01\nTAG=octo',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ success: true, intent: { qty: '0.01', comment: 'octo' } });
    expect(await t.baseBalance()).toBe(t.afterBuy('0.01'));
  });
});

describe('unify.v1 through the bearer route', () => {
  const unify = (broker: string) =>
    JSON.stringify({
      version: 'unify.v1',
      intent: { broker, side: 'buy', type: 'market', symbol: 'BTC/USDT', qty: '0.01' },
    });
  const bearer = (body: string) =>
    post('/api/unify/v1/webhook/local', body, {
      'content-type': 'application/json',
      authorization: `Bearer ${t.token}`,
    });

  it('accepts intent.broker naming the account venue and answers success and the order id', async () => {
    const res = await bearer(unify('local'));
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    expect(a).toMatchObject({ success: true, status: 'accepted', intent: { broker: 'local' } });
    expect(typeof a.orderId).toBe('string');
    expect(a.orderId).toBe(a.orders[0].orderId);
    expect(typeof a.logId).toBe('number');
  });

  it('refuses a broker that is not the account venue, executing nothing', async () => {
    const before = await t.baseBalance();
    const res = await bearer(unify('paper'));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'broker_mismatch', success: false });
    expect(await t.baseBalance()).toBe(before);
  });
});

describe('TradersPost trailing stops', () => {
  const json = (url: string, body: object) =>
    post(url, JSON.stringify(body), { 'content-type': 'application/json' });
  const trailingSell = { ticker: 'BTCUSDT', action: 'sell', orderType: 'trailing_stop' };

  it('places orderType trailing_stop with trailPercent as a trailing stop on the local exchange', async () => {
    // Buy 0.01 at the 30,000 ask: the last price is 30,000.
    const buy = await json(`/hooks/tv/${t.token}`, {
      ticker: 'BTCUSDT',
      action: 'buy',
      quantity: 0.01,
    });
    expect(buy.statusCode, buy.body).toBe(200);
    const res = await json(`/hooks/tv/${t.token}`, {
      ...trailingSell,
      quantity: 0.01,
      trailPercent: 1.5,
    });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({
      success: true,
      intent: { type: 'stop_market', trailPercent: '1.5' },
    });
    const order = (await backend.invoke(
      'orders.get',
      { orderId: Number(answer.orderId) },
      trader(t.userId),
    )) as Record<string, unknown>;
    // 1.5 % under 30,000: 29,550.
    expect(order).toMatchObject({
      type: 'stop_market',
      side: 'sell',
      status: 'new',
      stopPrice: '29550.00',
      trailing: { bps: 150, activationPrice: null, anchorPrice: '30000.00' },
    });
  });

  it.each([
    [{ trailPercent: 1 }, 'is read only with orderType'],
    [{ orderType: 'trailing_stop' }, 'needs trailPercent'],
    [{ orderType: 'trailing_stop', trailAmount: 10, trailPercent: 1 }, 'not both'],
    [{ orderType: 'trailing_stop', trailAmount: -10 }, 'trailAmount'],
    [{ orderType: 'trailing_stop', trailPercent: 1, action: 'exit' }, 'action buy or sell'],
  ])('refuses %j naming what is wrong', async (extra, message) => {
    const res = await json(`/hooks/tv/${t.token}`, { ticker: 'BTCUSDT', action: 'sell', ...extra });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'alert_unreadable', success: false });
    expect(JSON.stringify(res.json())).toContain(message);
  });

  it('places orderType trailing_stop with trailAmount as a stop trailing 150 behind, moving by 150', async () => {
    await json(`/hooks/tv/${t.token}`, { ticker: 'BTCUSDT', action: 'buy', quantity: 0.01 });
    const res = await json(`/hooks/tv/${t.token}`, {
      ...trailingSell,
      quantity: 0.01,
      trailAmount: 150,
    });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({
      success: true,
      intent: { type: 'stop_market', trailAmount: '150' },
    });
    const order = () =>
      backend.invoke(
        'orders.get',
        { orderId: Number(answer.orderId) },
        trader(t.userId),
      ) as Promise<Record<string, { amount?: string } & Record<string, unknown>>>;
    // 150 under the 30,000 bought at; by an amount, not by basis points.
    expect(await order()).toMatchObject({
      type: 'stop_market',
      status: 'new',
      stopPrice: '29850.00',
      trailing: { amount: '150.00', activationPrice: null, anchorPrice: '30000.00' },
    });
    expect((await order()).trailing).not.toHaveProperty('bps');
    // A trade at 30,400 lifts it by 400 to 150 under it (a percent would not keep 150).
    await tradeAt('30400.00');
    expect(await order()).toMatchObject({
      stopPrice: '30250.00',
      trailing: { amount: '150.00', anchorPrice: '30400.00' },
    });
    // A fall to 30,300 leaves it; one to 30,250 triggers it: the 0.01 sells into a bid.
    await tradeAt('30300.00');
    expect((await order()).stopPrice).toBe('30250.00');
    await fund(backend, 'bidder', 'USDT', '40000');
    await backend.invoke(
      'orders.place',
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '30200.00', qty: '1' },
      trader('bidder'),
    );
    await tradeAt('30250.00');
    expect(await order()).toMatchObject({ status: 'filled', filledQty: '0.0100' });
    expect(await t.baseBalance()).toBe('0.00000000');
  });

  it('places unify.v1 intent.trailAmount as a stop trailing that amount', async () => {
    await json(`/hooks/tv/${t.token}`, { ticker: 'BTCUSDT', action: 'buy', quantity: 0.01 });
    const res = await json(`/hooks/tv/${t.token}`, {
      version: 'unify.v1',
      intent: { side: 'sell', symbol: 'BTC/USDT', qty: '0.01', trailAmount: '99.5' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const order = (await backend.invoke(
      'orders.get',
      { orderId: Number(res.json().orderId) },
      trader(t.userId),
    )) as Record<string, unknown>;
    expect(order).toMatchObject({
      type: 'stop_market',
      stopPrice: '29900.50',
      trailing: { amount: '99.50', anchorPrice: '30000.00' },
    });
  });

  it('refuses a trailing amount off the tick, too fine, or as large as the price, placing nothing', async () => {
    await json(`/hooks/tv/${t.token}`, { ticker: 'BTCUSDT', action: 'buy', quantity: 0.01 });
    const usdt = exchangeOf(backend).holdings(t.userId, 'USDT');
    const sell = (extra: Record<string, unknown>) =>
      json(`/hooks/tv/${t.token}`, { ...trailingSell, quantity: 0.01, ...extra });
    const buyWith = (stopLoss: Record<string, unknown>) =>
      json(`/hooks/tv/${t.token}`, { ticker: 'BTCUSDT', action: 'buy', quantity: 0.01, stopLoss });
    const cases: Array<[Promise<{ json(): unknown; body: string }>, object, RegExp]> = [
      [
        sell({ trailAmount: 150.005 }),
        { code: 'validation_failed', details: { field: 'trailAmount' } },
        /trailAmount 150\.005 has more decimals than BTC\/USDT's tick \(0\.01\)/,
      ],
      // The last price is 30,000: a sell that far behind it would never trigger.
      [
        sell({ trailAmount: 30000 }),
        { code: 'invalid_order', details: { field: 'trailAmount' } },
        /would never trigger/,
      ],
      [
        sell({ trailAmount: 150, takeProfit: { percent: 5 } }),
        { code: 'unsupported_bracket', details: { field: 'trailAmount' } },
        /cannot carry a take-profit or stop-loss/,
      ],
      [
        buyWith({ type: 'trailing_stop', trailAmount: 600.001 }),
        { code: 'invalid_bracket', details: { field: 'stopLoss.trailAmount' } },
        /trailAmount 600\.001 has more decimals than BTC\/USDT's tick/,
      ],
      // The buy meets the 30,000 ask: its stop-loss would trail from about there.
      [
        buyWith({ type: 'trailing_stop', trailAmount: 30000 }),
        { code: 'invalid_bracket', details: { field: 'stopLoss.trailAmount' } },
        /30000\.00 is not below 30000\.00.*would never trigger/,
      ],
    ];
    for (const [res, refusal, message] of cases) {
      const r = await res;
      expect(r.json(), r.body).toMatchObject({ success: false, ...refusal });
      expect(r.body).toMatch(message);
    }
    const open = (await backend.invoke('orders.list', { scope: 'open' }, trader(t.userId))) as {
      items: unknown[];
    };
    expect(open.items).toEqual([]);
    expect(exchangeOf(backend).holdings(t.userId, 'USDT')).toEqual(usdt);
    expect(await t.baseBalance()).toBe('0.01000000');
  });

  it('refuses a trailing amount between two ticks of a market whose tick is 0.05', async () => {
    await backend.invoke('admin.assets.create', { code: 'SOL', scale: 8, name: 'Solana' }, admin());
    await backend.invoke('admin.markets.create', { ...SOL_USDT, tickSize: '0.05' }, admin());
    const res = await json(`/hooks/tv/${t.token}`, {
      ticker: 'SOLUSDT',
      action: 'buy',
      orderType: 'trailing_stop',
      quantity: 1,
      trailAmount: 0.12,
    });
    expect(res.json(), res.body).toMatchObject({
      code: 'validation_failed',
      success: false,
      details: { field: 'trailAmount' },
    });
    expect(res.body).toContain("trailAmount 0.12 is not a multiple of SOL/USDT's tick (0.05)");
    expect(exchangeOf(backend).openOrders({ userId: t.userId })).toEqual([]);
  });

  it('refuses a distance finer than 0.01 %, and brackets on a trailing entry, placing nothing', async () => {
    await json(`/hooks/tv/${t.token}`, { ticker: 'BTCUSDT', action: 'buy', quantity: 0.01 });
    const fine = await json(`/hooks/tv/${t.token}`, {
      ...trailingSell,
      quantity: 0.01,
      trailPercent: 0.005,
    });
    expect(fine.json(), fine.body).toMatchObject({ code: 'validation_failed', success: false });
    expect(fine.body).toContain('at most two decimals');
    const withTp = await json(`/hooks/tv/${t.token}`, {
      ...trailingSell,
      quantity: 0.01,
      trailPercent: 1,
      takeProfit: { percent: 5 },
    });
    expect(withTp.json(), withTp.body).toMatchObject({
      code: 'unsupported_bracket',
      success: false,
    });
    const open = (await backend.invoke('orders.list', { scope: 'open' }, trader(t.userId))) as {
      items: unknown[];
    };
    expect(open.items).toEqual([]);
  });

  it('a trailing stop-loss on an entry: the take-profit and a trailing stop as one bracket pair', async () => {
    const res = await json(`/hooks/tv/${t.token}`, {
      ticker: 'BTCUSDT',
      action: 'buy',
      quantity: 0.01,
      takeProfit: { percent: 5 },
      stopLoss: { type: 'trailing_stop', trailPercent: 2 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const roles = (res.json().orders as Array<{ role: string; type: string }>).map(
      (o) => `${o.role} ${o.type}`,
    );
    expect(roles).toEqual(['entry market', 'take_profit limit', 'stop_loss stop_market']);
    const open = (await backend.invoke('orders.list', { scope: 'open' }, trader(t.userId))) as {
      items: Array<{ type: string; stopPrice: string | null; trailing?: { bps: number } }>;
    };
    // Bought at 30,000: the stop trails 2 % under it.
    expect(open.items.find((o) => o.type === 'stop_market')).toMatchObject({
      stopPrice: '29400.00',
      trailing: { bps: 200 },
    });
  });
});

describe('TradersPost trailing stop-loss by an amount', () => {
  it('a take-profit and a stop trailing 600 behind as one bracket pair, recorded in the plan', async () => {
    const res = await post(
      `/hooks/tv/${t.token}`,
      JSON.stringify({
        ticker: 'BTCUSDT',
        action: 'buy',
        quantity: 0.01,
        takeProfit: { percent: 5 },
        stopLoss: { type: 'trailing_stop', trailAmount: 600 },
      }),
      { 'content-type': 'application/json' },
    );
    expect(res.statusCode, res.body).toBe(200);
    const roles = (res.json().orders as Array<{ role: string; type: string }>).map(
      (o) => `${o.role} ${o.type}`,
    );
    expect(roles).toEqual(['entry market', 'take_profit limit', 'stop_loss stop_market']);
    const open = (await backend.invoke('orders.list', { scope: 'open' }, trader(t.userId))) as {
      items: Array<{ type: string; stopPrice: string | null; trailing?: object }>;
    };
    // Bought at 30,000: the stop trails 600 under it, by the amount.
    const stop = open.items.find((o) => o.type === 'stop_market');
    expect(stop).toMatchObject({ stopPrice: '29400.00', trailing: { amount: '600.00' } });
    expect(stop!.trailing).not.toHaveProperty('bps');
    // The plan keeps the alert's level and the distance its stop was placed with.
    const [plan] = backend.store.sqlite
      .prepare('SELECT status, stop_loss AS stopLoss, result FROM exchange_brackets')
      .all() as Array<{ status: string; stopLoss: string; result: string }>;
    expect(plan!.status).toBe('placed');
    expect(JSON.parse(plan!.stopLoss)).toEqual({ trailAmount: '600' });
    const result = JSON.parse(plan!.result) as Record<string, unknown>;
    expect(result).toMatchObject({ stopLossTrailAmount: '600.00' });
    expect(result).not.toHaveProperty('stopLossTrailBps');
  });
});

describe('placeholders', () => {
  it('names the unreplaced placeholder instead of a JSON parse error', async () => {
    const res = await post(
      `/hooks/tv/${t.token}`,
      '{"ticker":"{{ticker}}","action":"buy","quantity":{{strategy.order.contracts}}}',
      { 'content-type': 'application/json' },
    );
    expect(res.statusCode).toBe(400);
    const p = res.json();
    expect(p).toMatchObject({ code: 'alert_unreadable', success: false });
    const text = JSON.stringify(p);
    expect(text).toContain('{{ticker}}');
    expect(text).toContain('{{strategy.order.contracts}}');
    expect(text).not.toContain('not valid');
  });
});
