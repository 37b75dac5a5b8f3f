// Trailing stops through the Binance facade, as Binance's trailing stop FAQ describes them:
// `trailingDelta` (basis points) on STOP_LOSS and STOP_LOSS_LIMIT, `stopPrice` optional (an
// activation price when sent), the TRAILING_DELTA filter, `trailingDelta`/`trailingTime` in
// the order answers and `d`/`D` in the user data stream's executionReport — which reports the
// trigger and the fill, not each move of the stop.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Published } from '../../../src-main/events/hub';
import { createApiKey, createOwner, createUser, type TestApiKey } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, limit, place } from '../../helpers/exchange';
import { openSocket, until } from '../../helpers/ws-client';

type Msg = Record<string, unknown>;
let backend: TestBackend;
let alice: TestApiKey;
let aliceId: string;
const published: Published[] = [];

/** A fresh timestamp per signed request (the replay guard refuses the same one twice). */
let lastTimestamp = 0;
const freshTimestamp = () => (lastTimestamp = Math.max(Date.now(), lastTimestamp + 1));

/** A request signed with alice's key, as a Binance client sends it. */
async function send(method: 'GET' | 'POST' | 'DELETE', path: string, params: Msg | object) {
  const all = { ...(params as Record<string, string>), timestamp: String(freshTimestamp()) };
  const query = new URLSearchParams(all).toString();
  const signature = crypto.sign(null, Buffer.from(query), alice.privateKey).toString('base64');
  const res = await backend.http.inject({
    method,
    url: `/api/v3${path}?${query}&signature=${encodeURIComponent(signature)}`,
    headers: { 'x-mbx-apikey': alice.id },
  });
  return { status: res.statusCode, body: res.json() as Msg };
}

const ok = async (a: ReturnType<typeof send>) => {
  const r = await a;
  if (r.status !== 200) throw new Error(`answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
};

/** Carol sells dave 0.01 BTC at `price`: the last price is then `price`. */
async function tradeAt(price: string): Promise<void> {
  await place(backend, 'carol', limit('sell', price, '0.0100'));
  await place(backend, 'dave', limit('buy', price, '0.0100', { tif: 'IOC' }));
}

const getOrder = (orderId: unknown) =>
  ok(send('GET', '/order', { symbol: 'BTCUSDT', orderId: String(orderId) }));

/** A STOP_LOSS sell of 0.01 BTC trailing `trailingDelta` bps, in Binance's parameters. */
const trailingSell = (trailingDelta: string, extra: Record<string, string> = {}) => ({
  symbol: 'BTCUSDT',
  side: 'SELL',
  type: 'STOP_LOSS',
  quantity: '0.0100',
  trailingDelta,
  ...extra,
});

beforeAll(async () => {
  backend = await startTestBackend();
  await createOwner(backend);
  const a = await createUser(backend, 'trader');
  aliceId = a.userId;
  alice = await createApiKey(backend, a, { scopes: ['read', 'trade'] });
  await fund(backend, aliceId, 'BTC', '1');
  await fund(backend, aliceId, 'USDT', '10000');
  await fund(backend, 'bob', 'USDT', '10000');
  await fund(backend, 'carol', 'BTC', '10');
  await fund(backend, 'dave', 'USDT', '1000000');
  backend.hub.subscribe(
    (m) => void published.push(m),
    (stream) => stream === 'orders',
  );
}, 60_000);
afterAll(async () => {
  await backend.cleanup();
});

describe('trailingDelta through the Binance facade', () => {
  it('publishes TRAILING_DELTA in exchangeInfo and allows trailing stops', async () => {
    const info = (await backend.http.inject({ url: '/api/v3/exchangeInfo?symbol=BTCUSDT' })).json<{
      symbols: Array<{ allowTrailingStop: boolean; filters: Msg[] }>;
    }>();
    expect(info.symbols[0]!.allowTrailingStop).toBe(true);
    expect(info.symbols[0]!.filters).toContainEqual({
      filterType: 'TRAILING_DELTA',
      minTrailingAboveDelta: 10,
      maxTrailingAboveDelta: 2000,
      minTrailingBelowDelta: 10,
      maxTrailingBelowDelta: 2000,
    });
  });

  it('refuses a trailing stop where the market never traded, asking for a stopPrice', async () => {
    const r = await send('POST', '/order/test', trailingSell('100'));
    expect(r).toMatchObject({
      status: 400,
      body: {
        code: -1102,
        msg: "Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed.",
        bourse: { code: 'no_reference_price' },
      },
    });
  });

  it('trails a STOP_LOSS sell without stopPrice from the last price, then triggers and fills', async () => {
    await tradeAt('30000.00');
    const placed = await ok(
      send('POST', '/order', { ...trailingSell('500'), newOrderRespType: 'RESULT' }),
    );
    // 5 % under the last price, tracking since it was placed.
    expect(placed).toMatchObject({
      status: 'NEW',
      type: 'STOP_LOSS',
      stopPrice: '28500.00',
      trailingDelta: 500,
      trailingTime: expect.any(Number),
    });
    const since = placed.trailingTime as number;
    expect(since).toBeGreaterThan(0);

    await tradeAt('31000.00'); // a new high: the stop follows, 5 % under it
    expect(await getOrder(placed.orderId)).toMatchObject({
      status: 'NEW',
      stopPrice: '29450.00',
      trailingDelta: 500,
      trailingTime: since,
    });
    await tradeAt('30500.00'); // not a new high: the stop stays
    const open = (await ok(send('GET', '/openOrders', { symbol: 'BTCUSDT' }))) as unknown as Msg[];
    expect(open).toEqual([
      expect.objectContaining({ orderId: placed.orderId, stopPrice: '29450.00' }),
    ]);

    // Bob bids under it; a trade at the stop price triggers it and it sells into his bid.
    await place(backend, 'bob', limit('buy', '29400.00', '0.0100'));
    await tradeAt('29450.00');
    expect(await getOrder(placed.orderId)).toMatchObject({
      status: 'FILLED',
      executedQty: '0.0100',
      cummulativeQuoteQty: '294.000000',
      trailingDelta: 500,
      trailingTime: since,
    });
    const all = (await ok(send('GET', '/allOrders', { symbol: 'BTCUSDT' }))) as unknown as Msg[];
    expect(all.find((o) => o.orderId === placed.orderId)).toMatchObject({ trailingDelta: 500 });
  });

  it('waits for the activation price of a STOP_LOSS_LIMIT (trailingTime -1), then tracks', async () => {
    // Last price 29400 (the fill before). A buy trailing 1 % once a trade reaches 29600.
    const placed = await ok(
      send('POST', '/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'STOP_LOSS_LIMIT',
        timeInForce: 'GTC',
        quantity: '0.0100',
        price: '30500.00',
        stopPrice: '29600.00',
        trailingDelta: '100',
        newOrderRespType: 'RESULT',
      }),
    );
    expect(placed).toMatchObject({
      status: 'NEW',
      type: 'STOP_LOSS_LIMIT',
      stopPrice: '29600.00',
      trailingDelta: 100,
      trailingTime: -1,
    });
    await tradeAt('29500.00'); // under the activation price: still waiting
    expect(await getOrder(placed.orderId)).toMatchObject({
      stopPrice: '29600.00',
      trailingTime: -1,
    });
    await tradeAt('29700.00'); // activates: tracks from 29700, 1 % above it
    const tracking = await getOrder(placed.orderId);
    expect(tracking).toMatchObject({ status: 'NEW', stopPrice: '29997.00', trailingDelta: 100 });
    expect(tracking.trailingTime).toBeGreaterThan(0);
    await tradeAt('29650.00'); // a new low: the stop comes down with it
    expect(await getOrder(placed.orderId)).toMatchObject({
      stopPrice: '29946.50',
      trailingTime: tracking.trailingTime,
    });
    const cancelled = await ok(
      send('DELETE', '/order', { symbol: 'BTCUSDT', orderId: String(placed.orderId) }),
    );
    expect(cancelled).toMatchObject({
      status: 'CANCELED',
      trailingDelta: 100,
      trailingTime: tracking.trailingTime,
    });
  });

  it('refuses what Binance refuses: the filter, a malformed delta, other order types', async () => {
    // Last price 29650. At the filter's bounds: accepted (order/test places nothing).
    for (const delta of ['10', '2000']) {
      expect(await send('POST', '/order/test', trailingSell(delta))).toEqual({
        status: 200,
        body: {},
      });
    }
    const filter = { code: -1013, msg: 'Filter failure: TRAILING_DELTA' };
    const cases: Array<[Record<string, string>, Msg]> = [
      [trailingSell('9'), filter],
      [trailingSell('2001'), filter],
      // The engine trails up to 5000 bps; the facade holds clients to Binance's filter.
      [{ ...trailingSell('5000'), side: 'BUY' }, filter],
      [
        trailingSell('10.5'),
        { code: -1100, msg: "Illegal characters found in parameter 'trailingDelta'." },
      ],
      [trailingSell('-10'), { code: -1100 }],
      [
        {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: '0.0100',
          price: '29000.00',
          trailingDelta: '100',
        },
        { code: -1106, msg: "Parameter 'trailingDelta' sent when not required." },
      ],
      [{ ...trailingSell('100'), type: 'MARKET' }, { code: -1106 }],
      // An activation price the last price already meets: refused as a plain stop is.
      [
        trailingSell('100', { stopPrice: '29650.00' }),
        { code: -2010, msg: 'Stop price would trigger immediately.' },
      ],
    ];
    for (const [params, body] of cases) {
      for (const path of ['/order', '/order/test']) {
        const r = await send('POST', path, params);
        expect(r, `${path} ${JSON.stringify(params)}`).toMatchObject({ status: 400, body });
      }
    }
    expect(await ok(send('GET', '/openOrders', { symbol: 'BTCUSDT' }))).toEqual([]);
  });
});

describe('trailing stops on the user data stream', () => {
  it('reports the placement and the fill with d and D, and no move of the stop', async () => {
    const wsApi = `${(await backend.listen()).replace('http', 'ws')}/binance/ws-api/v3`;
    const { ws, messages } = await openSocket<Msg>(wsApi);
    const sign = (text: string) =>
      crypto.sign(null, Buffer.from(text), alice.privateKey).toString('base64');
    const timestamp = freshTimestamp();
    ws.send(
      JSON.stringify({
        id: 'sub',
        method: 'userDataStream.subscribe.signature',
        params: {
          apiKey: alice.id,
          timestamp,
          signature: sign(`apiKey=${alice.id}&timestamp=${timestamp}`),
        },
      }),
    );
    await until(() => messages.some((m) => m.id === 'sub'));
    /** Every message sent before now has arrived once the ping sent now is answered. */
    let pings = 0;
    const settled = async () => {
      const id = `ping-${++pings}`;
      ws.send(JSON.stringify({ id, method: 'ping' }));
      await until(() => messages.some((m) => m.id === id));
    };
    let orderId = 0;
    const reports = () =>
      messages
        .map((m) => m.event as Msg | undefined)
        .filter((e): e is Msg => e?.e === 'executionReport' && e.i === orderId);
    const publishedFor = () =>
      published.filter((m) => (m.data as { orderId: number }).orderId === orderId).length;

    // Last price 29650 (the tests before).
    const placed = await ok(send('POST', '/order', trailingSell('200')));
    orderId = placed.orderId as number;
    await until(() => reports().length === 1);
    const since = reports()[0]!.D as number;
    expect(reports()[0]).toMatchObject({
      x: 'NEW',
      X: 'NEW',
      o: 'STOP_LOSS',
      P: '29057.00',
      d: 200,
      D: expect.any(Number),
    });
    expect(since).toBeGreaterThan(0);

    // Two new highs move the stop: the order is published again each time, never reported.
    await tradeAt('29800.00');
    await tradeAt('30000.00');
    expect(await getOrder(orderId)).toMatchObject({ status: 'NEW', stopPrice: '29400.00' });
    expect(publishedFor()).toBe(3);
    await settled();
    expect(reports()).toHaveLength(1);

    // Triggered at 29400, it sells into bob's bid: one report, the fill.
    await place(backend, 'bob', limit('buy', '29390.00', '0.0100'));
    await tradeAt('29400.00');
    await until(() => reports().length === 2);
    await settled();
    expect(reports()).toHaveLength(2);
    expect(reports()[1]).toMatchObject({
      x: 'TRADE',
      X: 'FILLED',
      l: '0.0100',
      L: '29390.00',
      d: 200,
      D: since,
    });
    ws.close();
  });
});
