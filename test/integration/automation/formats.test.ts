import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { createUser } from '../../helpers/auth';
import { balances, fund, trader } from '../../helpers/exchange';
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

  it('refuses a trailing distance in price units on the local exchange (it trails by percent), placing nothing', async () => {
    await json(`/hooks/tv/${t.token}`, { ticker: 'BTCUSDT', action: 'buy', quantity: 0.01 });
    for (const extra of [
      { orderType: 'trailing_stop', trailAmount: 150 },
      { stopLoss: { type: 'trailing_stop', trailAmount: 150 } },
    ]) {
      const res = await json(`/hooks/tv/${t.token}`, {
        ticker: 'BTCUSDT',
        action: extra.orderType ? 'sell' : 'buy',
        quantity: 0.01,
        ...extra,
      });
      expect(res.json(), res.body).toMatchObject({
        code: 'unsupported_order_type',
        success: false,
      });
      expect(res.body).toContain('trails by percent');
    }
    const open = (await backend.invoke('orders.list', { scope: 'open' }, trader(t.userId))) as {
      items: unknown[];
    };
    expect(open.items).toEqual([]);
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
