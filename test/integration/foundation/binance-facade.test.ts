// The Binance-compatible facade (/api/v3), driven the way a Binance client drives Binance:
// parameters in the query or a form body, `X-MBX-APIKEY`, and an Ed25519 `signature` (base64,
// URL-encoded) over the query string followed by the body — per Binance's spot API docs.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createOwner, createUser, type TestApiKey } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { admin, fund, limit as limitOrder, place, trader } from '../../helpers/exchange';

let backend: TestBackend;
let alice: TestApiKey;
let bob: TestApiKey;
let reader: TestApiKey;
let aliceId: string;
let bobId: string;

interface Answer {
  status: number;
  body: unknown;
}

/**
 * A fresh timestamp per signed request: the replay guard refuses the same signed parameters
 * twice (on any path), and two requests can land in the same millisecond.
 */
let lastTimestamp = 0;
const freshTimestamp = () => (lastTimestamp = Math.max(Date.now(), lastTimestamp + 1));

/** A request as a Binance client sends it; `signed` adds timestamp and signature. */
async function send(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Record<string, string>,
  opts: { key?: TestApiKey; inBody?: boolean; timestamp?: number; tamper?: boolean } = {},
): Promise<Answer> {
  const all = opts.key
    ? { ...params, timestamp: String(opts.timestamp ?? freshTimestamp()), recvWindow: '5000' }
    : params;
  const text = new URLSearchParams(all).toString();
  let query = opts.inBody ? '' : text;
  let body = opts.inBody ? text : '';
  const headers: Record<string, string> = {};
  if (opts.key) {
    const signature = crypto
      .sign(null, Buffer.from(query + body), opts.key.privateKey)
      .toString('base64');
    const part = `signature=${encodeURIComponent(signature)}`;
    if (opts.inBody) body = `${body}&${part}`;
    else query = query ? `${query}&${part}` : part;
    if (opts.tamper) query = query.replace('quantity=0.0100', 'quantity=0.0200');
    headers['x-mbx-apikey'] = opts.key.id;
  }
  if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await backend.http.inject({
    method,
    url: `/api/v3${path}${query ? `?${query}` : ''}`,
    headers,
    ...(body ? { payload: body } : {}),
  });
  return { status: res.statusCode, body: res.json() };
}

/** A GTC limit buy of 0.0100 BTCUSDT at `price`, in Binance's parameters. */
const limitBuy = (price: string, extra: Record<string, string> = {}) => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.0100',
  price,
  ...extra,
});

const ok = async (a: Promise<Answer>) => {
  const r = await a;
  if (r.status !== 200) throw new Error(`answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as Record<string, unknown> & Array<Record<string, unknown>>;
};

beforeAll(async () => {
  backend = await startTestBackend();
  const owner = await createOwner(backend);
  const a = await createUser(backend, 'trader');
  const b = await createUser(backend, 'trader');
  aliceId = a.userId;
  bobId = b.userId;
  alice = await createApiKey(backend, a, { scopes: ['read', 'trade'] });
  bob = await createApiKey(backend, b, { scopes: ['read', 'trade'] });
  reader = await createApiKey(backend, a, { scopes: ['read'] });
  await fund(backend, a.userId, 'USDT', '100000');
  await fund(backend, b.userId, 'BTC', '10');
  void owner;
}, 60_000);
afterAll(async () => {
  await backend.cleanup();
});

describe('Binance-compatible facade: public endpoints', () => {
  it("answers the system status (CCXT's fetchStatus): maintenance while no market trades", async () => {
    const status = async () =>
      (await backend.http.inject({ url: '/sapi/v1/system/status' })).json() as unknown;
    expect(await status()).toEqual({ status: 0, msg: 'normal' });
    const { items } = (await backend.invoke('markets.list', {}, trader(aliceId))) as {
      items: Array<{ symbol: string }>;
    };
    const setAll = (status: 'halted' | 'trading') =>
      Promise.all(
        items.map((m) =>
          backend.invoke('admin.markets.update', { symbol: m.symbol, status }, admin()),
        ),
      );
    await setAll('halted');
    expect(await status()).toEqual({ status: 1, msg: 'system_maintenance' });
    await setAll('trading');
    expect(await status()).toEqual({ status: 0, msg: 'normal' });
  });

  it('answers ping, time and exchangeInfo with the markets and their filters', async () => {
    expect(await ok(send('GET', '/ping', {}))).toEqual({});
    const time = await ok(send('GET', '/time', {}));
    expect(Math.abs((time.serverTime as number) - Date.now())).toBeLessThan(5_000);
    const info = await ok(send('GET', '/exchangeInfo', { symbol: 'BTCUSDT' }));
    const symbols = info.symbols as Array<Record<string, unknown>>;
    expect(symbols).toHaveLength(1);
    expect(symbols[0]).toMatchObject({
      symbol: 'BTCUSDT',
      status: 'TRADING',
      baseAsset: 'BTC',
      baseAssetPrecision: 8,
      quoteAsset: 'USDT',
      quoteAssetPrecision: 6,
    });
    // The filters exactly as orders are checked: engine bounds (never "0", which clients read
    // as a maximum of zero), the notional not applied to market orders by quantity, the band.
    expect(symbols[0]!.filters).toEqual([
      { filterType: 'PRICE_FILTER', minPrice: '0.01', maxPrice: '10000000', tickSize: '0.01' },
      { filterType: 'LOT_SIZE', minQty: '0.0001', maxQty: '900', stepSize: '0.0001' },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.0001', maxQty: '900', stepSize: '0.0001' },
      {
        filterType: 'NOTIONAL',
        minNotional: '5',
        applyMinToMarket: false,
        maxNotional: '9000000000',
        applyMaxToMarket: true,
        avgPriceMins: 0,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      {
        filterType: 'TRAILING_DELTA',
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: '1.1',
        bidMultiplierDown: '0.9',
        askMultiplierUp: '1.1',
        askMultiplierDown: '0.9',
        avgPriceMins: 0,
      },
    ]);
    expect(info.rateLimits).toEqual([
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
    ]);
    const every = await ok(send('GET', '/exchangeInfo', {}));
    expect((every.symbols as Array<{ symbol: string }>).map((s) => s.symbol)).toContain('ETHBTC');
  });

  it('refuses an unknown symbol and an unknown endpoint in Binance shape', async () => {
    expect(await send('GET', '/depth', { symbol: 'DOGEUSDT' })).toEqual({
      status: 400,
      body: { code: -1121, msg: 'Invalid symbol.' },
    });
    const missing = await send('POST', '/orderList/oto', { symbol: 'BTCUSDT' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: -1000 });
  });
});

describe('Binance-compatible facade: trading with an Ed25519 API key', () => {
  it('places, fills, lists, cancels and reports like Binance', async () => {
    const bid = await ok(
      send('POST', '/order', limitBuy('30000.00', { newClientOrderId: 'grid-1' }), {
        key: alice,
        inBody: true,
      }),
    );
    expect(bid).toMatchObject({
      symbol: 'BTCUSDT',
      clientOrderId: 'grid-1',
      status: 'NEW',
      type: 'LIMIT',
      side: 'BUY',
      price: '30000.00',
      origQty: '0.0100',
      executedQty: '0.0000',
      fills: [],
    });
    const second = await ok(
      send(
        'POST',
        '/order',
        {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT_MAKER',
          quantity: '0.0200',
          price: '29000.00',
          newOrderRespType: 'ACK',
        },
        { key: alice },
      ),
    );
    expect(Object.keys(second).sort()).toEqual(
      ['clientOrderId', 'orderId', 'orderListId', 'symbol', 'transactTime'].sort(),
    );
    expect(second.clientOrderId).toMatch(/^x-/);

    // Bob's market sell takes Alice's best bid; FULL lists his fill.
    const sell = await ok(
      send(
        'POST',
        '/order',
        { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.0100' },
        { key: bob, inBody: true },
      ),
    );
    expect(sell).toMatchObject({ status: 'FILLED', executedQty: '0.0100', type: 'MARKET' });
    expect(sell.fills).toEqual([
      expect.objectContaining({ price: '30000.00', qty: '0.0100', commissionAsset: 'USDT' }),
    ]);

    const got = await ok(
      send('GET', '/order', { symbol: 'BTCUSDT', origClientOrderId: 'grid-1' }, { key: alice }),
    );
    expect(got).toMatchObject({
      orderId: bid.orderId,
      status: 'FILLED',
      cummulativeQuoteQty: '300.000000',
    });
    // The same order through Bourse's own catalogue: one exchange behind both doors.
    const native = (await backend.invoke(
      'orders.get',
      { clientOrderId: 'grid-1' },
      trader(aliceId),
    )) as { orderId: number; status: string; filledQuote: string };
    expect(native).toMatchObject({
      orderId: bid.orderId,
      status: 'filled',
      filledQuote: '300.000000',
    });

    // Public market data in Binance's shapes: trades oldest first, klines as arrays.
    const tape = await ok(send('GET', '/trades', { symbol: 'BTCUSDT' }));
    expect(tape).toEqual([
      expect.objectContaining({ price: '30000.00', qty: '0.0100', isBuyerMaker: true }),
    ]);
    const klines = (await ok(
      send('GET', '/klines', { symbol: 'BTCUSDT', interval: '1h' }),
    )) as unknown as unknown[][];
    expect(klines).toHaveLength(1);
    const [openTime, o, h, l, cl, v, closeTime, qv, n] = klines[0]!;
    expect([o, h, l, cl, v, qv, n]).toEqual([
      '30000.00',
      '30000.00',
      '30000.00',
      '30000.00',
      '0.0100',
      '300.000000',
      1,
    ]);
    expect((closeTime as number) - (openTime as number)).toBe(3_600_000 - 1);
    const agg = await ok(send('GET', '/aggTrades', { symbol: 'BTCUSDT', fromId: '1' }));
    expect(agg).toEqual([expect.objectContaining({ a: 1, p: '30000.00', q: '0.0100' })]);
    expect(await ok(send('GET', '/aggTrades', { symbol: 'BTCUSDT', fromId: '2' }))).toEqual([]);
    // 2h is merged from the 1h bars Bourse keeps; 1s is finer than any bar Bourse keeps.
    const twoHours = (await ok(
      send('GET', '/klines', { symbol: 'BTCUSDT', interval: '2h' }),
    )) as unknown as unknown[][];
    expect(twoHours).toHaveLength(1);
    expect((twoHours[0]![0] as number) % 7_200_000).toBe(0);
    expect((twoHours[0]![6] as number) - (twoHours[0]![0] as number)).toBe(7_200_000 - 1);
    expect(twoHours[0]!.slice(1, 6)).toEqual([
      '30000.00',
      '30000.00',
      '30000.00',
      '30000.00',
      '0.0100',
    ]);
    expect(await send('GET', '/klines', { symbol: 'BTCUSDT', interval: '1s' })).toMatchObject({
      status: 400,
      body: { code: -1120, msg: 'Invalid interval.' },
    });
    expect(await ok(send('GET', '/ticker/24hr', { symbol: 'BTCUSDT' }))).toMatchObject({
      symbol: 'BTCUSDT',
      lastPrice: '30000.00',
      weightedAvgPrice: '30000.00',
      volume: '0.0100',
      count: 1,
    });

    const open = await ok(send('GET', '/openOrders', { symbol: 'BTCUSDT' }, { key: alice }));
    expect(open.map((o) => o.orderId)).toEqual([second.orderId]);
    expect(open[0]).toMatchObject({ type: 'LIMIT_MAKER', status: 'NEW' });

    const trades = await ok(send('GET', '/myTrades', { symbol: 'BTCUSDT' }, { key: alice }));
    expect(trades).toEqual([
      expect.objectContaining({
        orderId: bid.orderId,
        isBuyer: true,
        isMaker: true,
        qty: '0.0100',
      }),
    ]);

    const account = await ok(send('GET', '/account', {}, { key: alice }));
    expect(account.canTrade).toBe(true);
    expect(account.balances).toEqual(
      expect.arrayContaining([{ asset: 'BTC', free: '0.01000000', locked: '0.00000000' }]),
    );

    const cancelled = await ok(
      send(
        'DELETE',
        '/order',
        { symbol: 'BTCUSDT', orderId: String(second.orderId) },
        { key: alice },
      ),
    );
    expect(cancelled).toMatchObject({ orderId: second.orderId, status: 'CANCELED' });
    // Cancelled already, another user's order, or one in another market: not there for
    // this caller — "does not exist" to read, "unknown order" to cancel, as on Binance.
    const gone = { code: -2013, msg: 'Order does not exist.' };
    const unknown = { code: -2011, msg: 'Unknown order sent.' };
    const cases: Array<['GET' | 'DELETE', string, unknown, object]> = [
      ['DELETE', 'BTCUSDT', second.orderId, unknown],
      ['GET', 'BTCUSDT', sell.orderId, gone],
      ['GET', 'ETHUSDT', bid.orderId, gone],
      ['DELETE', 'BTCUSDT', sell.orderId, unknown],
    ];
    for (const [method, symbol, orderId, body] of cases) {
      const params = { symbol, orderId: String(orderId) };
      expect(await send(method, '/order', params, { key: alice })).toEqual({ status: 400, body });
    }

    for (const price of ['28000.00', '28100.00']) {
      await ok(send('POST', '/order', limitBuy(price), { key: alice }));
    }
    const all = await ok(send('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, { key: alice }));
    expect(all.map((o) => o.status)).toEqual(['CANCELED', 'CANCELED']);
    const history = await ok(send('GET', '/allOrders', { symbol: 'BTCUSDT' }, { key: alice }));
    const ids = history.map((o) => o.orderId as number);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(history).toHaveLength(4);
  });

  it('refuses what Binance refuses, with its codes', async () => {
    const limit = limitBuy('30000.00');
    const expectCode = async (a: Promise<Answer>, code: number, status = 400) => {
      const r = await a;
      expect(r.status).toBe(status);
      expect((r.body as { code: number }).code).toBe(code);
      return (r.body as { msg: string }).msg;
    };
    await expectCode(
      send('POST', '/order', { ...limit, price: '30000.005' }, { key: alice }),
      -1013,
    );
    const poor = await send('POST', '/order', { ...limit, quantity: '100' }, { key: alice });
    // Binance's exact text (clients match on it), and Bourse's reason beside it.
    expect(poor).toEqual({
      status: 400,
      body: {
        code: -2010,
        msg: 'Account has insufficient balance for requested action.',
        bourse: {
          code: 'insufficient_funds',
          message: expect.stringMatching(/^Needs 3006000\.000000 USDT available, has /),
        },
      },
    });
    await expectCode(
      send('POST', '/order', { ...limit, type: 'TRAILING_STOP_MARKET' }, { key: alice }),
      -1116,
    );
    await expectCode(send('POST', '/order', { ...limit, side: 'HOLD' }, { key: alice }), -1117);
    await expectCode(
      send('POST', '/order', { ...limit, newOrderRespType: 'ALL' }, { key: alice }),
      -1100,
    );
    const { timeInForce: _tif, ...noTif } = limit;
    expect(await expectCode(send('POST', '/order', noTif, { key: alice }), -1102)).toContain(
      'timeInForce',
    );
    // Authentication: window, signature, key, scope, replay.
    await expectCode(
      send('POST', '/order', limit, { key: alice, timestamp: Date.now() - 60_000 }),
      -1021,
    );
    await expectCode(send('POST', '/order', limit, { key: alice, tamper: true }), -1022);
    await expectCode(send('POST', '/order', limit, { key: reader }), -2015, 401);
    const forged = { ...alice, id: 'ak_doesnotexist' };
    await expectCode(send('GET', '/account', {}, { key: forged }), -2015, 401);
    const unsigned = await backend.http.inject({
      method: 'GET',
      url: `/api/v3/account?timestamp=${Date.now()}`,
    });
    expect(unsigned.json()).toEqual({ code: -2014, msg: 'API-key format invalid.' });
    const ts = freshTimestamp();
    await ok(send('GET', '/account', {}, { key: alice, timestamp: ts }));
    await expectCode(send('GET', '/account', {}, { key: alice, timestamp: ts }), -1021);
    // The same signed parameters sent to another endpoint (Binance's signature does not cover
    // the path): refused as a replay.
    // The same parameters to two read-only endpoints in the same millisecond (what a client's
    // parallel reads send): both answered; the same read twice is a replay.
    const readTs = freshTimestamp();
    const sameReads = { symbol: 'BTCUSDT' };
    for (const path of ['/openOrders', '/myTrades', '/allOrders']) {
      expect((await send('GET', path, sameReads, { key: alice, timestamp: readTs })).status).toBe(
        200,
      );
    }
    await expectCode(send('GET', '/myTrades', sameReads, { key: alice, timestamp: readTs }), -1021);
    const cancelTs = freshTimestamp();
    const probe = await send(
      'GET',
      '/openOrders',
      { symbol: 'BTCUSDT' },
      { key: alice, timestamp: cancelTs },
    );
    expect(probe.status).toBe(200);
    await expectCode(
      send('DELETE', '/openOrders', { symbol: 'BTCUSDT' }, { key: alice, timestamp: cancelTs }),
      -1021,
    );
    const garbled = await backend.http.inject({
      method: 'GET',
      url: `/api/v3/account?timestamp=${Date.now()}&signature=%ZZ`,
      headers: { 'x-mbx-apikey': alice.id },
    });
    expect(garbled.json()).toEqual({
      code: -1022,
      msg: 'Signature for this request is not valid.',
    });
    // A signature made for /api/v1 (its canonical text as the form body) does not pass here.
    const v1 = [
      'BOURSE-ED25519-V1',
      alice.id,
      String(Date.now()),
      '',
      'GET',
      '/api/v1/balances',
      `timestamp=${Date.now()}`,
      crypto.createHash('sha256').update('').digest('hex'),
    ].join('\n');
    const v1sig = crypto.sign(null, Buffer.from(v1), alice.privateKey).toString('base64');
    const crossed = await backend.http.inject({
      method: 'POST',
      url: `/api/v3/order?signature=${encodeURIComponent(v1sig)}`,
      headers: { 'x-mbx-apikey': alice.id, 'content-type': 'application/x-www-form-urlencoded' },
      payload: v1,
    });
    expect(crossed.json()).toEqual({
      code: -1100,
      msg: 'Illegal characters found in a parameter.',
    });
    // Binance takes no JSON bodies.
    const json = await backend.http.inject({
      method: 'POST',
      url: '/api/v3/order',
      headers: { 'content-type': 'application/json', 'x-mbx-apikey': alice.id },
      payload: JSON.stringify(limit),
    });
    expect(json.json()).toMatchObject({ code: -1102 });
  });

  it('lists own trades by time and by id as Binance does', async () => {
    await fund(backend, bobId, 'ETH', '1');
    const eth = { symbol: 'ETH/USDT' };
    for (let i = 0; i < 3; i++) {
      await place(backend, bobId, { ...limitOrder('sell', '2000.00', '0.1'), ...eth });
      await place(backend, aliceId, { ...limitOrder('buy', '2000.00', '0.1'), ...eth });
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct fill times
    }
    const mine = (params: Record<string, string>) =>
      ok(send('GET', '/myTrades', { symbol: 'ETHUSDT', ...params }, { key: alice }));
    const all = await mine({});
    expect(all.map((t) => t.id)).toEqual([1, 2, 3]);
    const [t1, t2, t3] = all.map((t) => String(t.time));
    // startTime: the first `limit` from it, oldest first; endTime: the latest up to it.
    expect((await mine({ startTime: t2 ?? '' })).map((t) => t.id)).toEqual([2, 3]);
    expect((await mine({ startTime: t1 ?? '', limit: '2' })).map((t) => t.id)).toEqual([1, 2]);
    expect((await mine({ endTime: t2 ?? '' })).map((t) => t.id)).toEqual([1, 2]);
    expect((await mine({ endTime: t3 ?? '', limit: '1' })).map((t) => t.id)).toEqual([3]);
    const window = { startTime: t2 ?? '', endTime: t2 ?? '' };
    expect((await mine(window)).map((t) => t.id)).toEqual([2]);
    // allOrders by time, the same way (the orders were placed just before their fills).
    const orders = async (params: Record<string, string>) =>
      (await ok(send('GET', '/allOrders', { symbol: 'ETHUSDT', ...params }, { key: alice }))).map(
        (o) => o.time as number,
      );
    const placed = await orders({});
    expect(placed).toHaveLength(3);
    expect(placed).toEqual([...placed].sort((x, y) => x - y));
    expect(await orders({ startTime: String(placed[1]) })).toEqual(placed.slice(1));
    expect(await orders({ endTime: String(placed[1]), limit: '1' })).toEqual([placed[1]]);
    // Paging by id, as Binance does: trades from an id on, one order's trades, orders from an
    // order id on.
    expect((await mine({ fromId: '2' })).map((t) => t.id)).toEqual([2, 3]);
    const second = all[1]!;
    const ofOrder = await mine({ orderId: String(second.orderId) });
    expect(ofOrder.map((t) => t.id)).toEqual([2]);
    expect(await mine({ orderId: '999999' })).toEqual([]);
    const byId = await ok(
      send(
        'GET',
        '/allOrders',
        { symbol: 'ETHUSDT', orderId: String(second.orderId) },
        { key: alice },
      ),
    );
    expect(byId.map((o) => o.time)).toEqual(placed.slice(1));
    expect(
      await send(
        'GET',
        '/myTrades',
        { symbol: 'ETHUSDT', fromId: '1', startTime: t1 ?? '' },
        { key: alice },
      ),
    ).toMatchObject({ status: 400, body: { code: -1128 } });
    expect(
      await send('GET', '/myTrades', { symbol: 'ETHUSDT', startTime: 'x' }, { key: alice }),
    ).toMatchObject({ status: 400, body: { code: -1100 } });
  });

  it('tests an order without placing it, and reports the best bid and ask', async () => {
    const order = limitBuy('28000.00');
    const before = await ok(send('GET', '/openOrders', { symbol: 'BTCUSDT' }, { key: alice }));
    expect(await ok(send('POST', '/order/test', order, { key: alice }))).toEqual({});
    const bad = await send('POST', '/order/test', { ...order, price: '28000.005' }, { key: alice });
    expect(bad).toMatchObject({ status: 400, body: { code: -1013 } });
    const after = await ok(send('GET', '/openOrders', { symbol: 'BTCUSDT' }, { key: alice }));
    expect(after).toEqual(before); // nothing placed
    // The test answers only for a signed, trading key.
    const readOnly = await send('POST', '/order/test', order, { key: reader });
    expect(readOnly).toMatchObject({ status: 401, body: { code: -2015 } });

    const placed = await ok(send('POST', '/order', order, { key: alice }));
    const book = await ok(send('GET', '/ticker/bookTicker', { symbol: 'BTCUSDT' }));
    expect(book).toMatchObject({ symbol: 'BTCUSDT', bidPrice: expect.any(String) });
    expect(Number(book.bidPrice)).toBeGreaterThanOrEqual(28000);
    const all = await ok(send('GET', '/ticker/bookTicker', {}));
    expect(all.map((t) => t.symbol)).toContain('ETHUSDT');
    expect(all.find((t) => t.symbol === 'BTCUSDT')).toEqual(book);
    await ok(
      send(
        'DELETE',
        '/order',
        { symbol: 'BTCUSDT', orderId: String(placed.orderId) },
        { key: alice },
      ),
    );
  });
});
