import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { trader } from '../../helpers/exchange';
import { startTradelockerFake, type TradelockerFakeHandle } from '../../fakes/tradelocker';
import { orderRow, tradeConfig } from '../../fakes/tradelocker/tables';

/**
 * The stop-loss and take-profit a TradeLocker order carries (its `stopLoss`/`takeProfit`
 * columns and their types), as Bourse shows them: both at once in `closes`, through
 * `brokers.place` and `brokers.state`, against the strict fake.
 */

let handle: TradelockerFakeHandle;
let backend: TestBackend;
let me: Principal;
const invoke = <T>(name: string, input: unknown) => backend.invoke(name, input, me) as Promise<T>;

const none = { price: null, offset: null, limitPrice: null, trailPercent: null, trailAmount: null };
const sl = (price: string) => ({ ...none, type: 'stop_loss', price });
const tp = (price: string) => ({ ...none, type: 'take_profit', price });

type OrderView = { orderId: string; clientOrderId: string | null; closes: unknown };

beforeEach(async () => {
  handle = await startTradelockerFake();
  backend = await startTestBackend();
  me = trader((await createUser(backend, 'trader')).userId);
});
afterEach(async () => {
  await backend.cleanup();
  await handle.close();
});

/** A TradeLocker account on the fake, created through the accounts operation. */
async function account(): Promise<string> {
  const { account } = await invoke<{ account: { id: string } }>('accounts.create', {
    venue: 'tradelocker',
    name: 'TL demo',
    settings: {
      email: handle.settings.email,
      server: handle.settings.server,
      baseUrl: handle.settings.baseUrl,
      pollMs: '250',
    },
    credentials: { password: handle.secrets.password },
  });
  return account.id;
}

const place = (id: string, clientOrderId: string, extra: Record<string, string>) =>
  invoke<OrderView>('brokers.place', {
    id,
    symbol: 'EURUSD',
    side: 'buy',
    type: 'limit',
    qty: '0.05',
    price: '1.0712',
    clientOrderId,
    ...extra,
  });

/** A EURUSD limit buy as TradeLocker's own platform would send it (placeOnPlatform). */
const PLATFORM_ORDER = {
  tradableInstrumentId: '206',
  qty: '0.05',
  side: 'buy',
  type: 'limit',
  price: 1.0712,
  stopPrice: null,
  validity: 'GTC',
  routeId: '9021',
  strategyId: null,
};

const closesIn = async (id: string) => {
  const s = await invoke<{ orders: OrderView[] }>('brokers.state', { id });
  return Object.fromEntries(s.orders.map((o) => [o.clientOrderId ?? o.orderId, o.closes]));
};

describe('the fake lists SL/TP columns as TradeLocker does', () => {
  it('only for an order placed with them, each with its type', () => {
    const book = handle.fake.book();
    const ids = (tradeConfig([]) as { ordersConfig: { columns: { id: string }[] } }).ordersConfig
      .columns;
    const named = (orderId: string) => {
      const cells = orderRow(book.orders.get(orderId)!, 'string');
      return Object.fromEntries(ids.map((c, i) => [c.id, cells[i]]));
    };
    const plain = handle.fake.placeOnPlatform({ ...PLATFORM_ORDER });
    const both = handle.fake.placeOnPlatform({
      ...PLATFORM_ORDER,
      stopLoss: 0.005,
      stopLossType: 'offset',
      takeProfit: 1.0999,
      takeProfitType: 'absolute',
    });
    expect(named(plain)).toMatchObject({
      stopLoss: null,
      stopLossType: null,
      takeProfit: null,
      takeProfitType: null,
    });
    expect(named(both)).toMatchObject({
      stopLoss: '0.005',
      stopLossType: 'offset',
      takeProfit: '1.0999',
      takeProfitType: 'absolute',
    });
    // A type is required with its value, and a take-profit does not trail.
    expect(() => handle.fake.placeOnPlatform({ ...PLATFORM_ORDER, stopLoss: 1.06 })).toThrow(
      /stopLossType/,
    );
    expect(() =>
      handle.fake.placeOnPlatform({
        ...PLATFORM_ORDER,
        takeProfit: 0.01,
        takeProfitType: 'trailingOffset',
      }),
    ).toThrow(/takeProfitType/);
  });

  it('places the stop-loss and take-profit of an offset order that distance from its price', () => {
    const id = handle.fake.placeOnPlatform({
      ...PLATFORM_ORDER,
      stopLoss: 0.005,
      stopLossType: 'offset',
      takeProfit: 0.01,
      takeProfitType: 'offset',
    });
    handle.fake.fill(id);
    const made = [...handle.fake.book().orders.values()].filter((o) => o.closes);
    expect(made.map((o) => [o.type, o.side, o.stopPrice ?? o.price])).toEqual([
      ['stop', 'sell', '1.0662'],
      ['limit', 'sell', '1.0812'],
    ]);
  });
});

describe('brokers.place and brokers.state show both closes of a TradeLocker order', () => {
  it('a pending order placed with a stop-loss and a take-profit lists both; one, or none', async () => {
    const id = await account();
    const both = await place(id, 'tl-both', { stopLoss: '1.0650', takeProfit: '1.0999' });
    // The placement answers what was sent; TradeLocker's row says the same once read.
    expect(both.closes).toEqual([sl('1.065'), tp('1.0999')]);
    const onlyTp = await place(id, 'tl-tp', { takeProfit: '1.0999' });
    expect(onlyTp.closes).toEqual([tp('1.0999')]);
    const plain = await place(id, 'tl-plain', {});
    expect(plain.closes).toEqual([]);
    const sent = handle.fake.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/orders'),
    );
    expect(JSON.parse(sent[0]!.body)).toMatchObject({
      stopLoss: 1.065,
      stopLossType: 'absolute',
      takeProfit: 1.0999,
      takeProfitType: 'absolute',
    });
    const expected = {
      'tl-both': [sl('1.065'), tp('1.0999')],
      'tl-tp': [tp('1.0999')],
      'tl-plain': [],
    };
    await expect.poll(() => closesIn(id), { timeout: 10_000 }).toEqual(expected);
    // Read back from TradeLocker's own rows: the same.
    await invoke('accounts.sync', { id });
    expect(await closesIn(id)).toEqual(expected);
  });

  it('an order placed on the platform by offset or trailing offset shows them as TradeLocker gives them', async () => {
    const id = await account();
    const offsets = handle.fake.placeOnPlatform({
      ...PLATFORM_ORDER,
      side: 'sell',
      type: 'limit',
      price: 1.0912,
      stopLoss: 0.005,
      stopLossType: 'offset',
      takeProfit: 0.0125,
      takeProfitType: 'offset',
      strategyId: 'platform-offsets',
    });
    const trailing = handle.fake.placeOnPlatform({
      ...PLATFORM_ORDER,
      side: 'buy',
      type: 'limit',
      price: 1.0712,
      stopLoss: 0.0025,
      stopLossType: 'trailingOffset',
      takeProfit: 1.0999,
      takeProfitType: 'absolute',
      strategyId: 'platform-trailing',
    });
    await invoke('accounts.sync', { id });
    const s = await invoke<{ orders: OrderView[] }>('brokers.state', { id });
    const byId = new Map(s.orders.map((o) => [o.orderId, o.closes]));
    expect(byId.get(offsets)).toEqual([
      { ...none, type: 'stop_loss', offset: '0.005' },
      { ...none, type: 'take_profit', offset: '0.0125' },
    ]);
    expect(byId.get(trailing)).toEqual([
      { ...none, type: 'trailing_stop', trailAmount: '0.0025' },
      tp('1.0999'),
    ]);
  });
});
