import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { rejects, trader } from '../../helpers/exchange';
import { ALL_PERMISSIONS, FakeKraken } from '../../fakes/kraken/server';
import { MemoryBroker } from '../../fakes/memory-broker';

/**
 * Trailing stops from alerts and the API at broker accounts: Kraken places them natively, by
 * percent or by an amount in price units (the strict fake checks what arrives), a broker that
 * cannot refuses them by name before anything is sent, and what Kraken cannot express (an
 * activation price, an amount finer than the pair's prices) is refused too.
 */

let backend: TestBackend;
let fake: FakeKraken;
let memory: MemoryBroker;
let me: Principal;

const invoke = <T>(name: string, input: unknown) => backend.invoke(name, input, me) as Promise<T>;

interface Created {
  account: { id: string };
  webhookToken: string;
}

const alert = async (token: string, body: Record<string, unknown>) => {
  const res = await backend.http.inject({
    method: 'POST',
    url: `/hooks/tv/${token}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
};

/** A Kraken account on the fake with a trade-only key (Bourse refuses keys that can withdraw). */
const kraken = () => {
  const key = fake.addKey(ALL_PERMISSIONS.filter((p) => p !== 'withdraw'));
  return invoke<Created>('accounts.create', {
    venue: 'kraken',
    name: 'Kraken',
    settings: { baseUrl: fake.settings.baseUrl, wsUrl: fake.settings.wsUrl },
    credentials: key,
  });
};

/** Refused with this code, naming this field. */
const refusedOn = async (p: Promise<unknown>, code: string, field: string) => {
  const e = (await rejects(p, code)) as { details?: { field?: string } };
  expect(e.details?.field).toBe(field);
};

/** Orders sent (not the connection test's `validate=true` probe). */
const addOrders = () =>
  fake.requests.filter((r) => r.path === '/0/private/AddOrder' && !r.body.includes('validate='));
const lastAdd = () => new URLSearchParams(addOrders().at(-1)!.body);

beforeEach(async () => {
  fake = await FakeKraken.start();
  memory = new MemoryBroker();
  backend = await startTestBackend({}, { extraBrokers: [memory.definition()] });
  me = trader((await createUser(backend, 'trader')).userId);
});
afterEach(async () => {
  await backend.cleanup();
  await fake.close();
});

describe('trailing stops at brokers', () => {
  it('a TradersPost trailing_stop alert becomes a Kraken trailing-stop order', async () => {
    const { account, webhookToken } = await kraken();
    const res = await alert(webhookToken, {
      ticker: 'BTC/USD',
      action: 'sell',
      orderType: 'trailing_stop',
      trailPercent: 2,
      quantity: '0.001',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(lastAdd().get('ordertype')).toBe('trailing-stop');
    expect(lastAdd().get('price')).toBe('+2%');
    const order = [...fake.book.orders.values()][0]!;
    expect(order).toMatchObject({ ordertype: 'trailing-stop', price: '58800', vol: '0.001' });

    // The account's state shows it trailing once synced, and says what the broker can do.
    fake.tradeAt('XXBTZUSD', '61000');
    await invoke('accounts.sync', { id: account.id }).catch(() => undefined);
    const state = await invoke<{
      trailing: { entry: boolean; stopLoss: boolean; amount: boolean };
      orders: Array<{ orderId: string; stopPrice: string | null; trailPercent: string | null }>;
    }>('brokers.state', { id: account.id });
    expect(state.trailing).toEqual({ entry: true, stopLoss: true, amount: true });
    expect(state.orders).toEqual([
      expect.objectContaining({ orderId: order.txid, trailPercent: '2', stopPrice: '59780' }),
    ]);
  });

  it('a trailing stop-loss on an entry alert rides on the Kraken order as its conditional close', async () => {
    const { webhookToken } = await kraken();
    const res = await alert(webhookToken, {
      ticker: 'BTC/USD',
      action: 'buy',
      quantity: '0.001',
      stopLoss: { type: 'trailing_stop', trailPercent: 1.5 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(lastAdd().get('ordertype')).toBe('market');
    expect(lastAdd().get('close[ordertype]')).toBe('trailing-stop');
    expect(lastAdd().get('close[price]')).toBe('+1.5%');
    // Filled at 60,000: the fake placed the close, trailing 1.5 % under it.
    expect([...fake.book.orders.values()].at(-1)).toMatchObject({
      side: 'sell',
      ordertype: 'trailing-stop',
      price: '59100',
    });
  });

  it('refuses what Kraken cannot express, sending nothing', async () => {
    const { webhookToken } = await kraken();
    const refusals = [
      // Kraken trails from its last price: no activation price.
      [
        { orderType: 'trailing_stop', trailPercent: 2, stopPrice: '65000' },
        'unsupported_order_type',
        'activation price',
      ],
      // Finer than the exchange's 0.01 %.
      [{ orderType: 'trailing_stop', trailPercent: 0.005 }, 'validation_failed', 'trailPercent'],
    ] as const;
    for (const [extra, code, text] of refusals) {
      const res = await alert(webhookToken, {
        ticker: 'BTC/USD',
        action: 'sell',
        quantity: '0.001',
        ...extra,
      });
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
      expect(res.body).toMatchObject({ code });
      expect(JSON.stringify(res.body)).toContain(text);
    }
    expect(addOrders()).toHaveLength(0);
  });

  it('a broker without trailing stops refuses them (by percent or amount) by name and sends nothing', async () => {
    const { webhookToken } = await invoke<Created>('accounts.create', {
      venue: 'memory',
      name: 'No trail',
      settings: { server: 'DEMO-1' },
      credentials: { apiKey: 'good' },
    });
    for (const body of [
      { orderType: 'trailing_stop', trailPercent: 2 },
      { stopLoss: { type: 'trailing_stop', trailPercent: 2 } },
      { orderType: 'trailing_stop', trailAmount: 0.002 },
      { stopLoss: { type: 'trailing_stop', trailAmount: 0.002 } },
    ]) {
      const res = await alert(webhookToken, {
        ticker: 'EURUSD',
        action: 'sell',
        quantity: '0.1',
        ...body,
      });
      expect(res.body, JSON.stringify(res.body)).toMatchObject({ code: 'unsupported_order_type' });
      expect(JSON.stringify(res.body)).toContain(
        'this memory account does not take trailing stops',
      );
    }
    expect(memory.placed).toBe(0);
  });

  it('brokers.place takes trailPercent and stopLossTrailPercent where the broker can', async () => {
    const { account } = await kraken();
    const placed = await invoke<{ trailPercent: string | null; type: string }>('brokers.place', {
      id: account.id,
      symbol: 'BTC/USD',
      side: 'sell',
      type: 'stop',
      qty: '0.001',
      trailPercent: '2.5',
    });
    expect(placed).toMatchObject({ type: 'stop', trailPercent: '2.5' });
    expect(lastAdd().get('price')).toBe('+2.5%');

    const bad = [
      [{ type: 'stop', trailPercent: '2', stopPrice: '59000' }, 'stopPrice'],
      [{ type: 'limit', price: '59000', trailPercent: '2' }, 'type'],
      [{ type: 'stop', trailPercent: '0.001' }, 'trailPercent'],
      [{ type: 'stop', trailPercent: '51' }, 'trailPercent'],
      [{ type: 'market', stopLossTrailPercent: '1', stopLoss: '50000' }, 'stopLossTrailPercent'],
    ] as const;
    const before = addOrders().length;
    // Not a positive decimal string: the schema refuses it.
    for (const extra of [
      { trailPercent: 'abc' },
      { trailPercent: 2 },
      { stopLossTrailPercent: '' },
    ]) {
      await rejects(
        invoke('brokers.place', {
          id: account.id,
          symbol: 'BTC/USD',
          side: 'sell',
          type: 'stop',
          qty: '0.001',
          ...extra,
        }),
        'validation_failed',
      );
    }
    for (const [extra, field] of bad) {
      await refusedOn(
        invoke('brokers.place', {
          id: account.id,
          symbol: 'BTC/USD',
          side: 'sell',
          qty: '0.001',
          ...extra,
        }),
        'validation_failed',
        field,
      );
    }
    expect(addOrders()).toHaveLength(before);
  });

  it('a TradersPost trailing_stop alert by trailAmount becomes a Kraken trailing-stop by +amount', async () => {
    const { account, webhookToken } = await kraken();
    const res = await alert(webhookToken, {
      ticker: 'BTC/USD',
      action: 'sell',
      orderType: 'trailing_stop',
      trailAmount: 50,
      quantity: '0.001',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(lastAdd().get('ordertype')).toBe('trailing-stop');
    expect(lastAdd().get('price')).toBe('+50');
    const order = [...fake.book.orders.values()][0]!;
    expect(order).toMatchObject({ ordertype: 'trailing-stop', price: '59950' });

    // The market rises: the trigger follows 50 under the high; the state shows it by amount.
    fake.tradeAt('XXBTZUSD', '61000');
    await invoke('accounts.sync', { id: account.id }).catch(() => undefined);
    const state = await invoke<{
      orders: Array<{ orderId: string; stopPrice: string | null; trailAmount: string | null }>;
    }>('brokers.state', { id: account.id });
    expect(state.orders).toEqual([
      expect.objectContaining({
        orderId: order.txid,
        trailAmount: '50',
        trailPercent: null,
        stopPrice: '60950',
      }),
    ]);
    // It turns: the stop fires at its trigger.
    fake.tradeAt('XXBTZUSD', '60950');
    expect(order.status).toBe('closed');
    expect([...fake.book.trades.values()].at(-1)).toMatchObject({ side: 'sell', price: '60950' });
  });

  it('a trailing stop-loss by trailAmount rides on the Kraken order as its conditional close', async () => {
    const { webhookToken } = await kraken();
    const res = await alert(webhookToken, {
      ticker: 'BTC/USD',
      action: 'buy',
      quantity: '0.001',
      stopLoss: { type: 'trailing_stop', trailAmount: 120 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(lastAdd().get('close[ordertype]')).toBe('trailing-stop');
    expect(lastAdd().get('close[price]')).toBe('+120');
    expect([...fake.book.orders.values()].at(-1)).toMatchObject({
      side: 'sell',
      ordertype: 'trailing-stop',
      price: '59880',
    });
  });

  it('an alert trailing by more decimals than the pair is refused by Kraken, not rounded', async () => {
    const { webhookToken } = await kraken();
    const res = await alert(webhookToken, {
      ticker: 'BTC/USD',
      action: 'sell',
      orderType: 'trailing_stop',
      trailAmount: '50.05',
      quantity: '0.001',
    });
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(res.body)).toContain('more decimals than BTC/USD');
    expect(addOrders()).toHaveLength(0);
  });

  it('brokers.place takes trailAmount and stopLossTrailAmount where the broker trails by amount', async () => {
    const { account } = await kraken();
    const placed = await invoke<{
      trailAmount: string | null;
      trailPercent: string | null;
      type: string;
    }>('brokers.place', {
      id: account.id,
      symbol: 'BTC/USD',
      side: 'sell',
      type: 'stop',
      qty: '0.001',
      trailAmount: '50',
    });
    expect(placed).toMatchObject({ type: 'stop', trailAmount: '50', trailPercent: null });
    expect(lastAdd().get('price')).toBe('+50');
    await invoke('brokers.place', {
      id: account.id,
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'market',
      qty: '0.001',
      stopLossTrailAmount: '120',
    });
    expect(lastAdd().get('close[price]')).toBe('+120');

    const before = addOrders().length;
    const bad = [
      [{ type: 'stop', trailPercent: '2', trailAmount: '50' }, 'trailAmount'],
      [
        { type: 'market', stopLossTrailPercent: '1', stopLossTrailAmount: '50' },
        'stopLossTrailAmount',
      ],
      [{ type: 'stop', trailAmount: '50', stopPrice: '59000' }, 'stopPrice'],
      [{ type: 'limit', price: '59000', trailAmount: '50' }, 'type'],
      [{ type: 'market', stopLossTrailAmount: '50', stopLoss: '50000' }, 'stopLossTrailAmount'],
    ] as const;
    for (const [extra, field] of bad) {
      await refusedOn(
        invoke('brokers.place', {
          id: account.id,
          symbol: 'BTC/USD',
          side: 'sell',
          qty: '0.001',
          ...extra,
        }),
        'validation_failed',
        field,
      );
    }
    // Not a positive decimal: refused (by the schema, or as zero) before anything is sent.
    for (const trailAmount of ['0', '-5', 'abc', '']) {
      await rejects(
        invoke('brokers.place', {
          id: account.id,
          symbol: 'BTC/USD',
          side: 'sell',
          type: 'stop',
          qty: '0.001',
          trailAmount,
        }),
        'validation_failed',
      );
    }
    // Finer than the pair's prices: Kraken's connector refuses it rather than round it.
    const e = (await rejects(
      invoke('brokers.place', {
        id: account.id,
        symbol: 'BTC/USD',
        side: 'sell',
        type: 'stop',
        qty: '0.001',
        trailAmount: '50.05',
      }),
      'broker_invalid_request',
    )) as { message: string };
    expect(e.message).toContain('more decimals than BTC/USD prices take (1)');
    expect(addOrders()).toHaveLength(before);
  });

  it('brokers.place refuses a trailing amount at a broker that cannot trail, by name', async () => {
    const { account } = await invoke<Created>('accounts.create', {
      venue: 'memory',
      name: 'No trail',
      settings: { server: 'DEMO-1' },
      credentials: { apiKey: 'good' },
    });
    for (const [extra, field] of [
      [{ type: 'stop', trailAmount: '0.002' }, 'trailAmount'],
      [{ type: 'market', stopLossTrailAmount: '0.002' }, 'stopLossTrailAmount'],
    ] as const) {
      const e = (await rejects(
        invoke('brokers.place', {
          id: account.id,
          symbol: 'EURUSD',
          side: 'sell',
          qty: '0.1',
          ...extra,
        }),
        'unsupported_by_venue',
      )) as { message: string; details?: { field?: string } };
      expect(e.details?.field).toBe(field);
      expect(e.message).toContain("No trail's broker does not place trailing");
    }
    expect(memory.placed).toBe(0);
  });

  it('brokers.place refuses a trailing stop at a broker that cannot place one', async () => {
    const { account } = await invoke<Created>('accounts.create', {
      venue: 'memory',
      name: 'No trail',
      settings: { server: 'DEMO-1' },
      credentials: { apiKey: 'good' },
    });
    await refusedOn(
      invoke('brokers.place', {
        id: account.id,
        symbol: 'EURUSD',
        side: 'sell',
        type: 'stop',
        qty: '0.1',
        trailPercent: '1',
      }),
      'unsupported_by_venue',
      'trailPercent',
    );
    expect(memory.placed).toBe(0);
  });
});
