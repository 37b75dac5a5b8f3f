import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { trader } from '../../helpers/exchange';
import { MemoryBroker } from '../../fakes/memory-broker';
import { setUpTrading, type TradingSetup } from './setup';

/**
 * TradersPost's exit cancels the ticker's open orders, then flattens ("Order Behavior"): a
 * resting entry left behind would buy the position back after the exit. Each venue: the local
 * exchange cancels the account's resting buys on the market, the paper broker its waiting
 * orders there, a broker its orders on the symbol (a whole exit). Other formats' exits
 * (PineConnector closelong…) close only, as their tools document.
 */
let backend: TestBackend;
let t: TradingSetup;
let broker: MemoryBroker;

const hook = (token: string, body: Record<string, unknown> | string) =>
  backend.http.inject({
    method: 'POST',
    url: `/hooks/tv/${token}`,
    headers: { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

const openOrders = async (userId: string) =>
  (
    (await backend.invoke('orders.list', { scope: 'open' }, trader(userId))) as {
      items: Array<{ side: string; price: string | null }>;
    }
  ).items;

beforeEach(async () => {
  broker = new MemoryBroker();
  backend = await startTestBackend({}, { extraBrokers: [broker.definition()] });
  const user = await createUser(backend, 'trader');
  t = await setUpTrading(backend, user.userId, { paper: true });
});
afterEach(async () => {
  await backend.cleanup();
});

describe('a TradersPost exit cancels the orders that would reopen the position', () => {
  it('local exchange: the resting buy goes, the holding is sold', async () => {
    const buy = await hook(t.token, { ticker: 'BTCUSDT', action: 'buy', quantity: '0.1' });
    expect(buy.statusCode, buy.body).toBe(200);
    const resting = await hook(t.token, {
      ticker: 'BTCUSDT',
      action: 'buy',
      orderType: 'limit',
      limitPrice: t.farBelow,
      quantity: '0.2',
    });
    expect(resting.statusCode, resting.body).toBe(200);
    expect(await openOrders(t.userId)).toHaveLength(1);

    const exit = await hook(t.token, { ticker: 'BTCUSDT', action: 'exit' });
    expect(exit.statusCode, exit.body).toBe(200);
    expect(await openOrders(t.userId)).toEqual([]);
    expect(await t.baseBalance()).toBe('0.00000000');
  });

  it('local exchange: PineConnector closelong closes only (its pending orders have cancellong)', async () => {
    await hook(t.token, { ticker: 'BTCUSDT', action: 'buy', quantity: '0.1' });
    await hook(t.token, {
      ticker: 'BTCUSDT',
      action: 'buy',
      orderType: 'limit',
      limitPrice: t.farBelow,
      quantity: '0.2',
    });
    const close = await hook(t.token, `${t.token},closelong,BTCUSDT`);
    expect(close.statusCode, close.body).toBe(200);
    expect(await openOrders(t.userId)).toHaveLength(1);
  });

  it('paper: the waiting limit order goes with the exit', async () => {
    const token = t.paperToken!;
    await hook(token, { ticker: 'BTCUSDT', action: 'buy', quantity: '0.1' });
    await hook(token, {
      ticker: 'BTCUSDT',
      action: 'buy',
      orderType: 'limit',
      limitPrice: t.farBelow,
      quantity: '0.2',
    });
    const waiting = async () =>
      (
        (await backend.invoke(
          'accounts.orders',
          { id: t.paperAccountId, openOnly: true },
          trader(t.userId),
        )) as { items: unknown[] }
      ).items;
    expect(await waiting()).toHaveLength(1);
    const exit = await hook(token, { ticker: 'BTCUSDT', action: 'exit' });
    expect(exit.statusCode, exit.body).toBe(200);
    expect(await waiting()).toEqual([]);
    const positions = (await backend.invoke(
      'accounts.positions',
      { id: t.paperAccountId },
      trader(t.userId),
    )) as { items: unknown[] };
    expect(positions.items).toEqual([]);
  });

  it('broker: a whole exit cancels the symbol’s orders at the broker first', async () => {
    const { webhookToken } = (await backend.invoke(
      'accounts.create',
      {
        venue: 'memory',
        name: 'Broker',
        settings: { server: 'DEMO-1' },
        credentials: { apiKey: 'good' },
      },
      trader(t.userId),
    )) as { webhookToken: string };
    const exit = await hook(webhookToken, { ticker: 'EURUSD', action: 'exit' });
    expect(exit.statusCode, exit.body).toBe(200);
    expect(broker.cancelAllCalls).toEqual(['EURUSD']);
  });
});
