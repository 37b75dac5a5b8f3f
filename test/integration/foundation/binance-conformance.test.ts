// The Binance facade checked against Binance's official OpenAPI specification of its spot API
// (binance/binance-api-swagger, MIT; a copy in test/fixtures): every served endpoint is sent
// its documented parameters, and each answer — successes and refusals alike — must carry the
// fields and JSON types the specification's response schema requires, with an HTTP status the
// specification lists for that endpoint, and the request weight it documents in
// X-MBX-USED-WEIGHT-1M. Behaviour the specification describes in prose (IOC/FOK expiry, the
// duplicate client order id rule, filters as enforced) has its own cases below.
import crypto from 'node:crypto';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createOwner, createUser, type TestApiKey } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, limit as limitOrder, place, trader } from '../../helpers/exchange';
import { responseSchema, violations, type OpenApiDoc, type Schema } from '../../helpers/openapi';
import { missingRealData, readRealData } from '../../helpers/real-data';

const SPEC_FILE = 'specs/binance-spot/spot_api.yaml';
const missing = missingRealData(SPEC_FILE);

let spec: OpenApiDoc;
let backend: TestBackend;
let alice: TestApiKey;
let bob: TestApiKey;
let aliceId: string;
let bobId: string;
/** The backend's clock: one millisecond per reading, starting on a minute. */
let clock = Date.UTC(2026, 0, 5, 12, 0, 0);

interface Answer {
  status: number;
  body: unknown;
  weight: number;
  /** X-MBX-ORDER-COUNT-10S and -1D, when answered (order placements). */
  orderCount?: [number, number];
}

/** `/api/v3` paths are written without their prefix; wallet (`/sapi/v1/…`) paths in full. */
const fullPath = (path: string) => (path.startsWith('/sapi/') ? path : `/api/v3${path}`);

async function send(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Record<string, string>,
  key?: TestApiKey,
): Promise<Answer> {
  const all = key ? { ...params, timestamp: String(clock) } : params;
  let query = new URLSearchParams(all).toString();
  const headers: Record<string, string> = {};
  if (key) {
    const signature = crypto.sign(null, Buffer.from(query), key.privateKey).toString('base64');
    query = `${query}&signature=${encodeURIComponent(signature)}`;
    headers['x-mbx-apikey'] = key.id;
  }
  const res = await backend.http.inject({
    method,
    url: `${fullPath(path)}${query ? `?${query}` : ''}`,
    headers,
  });
  const [tenSeconds, day] = ['x-mbx-order-count-10s', 'x-mbx-order-count-1d'].map(
    (h) => res.headers[h],
  );
  return {
    status: res.statusCode,
    body: res.json(),
    weight: Number(res.headers['x-mbx-used-weight-1m']),
    ...(tenSeconds !== undefined ? { orderCount: [Number(tenSeconds), Number(day)] } : {}),
  };
}

/** The answer, after checking it against the specification's schema for its status. */
async function conforming(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Record<string, string>,
  key?: TestApiKey,
): Promise<Answer> {
  const r = await send(method, path, params, key);
  const schema = responseSchema(spec, fullPath(path), method, r.status);
  const where = `${method} ${path} ${JSON.stringify(params)} → ${r.status}`;
  expect(schema, `${where}: a status the specification does not list`).toBeDefined();
  expect(violations(spec, schema!, r.body), `${where}: ${JSON.stringify(r.body)}`).toEqual([]);
  return r;
}

beforeAll(async () => {
  if (missing) return;
  spec = parse(readRealData(SPEC_FILE)) as OpenApiDoc;
  applyErrata();
  backend = await startTestBackend({ now: () => clock++ });
  await createOwner(backend);
  const a = await createUser(backend, 'trader');
  const b = await createUser(backend, 'trader');
  aliceId = a.userId;
  bobId = b.userId;
  alice = await createApiKey(backend, a, { scopes: ['read', 'trade'] });
  bob = await createApiKey(backend, b, { scopes: ['read', 'trade'] });
  await fund(backend, aliceId, 'USDT', '100000');
  await fund(backend, bobId, 'BTC', '10');
  // A trade at 30000 so tickers, klines and the price band have a last price.
  await place(backend, bobId, limitOrder('sell', '30000.00', '0.0100'));
  await place(backend, aliceId, limitOrder('buy', '30000.00', '0.0100'));
}, 60_000);
afterAll(async () => {
  await backend?.cleanup();
});

/** A GTC limit buy of 0.01 BTC at `price` (the cases vary only the price and extras). */
const limitBuy = (price: string, extra: Record<string, string> = {}) => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.0100',
  price,
  ...extra,
});

const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
/** A filter's schema as Binance's filters documentation gives it (the file has PRICE_FILTER's). */
const filterSchema = (properties: Record<string, Schema>): Schema => ({
  type: 'object',
  properties: { filterType: str, ...properties },
  required: ['filterType', ...Object.keys(properties)],
});

/**
 * Errata of the specification file, found by this suite: `aggTrade.T` (the trade time, an
 * integer in Binance's own answers and documentation) is typed boolean; exchangeInfo's
 * `filters` items are PRICE_FILTER's schema alone, so every other filter type would fail its
 * required `minPrice`. The others are added from Binance's filters documentation. The rolling
 * `/ticker` answers an array for `symbols` (as its description and the other tickers say) but
 * its schema is the single object only.
 */
function applyErrata(): void {
  const agg = spec.components.schemas.aggTrade;
  if (agg?.properties?.T) agg.properties.T = int;
  const rolling =
    spec.paths['/api/v3/ticker']?.get?.responses['200']?.content?.['application/json'];
  if (rolling)
    rolling.schema = { oneOf: [rolling.schema, { type: 'array', items: rolling.schema }] };
  const info = responseSchema(spec, '/api/v3/exchangeInfo', 'GET', 200);
  const filters = info?.properties?.symbols?.items?.properties?.filters;
  if (!filters?.items) return;
  const lot = { minQty: str, maxQty: str, stepSize: str };
  const band = { bidMultiplierUp: str, bidMultiplierDown: str, askMultiplierUp: str };
  filters.items = {
    oneOf: [
      filters.items,
      filterSchema(lot),
      filterSchema({
        minNotional: str,
        applyMinToMarket: bool,
        maxNotional: str,
        applyMaxToMarket: bool,
        avgPriceMins: int,
      }),
      filterSchema({ maxNumOrders: int }),
      filterSchema({ ...band, askMultiplierDown: str, avgPriceMins: int }),
      filterSchema({
        minTrailingAboveDelta: int,
        maxTrailingAboveDelta: int,
        minTrailingBelowDelta: int,
        maxTrailingBelowDelta: int,
      }),
    ],
  };
}

/** The weight the specification documents must appear in its description of the endpoint. */
function documentsWeight(path: string, method: string, weight: number): boolean {
  const text = spec.paths[fullPath(path)]?.[method.toLowerCase()]?.description ?? '';
  return new RegExp(`(^|[^0-9])${weight}([^0-9]|$)`).test(text.slice(text.indexOf('eight')));
}

const title = 'Binance facade against the official specification';
describe.skipIf(missing !== null)(missing ? `${title} (skipped: ${missing})` : title, () => {
  it('answers every public endpoint in the documented shapes, weights included', async () => {
    const cases: Array<[string, Record<string, string>, number]> = [
      ['/ping', {}, 1],
      ['/time', {}, 1],
      ['/exchangeInfo', {}, 10],
      ['/exchangeInfo', { symbol: 'BTCUSDT' }, 10],
      ['/exchangeInfo', { symbols: '["BTCUSDT","ETHBTC"]' }, 10],
      ['/exchangeInfo', { permissions: 'SPOT' }, 10],
      ['/exchangeInfo', { permissions: '["MARGIN"]' }, 10],
      ['/depth', { symbol: 'BTCUSDT', limit: '100' }, 5],
      ['/depth', { symbol: 'BTCUSDT', limit: '500' }, 25],
      ['/depth', { symbol: 'BTCUSDT', limit: '1000' }, 50],
      ['/depth', { symbol: 'BTCUSDT', limit: '5000' }, 250],
      ['/trades', { symbol: 'BTCUSDT', limit: '10' }, 10],
      ['/historicalTrades', { symbol: 'BTCUSDT', fromId: '1', limit: '10' }, 10],
      ['/aggTrades', { symbol: 'BTCUSDT', fromId: '1' }, 2],
      ['/aggTrades', { symbol: 'BTCUSDT', startTime: '0', endTime: String(clock + 1e6) }, 2],
      ['/klines', { symbol: 'BTCUSDT', interval: '1m' }, 2],
      ['/klines', { symbol: 'BTCUSDT', interval: '1d', timeZone: '+8' }, 2],
      ['/klines', { symbol: 'BTCUSDT', interval: '1M', startTime: '0', limit: '5' }, 2],
      ['/avgPrice', { symbol: 'BTCUSDT' }, 2],
      ['/ticker/24hr', { symbol: 'BTCUSDT' }, 2],
      ['/ticker/24hr', { symbols: '["BTCUSDT","ETHUSDT"]' }, 2],
      ['/ticker/24hr', {}, 80],
      ['/ticker', { symbol: 'BTCUSDT', windowSize: '2h' }, 4],
      ['/ticker', { symbols: '["BTCUSDT","ETHUSDT"]' }, 8],
      ['/ticker/price', { symbol: 'BTCUSDT' }, 2],
      ['/ticker/price', {}, 4],
      ['/ticker/bookTicker', { symbol: 'BTCUSDT' }, 2],
      ['/ticker/bookTicker', {}, 4],
      ['/sapi/v1/system/status', {}, 1],
    ];
    for (const [path, params, weight] of cases) {
      const before = (await send('GET', '/ping', {})).weight;
      const r = await conforming('GET', path, params);
      expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.weight - before, `${path} weight`).toBe(weight);
      if (path !== '/ticker') expect(documentsWeight(path, 'GET', weight), path).toBe(true);
    }
  });

  it('answers every signed endpoint in the documented shapes, refusals included', async () => {
    const resting = await conforming('POST', '/order', limitBuy('29000.00'), alice);
    const orderId = String((resting.body as { orderId: number }).orderId);
    for (const respType of ['ACK', 'RESULT', 'FULL']) {
      await conforming(
        'POST',
        '/order',
        limitBuy('28000.00', { newOrderRespType: respType }),
        alice,
      );
    }
    const test = await conforming(
      'POST',
      '/order/test',
      limitBuy('28000.00', { computeCommissionRates: 'true' }),
      alice,
    );
    expect(test.body).toEqual({
      standardCommissionForOrder: { maker: '0.001', taker: '0.002' },
      taxCommissionForOrder: { maker: '0', taker: '0' },
      discount: {
        enabledForAccount: false,
        enabledForSymbol: false,
        discountAsset: '',
        discount: '0',
      },
    });
    await conforming('GET', '/order', { symbol: 'BTCUSDT', orderId }, alice);
    await conforming('GET', '/openOrders', { symbol: 'BTCUSDT' }, alice);
    await conforming('GET', '/allOrders', { symbol: 'BTCUSDT', orderId: '1' }, alice);
    await conforming('GET', '/myTrades', { symbol: 'BTCUSDT', fromId: '1' }, alice);
    const account = await conforming('GET', '/account', {}, alice);
    expect(account.body).toMatchObject({
      makerCommission: 10,
      takerCommission: 20,
      commissionRates: { maker: '0.001', taker: '0.002', buyer: '0', seller: '0' },
      uid: expect.any(Number),
    });
    const commission = await conforming('GET', '/account/commission', { symbol: 'EURUSD' }, alice);
    expect(commission.body).toMatchObject({
      symbol: 'EURUSD',
      standardCommission: { maker: '0.0001', taker: '0.0002', buyer: '0', seller: '0' },
    });
    const before = (await send('GET', '/ping', {})).weight;
    const fee = await conforming('GET', '/sapi/v1/asset/tradeFee', { symbol: 'EURUSD' }, alice);
    expect(fee.body).toEqual([
      { symbol: 'EURUSD', makerCommission: '0.0001', takerCommission: '0.0002' },
    ]);
    expect(fee.weight - before).toBe(1);
    expect(documentsWeight('/sapi/v1/asset/tradeFee', 'GET', 1)).toBe(true);
    const fees = await conforming('GET', '/sapi/v1/asset/tradeFee', {}, alice);
    expect((fees.body as Array<{ symbol: string }>).map((f) => f.symbol).sort()).toEqual([
      'BTCUSDT',
      'ETHBTC',
      'ETHUSDT',
      'EURUSD',
    ]);
    const cancelled = await conforming('DELETE', '/order', { symbol: 'BTCUSDT', orderId }, alice);
    expect(cancelled.body).toMatchObject({ status: 'CANCELED', transactTime: expect.any(Number) });
    await conforming('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, alice);
    // Refusals: Binance's error shape with a status the specification lists.
    const refusals: Array<[string, 'GET' | 'POST' | 'DELETE', Record<string, string>, number]> = [
      ['/order', 'GET', { symbol: 'BTCUSDT', orderId: '999999' }, -2013],
      ['/order', 'DELETE', { symbol: 'BTCUSDT', orderId: '999999' }, -2011],
      [
        '/order',
        'POST',
        {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: '901',
          price: '1.00',
        },
        -1013,
      ],
      [
        '/order',
        'POST',
        {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: '0.0001',
          price: '10000000.01',
        },
        -1013,
      ],
      ['/account/commission', 'GET', { symbol: 'DOGEUSDT' }, -1121],
    ];
    for (const [path, method, params, code] of refusals) {
      const r = await conforming(method, path, params, alice);
      expect(r.body, `${method} ${path}`).toMatchObject({ code });
    }
    const unsigned = await conforming('GET', '/account', {});
    expect(unsigned).toMatchObject({ status: 401, body: { code: -2014 } });
  });

  it('serves depth beyond 500 levels, up to the 5000 Binance allows', async () => {
    // 600 bid levels, one tick apart below the last price.
    const bids = Array.from({ length: 600 }, (_, i) =>
      limitOrder('buy', (29_000 - i / 100).toFixed(2), '0.0010'),
    );
    for (let i = 0; i < bids.length; i += 100) {
      await backend.invoke(
        'orders.placeBatch',
        { orders: bids.slice(i, i + 100) },
        trader(aliceId),
      );
    }
    const levels = async (limit: string) => {
      const r = await conforming('GET', '/depth', { symbol: 'BTCUSDT', limit }, alice);
      return (r.body as { bids: string[][] }).bids;
    };
    expect(await levels('500')).toHaveLength(500);
    const deep = await levels('5000');
    expect(deep).toHaveLength(600);
    expect(deep.at(-1)).toEqual(['28994.01', '0.0010']);
    // Past 5000, Binance truncates to 5000 rather than refusing.
    expect(await levels('6000')).toHaveLength(600);
    const gone = await conforming('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, alice);
    expect(gone.status, JSON.stringify(gone.body).slice(0, 300)).toBe(200);
    expect(gone.body).toHaveLength(600);
  });

  it('refuses a stop that would trigger immediately, as Binance does (-2010)', async () => {
    // The last price is 30000: a buy stop at or under it, or a sell stop at or over it, holds.
    const stop = (side: string, stopPrice: string, price: string) => ({
      symbol: 'BTCUSDT',
      side,
      type: 'STOP_LOSS_LIMIT',
      timeInForce: 'GTC',
      quantity: '0.0100',
      price,
      stopPrice,
    });
    const immediate = { code: -2010, msg: 'Stop price would trigger immediately.' };
    for (const [order, key] of [
      [stop('BUY', '30000.00', '30100.00'), alice],
      [stop('BUY', '29000.00', '29100.00'), alice],
      [stop('SELL', '30000.00', '29900.00'), bob],
      [stop('SELL', '31000.00', '30900.00'), bob],
    ] as const) {
      for (const path of ['/order', '/order/test']) {
        const r = await conforming('POST', path, order, key);
        expect(r, `${path} ${JSON.stringify(order)}`).toMatchObject({
          status: 400,
          body: immediate,
        });
      }
    }
    const market = { symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_LOSS', quantity: '0.0100' };
    const refused = await conforming('POST', '/order', { ...market, stopPrice: '31000.00' }, bob);
    // Binance's words, and Bourse's reason beside them as for every other refusal.
    expect(refused.body).toEqual({
      ...immediate,
      bourse: {
        code: 'stop_would_trigger',
        message:
          'The last price 30000.00 is already at or below the stop price 31000.00: a sell stop waits for the price to fall to it; a sell that waits for the price to rise is a TAKE_PROFIT',
      },
    });
    // A stop on the far side waits for its price, as before.
    const waiting = [
      [stop('BUY', '30000.01', '30100.00'), alice],
      [stop('SELL', '29999.99', '29900.00'), bob],
    ] as const;
    for (const [order, key] of waiting) {
      const r = await conforming('POST', '/order', { ...order, newOrderRespType: 'RESULT' }, key);
      expect(r.body).toMatchObject({ status: 'NEW', type: 'STOP_LOSS_LIMIT' });
    }
    for (const key of [alice, bob]) {
      await conforming('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, key);
    }
  });

  it('places TAKE_PROFIT and TAKE_PROFIT_LIMIT, which trigger when the price moves for them', async () => {
    const info = (await send('GET', '/exchangeInfo', { symbol: 'BTCUSDT' })).body as {
      symbols: Array<{ orderTypes: string[] }>;
    };
    expect(info.symbols[0]!.orderTypes).toEqual(
      expect.arrayContaining(['TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']),
    );
    const tp = (side: string, stopPrice: string, price?: string) => ({
      symbol: 'BTCUSDT',
      side,
      quantity: '0.0100',
      stopPrice,
      ...(price === undefined
        ? { type: 'TAKE_PROFIT' }
        : { type: 'TAKE_PROFIT_LIMIT', timeInForce: 'GTC', price }),
    });
    // The last price is 30000: a sell take-profit at or under it, or a buy at or over it,
    // holds already (Binance: "Price above market price: TAKE_PROFIT SELL").
    const immediate = { code: -2010, msg: 'Stop price would trigger immediately.' };
    for (const [order, key] of [
      [tp('SELL', '30000.00', '29900.00'), bob],
      [tp('SELL', '29000.00'), bob],
      [tp('BUY', '30000.00', '30100.00'), alice],
      [tp('BUY', '31000.00'), alice],
    ] as const) {
      const r = await conforming('POST', '/order', order, key);
      expect(r, JSON.stringify(order)).toMatchObject({ status: 400, body: immediate });
    }
    // Binance trails take-profits too; Bourse's do not, and says so rather than ignoring it.
    const trailing = await conforming(
      'POST',
      '/order',
      { ...tp('SELL', '30100.00'), trailingDelta: '100' },
      bob,
    );
    expect(trailing.body).toMatchObject({ code: -1104 });
    const sell = await conforming(
      'POST',
      '/order',
      { ...tp('SELL', '30100.00', '30050.00'), newOrderRespType: 'FULL' },
      bob,
    );
    expect(sell.body).toMatchObject({
      status: 'NEW',
      type: 'TAKE_PROFIT_LIMIT',
      stopPrice: '30100.00',
      price: '30050.00',
      fills: [],
    });
    const buy = await conforming(
      'POST',
      '/order',
      { ...tp('BUY', '29000.00'), newOrderRespType: 'RESULT' },
      alice,
    );
    expect(buy.body).toMatchObject({ status: 'NEW', type: 'TAKE_PROFIT', stopPrice: '29000.00' });
    const sellId = String((sell.body as { orderId: number }).orderId);
    const status = async () =>
      (await conforming('GET', '/order', { symbol: 'BTCUSDT', orderId: sellId }, bob)).body;
    // A trade at 30050 does not reach it; one at 30100 triggers it and its limit rests at 30050.
    await place(backend, bobId, limitOrder('sell', '30050.00', '0.0010'));
    await place(backend, aliceId, limitOrder('buy', '30050.00', '0.0010'));
    expect(await status()).toMatchObject({ status: 'NEW', executedQty: '0.0000' });
    await place(backend, bobId, limitOrder('sell', '30100.00', '0.0010'));
    await place(backend, aliceId, limitOrder('buy', '30100.00', '0.0010'));
    const depth = (await send('GET', '/depth', { symbol: 'BTCUSDT', limit: '5' })).body as {
      asks: string[][];
    };
    expect(depth.asks[0]).toEqual(['30050.00', '0.0100']);
    await place(backend, aliceId, limitOrder('buy', '30050.00', '0.0100'));
    expect(await status()).toMatchObject({
      status: 'FILLED',
      type: 'TAKE_PROFIT_LIMIT',
      executedQty: '0.0100',
      cummulativeQuoteQty: '300.500000',
    });
    // The buy take-profit at 29000 still waits; back to a last price of 30000 for the others.
    const open = await conforming('GET', '/openOrders', { symbol: 'BTCUSDT' }, alice);
    expect(open.body).toEqual([expect.objectContaining({ type: 'TAKE_PROFIT', status: 'NEW' })]);
    await conforming('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, alice);
    await place(backend, bobId, limitOrder('sell', '30000.00', '0.0010'));
    await place(backend, aliceId, limitOrder('buy', '30000.00', '0.0010'));
  });

  it('reads trailingDelta on STOP_LOSS and STOP_LOSS_LIMIT, answering trailingDelta and trailingTime', async () => {
    // The last price is 30000; stopPrice is optional with trailingDelta.
    const trailing = { symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_LOSS', quantity: '0.0100' };
    const tracking = await conforming(
      'POST',
      '/order',
      { ...trailing, trailingDelta: '100', newOrderRespType: 'FULL' },
      bob,
    );
    expect(tracking.body).toMatchObject({
      status: 'NEW',
      stopPrice: '29700.00',
      trailingDelta: 100,
      trailingTime: expect.any(Number),
    });
    const waiting = await conforming(
      'POST',
      '/order',
      {
        ...trailing,
        type: 'STOP_LOSS_LIMIT',
        timeInForce: 'GTC',
        price: '28900.00',
        stopPrice: '29000.00',
        trailingDelta: '2000',
        newOrderRespType: 'RESULT',
      },
      bob,
    );
    expect(waiting.body).toMatchObject({ stopPrice: '29000.00', trailingTime: -1 });
    await conforming('POST', '/order/test', { ...trailing, trailingDelta: '10' }, bob);
    const id = (r: Answer) => String((r.body as { orderId: number }).orderId);
    const got = await conforming('GET', '/order', { symbol: 'BTCUSDT', orderId: id(waiting) }, bob);
    expect(got.body).toMatchObject({ trailingDelta: 2000, trailingTime: -1 });
    const open = await conforming('GET', '/openOrders', { symbol: 'BTCUSDT' }, bob);
    const deltas = (r: Answer) =>
      (r.body as Array<{ trailingDelta?: number }>).map((o) => o.trailingDelta).sort();
    expect(deltas(open)).toEqual([100, 2000]);
    const refusals: Array<[Record<string, string>, number]> = [
      [{ ...trailing, trailingDelta: '9' }, -1013],
      [{ ...trailing, trailingDelta: '2001' }, -1013],
      [{ ...trailing, trailingDelta: '1.5' }, -1100],
      [{ ...trailing, type: 'MARKET', trailingDelta: '100' }, -1106],
    ];
    for (const [params, code] of refusals) {
      const r = await conforming('POST', '/order', params, bob);
      expect(r.body, JSON.stringify(params)).toMatchObject({ code });
    }
    const cancelled = await conforming('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, bob);
    expect(deltas(cancelled)).toEqual([100, 2000]);
  });

  it('expires a LIMIT IOC or FOK that finds nothing, as Binance does (200, EXPIRED)', async () => {
    for (const timeInForce of ['IOC', 'FOK']) {
      const r = await conforming(
        'POST',
        '/order',
        {
          symbol: 'ETHUSDT',
          side: 'BUY',
          type: 'LIMIT',
          timeInForce,
          quantity: '0.0100',
          price: '2000.00',
        },
        alice,
      );
      expect(r.body).toMatchObject({ status: 'EXPIRED', executedQty: '0', fills: [], timeInForce });
    }
    // Partly filled, the remainder expires too: EXPIRED (not CANCELED) with what it traded.
    await fund(backend, bobId, 'ETH', '1');
    await place(backend, bobId, { ...limitOrder('sell', '2000.00', '0.0050'), symbol: 'ETH/USDT' });
    const partial = await conforming(
      'POST',
      '/order',
      {
        symbol: 'ETHUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: '0.0100',
        price: '2000.00',
      },
      alice,
    );
    expect(partial.body).toMatchObject({ status: 'EXPIRED', executedQty: '0.0050' });
  });

  it('refuses a newClientOrderId an open order holds, and otherwise places a new order', async () => {
    const order = limitBuy('27000.00', { newClientOrderId: 'dup-1' });
    const first = await conforming('POST', '/order', order, alice);
    const again = await conforming('POST', '/order', order, alice);
    expect(again).toMatchObject({
      status: 400,
      body: { code: -2010, msg: 'Duplicate order sent.' },
    });
    const id = (first.body as { orderId: number }).orderId;
    await conforming('DELETE', '/order', { symbol: 'BTCUSDT', orderId: String(id) }, alice);
    const reused = await conforming('POST', '/order', order, alice);
    expect(reused.body).toMatchObject({ clientOrderId: 'dup-1', status: 'NEW' });
    expect((reused.body as { orderId: number }).orderId).not.toBe(id);
    // The native API keeps its idempotency: the same id there returns the open order.
    const native = (await backend.invoke(
      'orders.place',
      { ...limitOrder('buy', '27000.00', '0.0100'), clientOrderId: 'dup-1' },
      trader(aliceId),
    )) as { orderId: number };
    expect(native.orderId).toBe((reused.body as { orderId: number }).orderId);
    await conforming('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, alice);
  });

  it('counts unfilled orders per account as Binance does, and refuses past the 10-second limit', async () => {
    for (const key of [alice, bob]) await send('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, key);
    clock = Math.ceil(clock / 10_000) * 10_000; // a fresh 10-second window
    const usage = async (key: TestApiKey) => {
      const r = await conforming('GET', '/rateLimit/order', {}, key);
      return (r.body as Array<{ interval: string; count: number }>).map((l) => l.count);
    };
    const before = (await send('GET', '/ping', {})).weight;
    const read = await conforming('GET', '/rateLimit/order', {}, alice);
    expect(read.weight - before).toBe(40);
    expect(documentsWeight('/rateLimit/order', 'GET', 40)).toBe(true);
    const [, aliceDay] = await usage(alice);
    const info = (await send('GET', '/exchangeInfo', { symbol: 'BTCUSDT' })).body as {
      rateLimits: Array<{ rateLimitType: string; interval: string; limit: number }>;
    };
    const perWindow = info.rateLimits.find(
      (l) => l.rateLimitType === 'ORDERS' && l.interval === 'SECOND',
    )!.limit;

    // Two resting orders count; each placement answers the count with itself in it.
    // (At the last price, 30000, which the filter case below assumes.)
    const first = await conforming('POST', '/order', limitBuy('30000.00'), alice);
    expect(first.orderCount).toEqual([1, aliceDay! + 1]);
    const second = await conforming('POST', '/order', limitBuy('27000.00'), alice);
    expect(second.orderCount).toEqual([2, aliceDay! + 2]);
    // Bob's sell fills alice's first order: his order is answered counted, then taken off, and
    // her first order is taken off at its fill. Refusals and test orders count nothing.
    const sell = { ...limitBuy('30000.00'), side: 'SELL' };
    const filled = await conforming('POST', '/order', sell, bob);
    expect(filled.body).toMatchObject({ status: 'FILLED' });
    expect(filled.orderCount![0]).toBe(1);
    await conforming('POST', '/order', limitBuy('28000.00', { quantity: '901' }), alice);
    await conforming('POST', '/order/test', limitBuy('28000.00'), alice);
    expect(await usage(bob)).toEqual([0, filled.orderCount![1] - 1]);
    expect((await usage(alice))[0]).toBe(1);

    // Up to the limit, then -1015 (429) with nothing placed; the next window serves again.
    for (let n = 1; n < perWindow; n++) {
      const r = await send('POST', '/order', limitBuy('28000.00', { quantity: '0.0010' }), alice);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const open = async () =>
      ((await send('GET', '/openOrders', { symbol: 'BTCUSDT' }, alice)).body as unknown[]).length;
    const openBefore = await open();
    // (The specification lists no 429 for POST order; Binance's error documentation gives
    // -1015 with HTTP 429.)
    const refused = await send('POST', '/order', limitBuy('28000.00'), alice);
    expect(refused).toMatchObject({
      status: 429,
      body: {
        code: -1015,
        msg: `Too many new orders; current limit is ${perWindow} orders per 10 SECOND.`,
      },
    });
    expect(await open()).toBe(openBefore);
    clock = Math.ceil(clock / 10_000) * 10_000;
    const next = await conforming('POST', '/order', limitBuy('28000.00'), alice);
    expect(next).toMatchObject({ status: 200, orderCount: [1, expect.any(Number)] });
    await conforming('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, alice);
    clock = Math.ceil(clock / 10_000) * 10_000; // the cases after this one start afresh
  });

  it('cancels and replaces an order (order/cancelReplace) with each outcome Binance documents', async () => {
    await send('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, alice);
    const openIds = async () =>
      (
        (await send('GET', '/openOrders', { symbol: 'BTCUSDT' }, alice)).body as Array<{
          orderId: number;
        }>
      ).map((o) => o.orderId);
    const resting = async (price: string) =>
      ((await conforming('POST', '/order', limitBuy(price), alice)).body as { orderId: number })
        .orderId;
    const replace = (cancelOrderId: number, mode: string, extra: Record<string, string> = {}) => ({
      ...limitBuy('28500.00', { quantity: '0.0200' }),
      cancelReplaceMode: mode,
      cancelOrderId: String(cancelOrderId),
      ...extra,
    });
    /** A cancelReplace request; its answer checked against the specification unless told not. */
    const cancelReplace = (params: Record<string, string>, againstSpec = true) =>
      (againstSpec ? conforming : send)('POST', '/order/cancelReplace', params, alice);
    type Data = {
      cancelResult: string;
      newOrderResult: string;
      cancelResponse: Record<string, unknown>;
      newOrderResponse: Record<string, unknown> | null;
    };

    // Both steps: 200, the old order CANCELED, the new one resting.
    const old = await resting('28000.00');
    const done = await cancelReplace(replace(old, 'STOP_ON_FAILURE'));
    const both = done.body as Data;
    expect(both).toMatchObject({
      cancelResult: 'SUCCESS',
      newOrderResult: 'SUCCESS',
      cancelResponse: { orderId: old, status: 'CANCELED' },
      newOrderResponse: { status: 'NEW', price: '28500.00', origQty: '0.0200' },
    });
    const replacement = both.newOrderResponse!.orderId as number;
    expect(await openIds()).toEqual([replacement]);

    // The cancel fails (no such open order): STOP_ON_FAILURE places nothing (-2022, 400) ...
    const stopped = await cancelReplace(replace(old, 'STOP_ON_FAILURE'));
    expect(stopped).toMatchObject({
      status: 400,
      body: {
        code: -2022,
        msg: 'Order cancel-replace failed.',
        data: {
          cancelResult: 'FAILURE',
          newOrderResult: 'NOT_ATTEMPTED',
          cancelResponse: { code: -2011, msg: 'Unknown order sent.' },
          newOrderResponse: null,
        },
      },
    });
    expect(await openIds()).toEqual([replacement]);
    // ... ALLOW_FAILURE places it anyway: partly done, -2021, HTTP 409 (a status the
    // specification file omits for this endpoint; Binance's HTTP return codes list it).
    const allowed = await cancelReplace(replace(old, 'ALLOW_FAILURE'), false);
    expect(allowed).toMatchObject({
      status: 409,
      body: {
        code: -2021,
        msg: 'Order cancel-replace partially failed.',
        data: {
          cancelResult: 'FAILURE',
          newOrderResult: 'SUCCESS',
          newOrderResponse: { status: 'NEW' },
        },
      },
    });
    expect(await openIds()).toHaveLength(2);

    // The cancel done, the new order refused by the exchange (funds): 409, the old order stays
    // cancelled, as on Binance.
    const rich = replace(replacement, 'STOP_ON_FAILURE', { quantity: '900.0000' });
    const partly = await cancelReplace(rich, false);
    expect(partly).toMatchObject({
      status: 409,
      body: {
        code: -2021,
        data: {
          cancelResult: 'SUCCESS',
          newOrderResult: 'FAILURE',
          cancelResponse: { orderId: replacement, status: 'CANCELED' },
          newOrderResponse: { code: -2010 },
        },
      },
    });
    expect(await openIds()).not.toContain(replacement);
    // Both refused: -2022, HTTP 400, both FAILURE.
    const neither = await cancelReplace(
      replace(replacement, 'ALLOW_FAILURE', { quantity: '900.0000' }),
    );
    expect(neither.body).toMatchObject({
      code: -2022,
      data: { cancelResult: 'FAILURE', newOrderResult: 'FAILURE' },
    });

    // Checked before any step, and then nothing changes: the new order's filters, the mode,
    // the cancel restriction, which order to cancel.
    const kept = await resting('27000.00');
    const before = await openIds();
    const refusals: Array<[Record<string, string>, number]> = [
      [replace(kept, 'STOP_ON_FAILURE', { price: '10000000.01' }), -1013],
      [{ ...replace(kept, 'STOP_ON_FAILURE'), cancelReplaceMode: 'SOMETIMES' }, -1100],
      [replace(kept, 'STOP_ON_FAILURE', { cancelRestrictions: 'ONLY_OLD' }), -1145],
      [replace(kept, 'STOP_ON_FAILURE', { orderRateLimitExceededMode: 'CANCEL_ONLY' }), -1104],
    ];
    const { cancelReplaceMode: _mode, ...modeless } = replace(kept, 'STOP_ON_FAILURE');
    refusals.push([modeless, -1102]);
    const { cancelOrderId: _id, ...unnamed } = replace(kept, 'STOP_ON_FAILURE');
    refusals.push([unnamed, -1102]);
    for (const [params, code] of refusals) {
      const r = await cancelReplace(params);
      expect(r.body, JSON.stringify(params)).toMatchObject({ code });
    }
    expect(await openIds()).toEqual(before);
    // A restriction the order does not meet fails the cancel (a NEW order is not partly filled).
    const restricted = await cancelReplace(
      replace(kept, 'STOP_ON_FAILURE', { cancelRestrictions: 'ONLY_PARTIALLY_FILLED' }),
    );
    expect(restricted.body).toMatchObject({
      code: -2022,
      data: {
        cancelResponse: { code: -2011, msg: 'Order was not canceled due to cancel restrictions.' },
      },
    });
    // By client id, with the cancel's own id answered as clientOrderId.
    const { cancelOrderId: _k, ...byClient } = replace(kept, 'STOP_ON_FAILURE', {
      cancelNewClientOrderId: 'cancel-1',
    });
    const order = (await send('GET', '/order', { symbol: 'BTCUSDT', orderId: String(kept) }, alice))
      .body as { clientOrderId: string };
    const viaClient = await cancelReplace({
      ...byClient,
      cancelOrigClientOrderId: order.clientOrderId,
    });
    expect(viaClient.body).toMatchObject({
      cancelResponse: {
        orderId: kept,
        clientOrderId: 'cancel-1',
        origClientOrderId: order.clientOrderId,
      },
    });
    await conforming('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, alice);
    clock = Math.ceil(clock / 10_000) * 10_000;
  });

  it('enforces the filters exactly as exchangeInfo publishes them', async () => {
    const info = (await send('GET', '/exchangeInfo', { symbol: 'BTCUSDT' })).body as {
      symbols: Array<{ filters: Array<Record<string, unknown>> }>;
    };
    const filter = (type: string) => info.symbols[0]!.filters.find((f) => f.filterType === type)!;
    const band = filter('PERCENT_PRICE_BY_SIDE');
    const last = 30000;
    const limitAt = (side: string, price: string) =>
      send(
        'POST',
        '/order/test',
        { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', quantity: '0.0010', price },
        side === 'BUY' ? alice : bob,
      );
    // At the published multipliers: accepted; one tick beyond: PERCENT_PRICE_BY_SIDE.
    const up = (last * Number(band.bidMultiplierUp)).toFixed(2);
    const down = (last * Number(band.askMultiplierDown)).toFixed(2);
    expect((await limitAt('BUY', up)).status).toBe(200);
    expect((await limitAt('SELL', down)).status).toBe(200);
    const over = (Number(up) + 0.01).toFixed(2);
    const under = (Number(down) - 0.01).toFixed(2);
    for (const [side, price] of [
      ['BUY', over],
      ['SELL', under],
    ] as const) {
      expect((await limitAt(side, price)).body).toEqual(
        expect.objectContaining({ code: -1013, msg: 'Filter failure: PERCENT_PRICE_BY_SIDE' }),
      );
    }
    // NOTIONAL applyMinToMarket false: a market order by quantity worth 3 USDT (< 5) fills.
    expect(filter('NOTIONAL')).toMatchObject({ minNotional: '5', applyMinToMarket: false });
    await place(backend, bobId, limitOrder('sell', '30000.00', '0.0010'));
    const small = await send(
      'POST',
      '/order',
      { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.0001' },
      alice,
    );
    expect(small.body).toMatchObject({ status: 'FILLED', cummulativeQuoteQty: '3.000000' });
    // A limit order below it is refused with NOTIONAL.
    expect((await limitAt('BUY', '29000.00')).status).toBe(200);
    const tiny = await send(
      'POST',
      '/order/test',
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.0001',
        price: '29000.00',
      },
      alice,
    );
    expect(tiny.body).toMatchObject({ code: -1013, msg: 'Filter failure: NOTIONAL' });
    // LOT_SIZE maxQty is the largest quantity accepted (the balance refuses it, not the filter).
    const maxQty = String(filter('LOT_SIZE').maxQty);
    const atMax = await send(
      'POST',
      '/order/test',
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: maxQty,
        price: '29000.00',
      },
      alice,
    );
    expect(atMax.body).toMatchObject({ code: -2010, bourse: { code: 'insufficient_funds' } });
  });

  it('refuses past MAX_NUM_ORDERS open orders in a market', async () => {
    const max = 200;
    await fund(backend, aliceId, 'USDT', '1000000');
    const orders = Array.from({ length: max }, () => limitOrder('buy', '28000.00', '0.0010'));
    for (let i = 0; i < orders.length; i += 50) {
      await backend.invoke(
        'orders.placeBatch',
        { orders: orders.slice(i, i + 50) },
        trader(aliceId),
      );
    }
    const next = await conforming(
      'POST',
      '/order',
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.0010',
        price: '28000.00',
      },
      alice,
    );
    expect(next.body).toMatchObject({ code: -2010, msg: 'Filter failure: MAX_NUM_ORDERS' });
    await conforming('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, alice);
  });

  it('counts request weight per minute and refuses past the published limit', async () => {
    const info = (await send('GET', '/exchangeInfo', { symbol: 'BTCUSDT' })).body as {
      rateLimits: Array<{ rateLimitType: string; limit: number }>;
    };
    const limit = info.rateLimits.find((l) => l.rateLimitType === 'REQUEST_WEIGHT')!.limit;
    clock = Math.ceil(clock / 60_000) * 60_000; // a fresh minute
    let used = 0;
    let refused: Answer | undefined;
    while (!refused && used <= limit) {
      const r = await send('GET', '/depth', { symbol: 'BTCUSDT', limit: '5000' });
      if (r.status === 429) refused = r;
      else used = r.weight;
    }
    expect(used).toBeLessThanOrEqual(limit);
    expect(refused).toMatchObject({ status: 429, body: { code: -1003 } });
    clock = Math.ceil(clock / 60_000) * 60_000; // the next minute starts afresh
    expect(await send('GET', '/ping', {})).toMatchObject({ status: 200, weight: 1 });
  });
});
