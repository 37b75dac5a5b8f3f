// Trailing stops through the Binance facade, as Binance's trailing stop FAQ describes them:
// `trailingDelta` (basis points) on STOP_LOSS and STOP_LOSS_LIMIT, `stopPrice` optional (an
// activation price when sent), the TRAILING_DELTA filter, `trailingDelta`/`trailingTime` in
// the order answers and `d`/`D` in the user data stream's executionReport — which reports the
// trigger and the fill, not each move of the stop. An OCO's stop leg trails the same way
// (`aboveTrailingDelta`/`belowTrailingDelta` on orderList/oco, `trailingDelta` on order/oco).
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

let listening: string | undefined;
/** The WebSocket API's address (the backend listens once, for the first test that asks). */
const wsApiUrl = async () => {
  listening ??= await backend.listen();
  return `${listening.replace('http', 'ws')}/binance/ws-api/v3`;
};

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
    const wsApi = await wsApiUrl();
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

/** A sell OCO of 0.01 BTC: a take profit at 32000 and a STOP_LOSS trailing `delta` bps. */
const trailingOco = (delta: string, extra: Record<string, string> = {}) => ({
  symbol: 'BTCUSDT',
  side: 'SELL',
  quantity: '0.0100',
  aboveType: 'LIMIT_MAKER',
  abovePrice: '32000.00',
  belowType: 'STOP_LOSS',
  belowTrailingDelta: delta,
  ...extra,
});

type Reports = Msg & { orderReports: Msg[] };

describe('trailing stop legs in OCO lists', () => {
  it('orderList/oco with belowTrailingDelta and no belowStopPrice: the stop trails, its trigger expires the take profit', async () => {
    await tradeAt('30000.00');
    const placed = (await ok(send('POST', '/orderList/oco', trailingOco('500')))) as Reports;
    expect(placed).toMatchObject({ listStatusType: 'EXEC_STARTED', listOrderStatus: 'EXECUTING' });
    const [stop, take] = placed.orderReports;
    // The stop leg first: 5 % under the last price, tracking since it was placed.
    expect(stop).toMatchObject({
      type: 'STOP_LOSS',
      status: 'NEW',
      stopPrice: '28500.00',
      trailingDelta: 500,
      trailingTime: expect.any(Number),
    });
    const since = stop!.trailingTime as number;
    expect(since).toBeGreaterThan(0);
    expect(take).toMatchObject({ type: 'LIMIT_MAKER', status: 'NEW', price: '32000.00' });
    expect(take).not.toHaveProperty('trailingDelta');

    await tradeAt('31000.00'); // a new high: the stop follows
    expect(await getOrder(stop!.orderId)).toMatchObject({
      orderListId: placed.orderListId,
      type: 'STOP_LOSS',
      status: 'NEW',
      stopPrice: '29450.00',
      trailingDelta: 500,
      trailingTime: since,
    });
    await tradeAt('30500.00'); // not a new high: the stop stays
    expect((await getOrder(stop!.orderId)).stopPrice).toBe('29450.00');
    const limitLeg = await getOrder(take!.orderId);
    expect(limitLeg).toMatchObject({ type: 'LIMIT_MAKER', status: 'NEW' });
    expect(limitLeg).not.toHaveProperty('trailingDelta');

    // The fall to 29450 triggers the stop, which sells into bob's bid; the take profit ends.
    await place(backend, 'bob', limit('buy', '29400.00', '0.0100'));
    await tradeAt('29450.00');
    expect(await getOrder(stop!.orderId)).toMatchObject({
      status: 'FILLED',
      executedQty: '0.0100',
      cummulativeQuoteQty: '294.000000',
      trailingDelta: 500,
      trailingTime: since,
    });
    expect(await getOrder(take!.orderId)).toMatchObject({
      status: 'EXPIRED',
      executedQty: '0.0000',
    });
    const list = await ok(send('GET', '/orderList', { orderListId: String(placed.orderListId) }));
    expect(list).toMatchObject({ listStatusType: 'ALL_DONE', listOrderStatus: 'ALL_DONE' });
  });

  it('order/oco with trailingDelta (a buy, from the last price), and an activation price', async () => {
    await tradeAt('30000.00');
    const legacy = (await ok(
      send('POST', '/order/oco', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        quantity: '0.0100',
        price: '29000.00',
        trailingDelta: '100',
        stopLimitPrice: '31000.00',
        stopLimitTimeInForce: 'GTC',
      }),
    )) as Reports;
    const [stop, take] = legacy.orderReports;
    // A buy's stop is 1 % above the lowest trade since it was placed.
    expect(stop).toMatchObject({
      type: 'STOP_LOSS_LIMIT',
      side: 'BUY',
      stopPrice: '30300.00',
      trailingDelta: 100,
    });
    expect(take).toMatchObject({ type: 'LIMIT_MAKER', price: '29000.00' });
    await tradeAt('29800.00'); // a new low: the stop comes down
    expect(await getOrder(stop!.orderId)).toMatchObject({
      stopPrice: '30098.00',
      trailingDelta: 100,
      trailingTime: stop!.trailingTime,
    });
    const cancelled = (await ok(
      send('DELETE', '/orderList', {
        symbol: 'BTCUSDT',
        orderListId: String(legacy.orderListId),
      }),
    )) as Reports;
    expect(cancelled.orderReports).toMatchObject([
      { status: 'CANCELED', trailingDelta: 100, trailingTime: stop!.trailingTime },
      { status: 'CANCELED', type: 'LIMIT_MAKER' },
    ]);

    // With belowStopPrice too, the stop leg waits for it (trailingTime -1), then tracks.
    const waiting = (await ok(
      send('POST', '/orderList/oco', trailingOco('200', { belowStopPrice: '29500.00' })),
    )) as Reports;
    const leg = waiting.orderReports[0]!;
    expect(leg).toMatchObject({ stopPrice: '29500.00', trailingDelta: 200, trailingTime: -1 });
    await tradeAt('29400.00'); // activates, tracks from 29400: 2 % under it
    const tracking = await getOrder(leg.orderId);
    expect(tracking).toMatchObject({ status: 'NEW', stopPrice: '28812.00', trailingDelta: 200 });
    expect(tracking.trailingTime).toBeGreaterThan(0);
    await ok(
      send('DELETE', '/orderList', {
        symbol: 'BTCUSDT',
        orderListId: String(waiting.orderListId),
      }),
    );
  });

  it('refuses what Binance refuses: the filter, a delta on the limit maker, no stop price or delta', async () => {
    // Last price 29400 (the test before).
    const filter = { code: -1013, msg: 'Filter failure: TRAILING_DELTA' };
    const legacySell = { symbol: 'BTCUSDT', side: 'SELL', quantity: '0.0100', price: '31000.00' };
    const { belowTrailingDelta: _delta, ...noDelta } = trailingOco('100');
    const cases: Array<[string, Record<string, string>, Msg]> = [
      ['/orderList/oco', trailingOco('9'), filter],
      ['/orderList/oco', trailingOco('2001'), filter],
      [
        '/orderList/oco',
        {
          symbol: 'BTCUSDT',
          side: 'BUY',
          quantity: '0.0100',
          aboveType: 'STOP_LOSS',
          aboveTrailingDelta: '2001',
          belowType: 'LIMIT_MAKER',
          belowPrice: '29000.00',
        },
        filter,
      ],
      ['/order/oco', { ...legacySell, trailingDelta: '5000' }, filter],
      [
        '/orderList/oco',
        trailingOco('1.5'),
        { code: -1100, msg: "Illegal characters found in parameter 'belowTrailingDelta'." },
      ],
      // A sell's limit maker is the above order: it cannot trail.
      [
        '/orderList/oco',
        trailingOco('100', { aboveTrailingDelta: '100' }),
        { code: -1106, msg: "Parameter 'aboveTrailingDelta' sent when not required." },
      ],
      [
        '/orderList/oco',
        noDelta,
        {
          code: -1102,
          msg: "Param 'belowStopPrice' or 'belowTrailingDelta' must be sent, but both were empty/null!",
        },
      ],
      [
        '/order/oco',
        legacySell,
        {
          code: -1102,
          msg: "Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!",
        },
      ],
      // The take profit under the trailing stop's first stop price (27930).
      [
        '/orderList/oco',
        trailingOco('500', { abovePrice: '27900.00' }),
        { code: -2010, msg: 'The relationship of the prices for the orders is not correct.' },
      ],
      // ETHUSDT never traded: nothing to trail from without a stop price.
      [
        '/orderList/oco',
        { ...trailingOco('100'), symbol: 'ETHUSDT', quantity: '0.1000', abovePrice: '2000.00' },
        {
          code: -1102,
          msg: "Mandatory parameter 'belowStopPrice' was not sent, was empty/null, or malformed.",
          bourse: { code: 'no_reference_price' },
        },
      ],
    ];
    for (const [path, params, body] of cases) {
      const r = await send('POST', path, params);
      expect(r, `${path} ${JSON.stringify(params)}`).toMatchObject({ status: 400, body });
    }
    expect(await ok(send('GET', '/openOrderList', {}))).toEqual([]);
    expect(await ok(send('GET', '/openOrders', { symbol: 'BTCUSDT' }))).toEqual([]);
  });

  it('placed over the WebSocket API, the legs are reported with d and D on the stop, no move', async () => {
    const wsApi = await wsApiUrl();
    const { ws, messages } = await openSocket<Msg>(wsApi);
    /** A signed WebSocket API request: Ed25519 over the parameters sorted by name. */
    const request = (id: string, method: string, params: Record<string, string>) => {
      const all: Record<string, string> = {
        ...params,
        apiKey: alice.id,
        timestamp: String(freshTimestamp()),
      };
      const payload = Object.keys(all)
        .sort()
        .map((k) => `${k}=${all[k]}`)
        .join('&');
      const signature = crypto
        .sign(null, Buffer.from(payload), alice.privateKey)
        .toString('base64');
      ws.send(JSON.stringify({ id, method, params: { ...all, signature } }));
    };
    const answer = async (id: string) => {
      await until(() => messages.some((m) => m.id === id));
      return messages.find((m) => m.id === id)!;
    };
    request('sub', 'userDataStream.subscribe.signature', {});
    expect(await answer('sub')).toMatchObject({ status: 200 });

    await tradeAt('30000.00');
    request('oco', 'orderList.place.oco', trailingOco('300'));
    const placed = (await answer('oco')) as { status: number; result: Reports };
    expect(placed.status).toBe(200);
    const [stop, take] = placed.result.orderReports;
    expect(stop).toMatchObject({ type: 'STOP_LOSS', stopPrice: '29100.00', trailingDelta: 300 });
    const reportsOf = (orderId: unknown) =>
      messages
        .map((m) => m.event as Msg | undefined)
        .filter((e): e is Msg => e?.e === 'executionReport' && e.i === orderId);
    await until(
      () => reportsOf(stop!.orderId).length === 1 && reportsOf(take!.orderId).length === 1,
    );
    expect(reportsOf(stop!.orderId)[0]).toMatchObject({
      x: 'NEW',
      o: 'STOP_LOSS',
      g: placed.result.orderListId,
      P: '29100.00',
      d: 300,
      D: stop!.trailingTime,
    });
    expect(reportsOf(take!.orderId)[0]).toMatchObject({ x: 'NEW', o: 'LIMIT_MAKER' });
    expect(reportsOf(take!.orderId)[0]).not.toHaveProperty('d');

    await tradeAt('30500.00'); // the stop moves to 29585: not reported
    expect((await getOrder(stop!.orderId)).stopPrice).toBe('29585.00');
    request('ping', 'ping', {});
    await answer('ping');
    expect(reportsOf(stop!.orderId)).toHaveLength(1);

    // Triggered at 29585, it sells into bob's bid; the take profit is reported EXPIRED.
    await place(backend, 'bob', limit('buy', '29580.00', '0.0100'));
    await tradeAt('29585.00');
    await until(
      () => reportsOf(stop!.orderId).length === 2 && reportsOf(take!.orderId).length === 2,
    );
    expect(reportsOf(stop!.orderId)[1]).toMatchObject({
      x: 'TRADE',
      X: 'FILLED',
      L: '29580.00',
      d: 300,
      D: stop!.trailingTime,
    });
    expect(reportsOf(take!.orderId)[1]).toMatchObject({ x: 'EXPIRED', X: 'EXPIRED' });
    await until(() =>
      messages.some(
        (m) =>
          (m.event as Msg | undefined)?.e === 'listStatus' && (m.event as Msg).L === 'ALL_DONE',
      ),
    );
    ws.close();
  });
});
