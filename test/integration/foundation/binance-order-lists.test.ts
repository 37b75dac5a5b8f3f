// The facade's order lists (OCO) against Binance's official OpenAPI specification, as
// binance-conformance.test.ts checks the other endpoints: every answer — successes and
// refusals — carries the fields and JSON types the specification requires, with a status it
// lists and the weight it documents; and the pair behaves as Binance describes it.
import crypto from 'node:crypto';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createOwner, createUser, type TestApiKey } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, limit as limitOrder, place } from '../../helpers/exchange';
import { responseSchema, violations, type OpenApiDoc } from '../../helpers/openapi';
import { missingRealData, readRealData } from '../../helpers/real-data';

const SPEC_FILE = 'specs/binance-spot/spot_api.yaml';
const missing = missingRealData(SPEC_FILE);

let spec: OpenApiDoc;
let backend: TestBackend;
let alice: TestApiKey;
let aliceId: string;
let bobId: string;
let clock = Date.UTC(2026, 0, 5, 12, 0, 0);

interface Answer {
  status: number;
  body: Record<string, unknown> & { orderReports?: Array<Record<string, unknown>> };
  weight: number;
  /** X-MBX-ORDER-COUNT-10S, when answered (placements). */
  orderCount10s?: number;
}

async function conforming(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Record<string, string>,
  /** The documented path whose answers this one shares (the older OCO endpoint's). */
  specPath = path,
): Promise<Answer> {
  const key: TestApiKey = alice;
  let query = new URLSearchParams({ ...params, timestamp: String(clock) }).toString();
  const signature = crypto.sign(null, Buffer.from(query), key.privateKey).toString('base64');
  query = `${query}&signature=${encodeURIComponent(signature)}`;
  const res = await backend.http.inject({
    method,
    url: `/api/v3${path}?${query}`,
    headers: { 'x-mbx-apikey': key.id },
  });
  const r = {
    status: res.statusCode,
    body: res.json() as Answer['body'],
    weight: Number(res.headers['x-mbx-used-weight-1m']),
    ...(res.headers['x-mbx-order-count-10s'] !== undefined
      ? { orderCount10s: Number(res.headers['x-mbx-order-count-10s']) }
      : {}),
  };
  const schema = responseSchema(spec, `/api/v3${specPath}`, method, r.status);
  const where = `${method} ${path} ${JSON.stringify(params)} → ${r.status}`;
  expect(schema, `${where}: a status the specification does not list`).toBeDefined();
  expect(violations(spec, schema!, r.body), `${where}: ${JSON.stringify(r.body)}`).toEqual([]);
  return r;
}

/** The weight an endpoint's answer added, checked against the specification's description. */
async function weighed(method: 'GET' | 'POST' | 'DELETE', path: string, p: Record<string, string>) {
  const ping = async () =>
    Number((await backend.http.inject({ url: '/api/v3/ping' })).headers['x-mbx-used-weight-1m']);
  const before = await ping();
  const r = await conforming(method, path, p);
  const text = spec.paths[`/api/v3${path}`]?.[method.toLowerCase()]?.description ?? '';
  const documented = Number(/Weight\(IP\): *([0-9]+)/.exec(text)?.[1]);
  expect(r.weight - before, `${method} ${path} weight`).toBe(documented);
  return r;
}

/** A sell OCO of 0.01 BTC: take profit at 31000, stop at 29000 (last price 30000). */
const sellOco = (extra: Record<string, string> = {}) => ({
  symbol: 'BTCUSDT',
  side: 'SELL',
  quantity: '0.0100',
  aboveType: 'LIMIT_MAKER',
  abovePrice: '31000.00',
  belowType: 'STOP_LOSS_LIMIT',
  belowStopPrice: '29000.00',
  belowPrice: '28900.00',
  belowTimeInForce: 'GTC',
  ...extra,
});

beforeAll(async () => {
  if (missing) return;
  spec = parse(readRealData(SPEC_FILE)) as OpenApiDoc;
  backend = await startTestBackend({ now: () => clock++ });
  await createOwner(backend);
  const a = await createUser(backend, 'trader');
  const b = await createUser(backend, 'trader');
  aliceId = a.userId;
  bobId = b.userId;
  alice = await createApiKey(backend, a, { scopes: ['read', 'trade'] });
  await fund(backend, aliceId, 'BTC', '1');
  await fund(backend, aliceId, 'USDT', '100000');
  await fund(backend, bobId, 'BTC', '10');
  await fund(backend, bobId, 'USDT', '100000');
  const c = await createUser(backend, 'trader');
  await fund(backend, c.userId, 'BTC', '1');
  // A trade at 30000: the last price the OCOs' stops are checked against.
  await place(backend, c.userId, limitOrder('sell', '30000.00', '0.0100'));
  await place(backend, bobId, limitOrder('buy', '30000.00', '0.0100'));
}, 60_000);
afterAll(async () => {
  await backend?.cleanup();
});

const title = 'Binance facade: order lists (OCO) against the official specification';
describe.skipIf(missing !== null)(missing ? `${title} (skipped: ${missing})` : title, () => {
  it('places, reads and cancels an OCO in the documented shapes and weights', async () => {
    // The rest of exchangeInfo is binance-conformance.test.ts's (with the file's errata).
    const info = await backend.http.inject({ url: '/api/v3/exchangeInfo?symbol=BTCUSDT' });
    expect(info.json()).toMatchObject({ symbols: [{ ocoAllowed: true }] });
    clock = Math.ceil(clock / 10_000) * 10_000; // a fresh window of the unfilled order count
    const placed = await weighed('POST', '/orderList/oco', sellOco({ listClientOrderId: 'oco-1' }));
    expect(placed.status).toBe(200);
    expect(placed.orderCount10s, 'an OCO adds its two orders to the count').toBe(2);
    expect(placed.body).toMatchObject({
      contingencyType: 'OCO',
      listStatusType: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
      listClientOrderId: 'oco-1',
      symbol: 'BTCUSDT',
    });
    const listId = placed.body.orderListId as number;
    const reports = placed.body.orderReports ?? [];
    expect(reports.map((o) => [o.type, o.status, o.orderListId])).toEqual([
      ['STOP_LOSS_LIMIT', 'NEW', listId],
      ['LIMIT_MAKER', 'NEW', listId],
    ]);
    // Each leg is an order like any other, with its list id.
    const leg = await conforming('GET', '/order', {
      symbol: 'BTCUSDT',
      orderId: String(reports[1]?.orderId),
    });
    expect(leg.body.orderListId).toBe(listId);
    const one = await weighed('GET', '/orderList', { orderListId: String(listId) });
    expect(one.body).toMatchObject({ orderListId: listId, listOrderStatus: 'EXECUTING' });
    const byClient = await conforming('GET', '/orderList', { origClientOrderId: 'oco-1' });
    expect(byClient.body.orderListId).toBe(listId);
    const open = await weighed('GET', '/openOrderList', {});
    expect(
      (open.body as unknown as Array<{ orderListId: number }>).map((l) => l.orderListId),
    ).toEqual([listId]);
    // Binance refuses a listClientOrderId an executing list holds.
    const dup = await conforming('POST', '/orderList/oco', sellOco({ listClientOrderId: 'oco-1' }));
    expect(dup.body).toMatchObject({ code: -2010 });
    const cancelled = await weighed('DELETE', '/orderList', {
      symbol: 'BTCUSDT',
      orderListId: String(listId),
    });
    expect(cancelled.body).toMatchObject({
      listStatusType: 'ALL_DONE',
      listOrderStatus: 'ALL_DONE',
    });
    expect(cancelled.body.orderReports?.map((o) => o.status)).toEqual(['CANCELED', 'CANCELED']);
    const all = await weighed('GET', '/allOrderList', { limit: '10' });
    expect(all.body).toEqual([
      expect.objectContaining({ orderListId: listId, listStatusType: 'ALL_DONE' }),
    ]);
    await conforming('GET', '/allOrderList', { fromId: String(listId) });
  });

  it('takes the older POST /api/v3/order/oco, answering as orderList/oco does', async () => {
    // The specification file no longer lists the deprecated endpoint; its answer is the same.
    const placed = await conforming(
      'POST',
      '/order/oco',
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        quantity: '0.0100',
        price: '29000.00',
        stopPrice: '31000.00',
        limitClientOrderId: 'tp',
        stopClientOrderId: 'sl',
      },
      '/orderList/oco',
    );
    expect(placed.status).toBe(200);
    expect(placed.body.orderReports?.map((o) => [o.type, o.clientOrderId])).toEqual([
      ['STOP_LOSS', 'sl'],
      ['LIMIT_MAKER', 'tp'],
    ]);
    await conforming('DELETE', '/orderList', {
      symbol: 'BTCUSDT',
      orderListId: String(placed.body.orderListId),
    });
  });

  it('a fill of the limit maker ends the list; cancelling one leg ends it too', async () => {
    const placed = await conforming('POST', '/orderList/oco', sellOco());
    const listId = String(placed.body.orderListId);
    await place(backend, bobId, limitOrder('buy', '31000.00', '0.0040'));
    const after = await conforming('GET', '/orderList', { orderListId: listId });
    expect(after.body).toMatchObject({ listStatusType: 'ALL_DONE', listOrderStatus: 'ALL_DONE' });
    // Its fill names the list in myTrades, as Binance's does (a lone order's says -1).
    const trades = await conforming('GET', '/myTrades', { symbol: 'BTCUSDT' });
    expect(trades.body).toEqual([
      expect.objectContaining({ orderListId: Number(listId), price: '31000.00' }),
    ]);
    await place(backend, aliceId, limitOrder('sell', '30000.00', '0.0010'));
    await place(backend, bobId, limitOrder('buy', '30000.00', '0.0010'));
    const lone = (await conforming('GET', '/myTrades', { symbol: 'BTCUSDT' })).body as unknown;
    expect((lone as Array<{ orderListId: number }>).map((t) => t.orderListId)).toEqual([
      Number(listId),
      -1,
    ]);
    const open = await conforming('GET', '/openOrderList', {});
    expect(open.body).toEqual([]);
    const second = await conforming('POST', '/orderList/oco', sellOco());
    const stopId = String(second.body.orderReports?.[0]?.orderId);
    await conforming('DELETE', '/order', { symbol: 'BTCUSDT', orderId: stopId });
    const ended = await conforming('GET', '/orderList', {
      orderListId: String(second.body.orderListId),
    });
    expect(ended.body.listOrderStatus).toBe('ALL_DONE');
  });

  it('refuses bad pairs with Binance codes', async () => {
    const cases: Array<[string, 'GET' | 'POST' | 'DELETE', Record<string, string>, number]> = [
      // A sell's limit must be the above order.
      [
        '/orderList/oco',
        'POST',
        sellOco({ aboveType: 'STOP_LOSS', belowType: 'LIMIT_MAKER' }),
        -1166,
      ],
      // The prices against each other and the last price (30000).
      [
        '/orderList/oco',
        'POST',
        sellOco({ abovePrice: '30500.00', belowStopPrice: '30600.00' }),
        -2010,
      ],
      [
        '/orderList/oco',
        'POST',
        sellOco({ abovePrice: '32500.00', belowStopPrice: '32000.00' }),
        -2010,
      ],
      ['/orderList/oco', 'POST', sellOco({ quantity: '5' }), -2010],
      ['/orderList/oco', 'POST', sellOco({ aboveIcebergQty: '0.001' }), -1104],
      ['/orderList/oco', 'POST', sellOco({ belowType: '' }), -1102],
      ['/orderList', 'DELETE', { symbol: 'BTCUSDT', orderListId: '99999' }, -2011],
      ['/orderList', 'GET', { orderListId: '99999' }, -2013],
      ['/orderList', 'GET', {}, -1102],
    ];
    for (const [path, method, params, code] of cases) {
      const r = await conforming(method, path, params);
      expect(r.body, `${method} ${path} ${JSON.stringify(params)}`).toMatchObject({ code });
    }
  });

  it('takes a trailing stop leg (belowTrailingDelta, order/oco trailingDelta) in the documented shapes', async () => {
    // Binance's conditional trailingDelta/trailingTime on the stop leg's reports; last price 30000.
    const { belowStopPrice: _stop, ...noStop } = sellOco();
    const placed = await conforming('POST', '/orderList/oco', {
      ...noStop,
      belowTrailingDelta: '500',
    });
    expect(placed.status).toBe(200);
    const [stop, take] = placed.body.orderReports ?? [];
    expect(stop).toMatchObject({
      type: 'STOP_LOSS_LIMIT',
      stopPrice: '28500.00',
      trailingDelta: 500,
    });
    expect(take).not.toHaveProperty('trailingDelta');
    const leg = await conforming('GET', '/order', {
      symbol: 'BTCUSDT',
      orderId: String(stop?.orderId),
    });
    expect(leg.body).toMatchObject({ trailingDelta: 500, trailingTime: stop?.trailingTime });
    const cancelled = await conforming('DELETE', '/orderList', {
      symbol: 'BTCUSDT',
      orderListId: String(placed.body.orderListId),
    });
    expect(cancelled.body.orderReports?.[0]).toMatchObject({
      status: 'CANCELED',
      trailingDelta: 500,
    });

    const legacy = await conforming(
      'POST',
      '/order/oco',
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        quantity: '0.0100',
        price: '29000.00',
        trailingDelta: '100',
      },
      '/orderList/oco',
    );
    expect(legacy.body.orderReports?.[0]).toMatchObject({
      type: 'STOP_LOSS',
      stopPrice: '30300.00',
      trailingDelta: 100,
    });
    await conforming('DELETE', '/orderList', {
      symbol: 'BTCUSDT',
      orderListId: String(legacy.body.orderListId),
    });

    const refusals: Array<[Record<string, string>, number]> = [
      [{ ...noStop, belowTrailingDelta: '2001' }, -1013],
      [{ ...noStop, belowTrailingDelta: '100', aboveTrailingDelta: '100' }, -1106],
      [noStop, -1102],
    ];
    for (const [params, code] of refusals) {
      const r = await conforming('POST', '/orderList/oco', params);
      expect(r.body, JSON.stringify(params)).toMatchObject({ code });
    }
  });
});
