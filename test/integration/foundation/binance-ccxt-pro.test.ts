// CCXT Pro (the `binance` class, unmodified: only its REST and stream base URLs changed)
// watching Bourse's Binance-compatible streams: it opens /binance/ws/<connection index>,
// subscribes live, and keeps an order book from the diff-depth stream joined to REST depth;
// with an Ed25519 key it subscribes to the user data stream over the WebSocket API
// (userDataStream.subscribe.signature) and watches its orders, trades and balances.
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOwner,
  createUser,
  type TestSession,
  createApiKey,
  type ApiKeyScope,
} from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, limit, place } from '../../helpers/exchange';

type Pro = InstanceType<typeof ccxt.pro.binance>;
let backend: TestBackend;
let http: string;
let watcher: Pro;
const clients: Pro[] = [];

/** A new Ed25519 API key of this user: its id and private key. */
async function newKey(user: TestSession, scopes: ApiKeyScope[] = ['read', 'trade']) {
  const { id: apiKey, privateKey } = await createApiKey(backend, user, {
    label: 'ccxt-pro',
    scopes: scopes,
  });
  return { apiKey, privateKey };
}

/** A CCXT Pro client pointed at Bourse; with a user, signed by a new Ed25519 key of theirs. */
async function proClient(
  user?: TestSession,
  scopes: ApiKeyScope[] = ['read', 'trade'],
): Promise<Pro> {
  const credentials: { apiKey?: string; secret?: string } = {};
  if (user) {
    const { apiKey, privateKey } = await newKey(user, scopes);
    credentials.apiKey = apiKey;
    credentials.secret = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }
  const ex = new ccxt.pro.binance({
    ...credentials,
    options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
  });
  const api = ex.urls.api as Record<string, unknown>;
  api.public = api.private = `${http}/api/v3`;
  const ws = api.ws as Record<string, unknown>;
  ws.spot = `${http.replace('http', 'ws')}/binance/ws`;
  (ws['ws-api'] as Record<string, string>).spot = `${http.replace('http', 'ws')}/binance/ws-api/v3`;
  // CCXT's own step for a plain ws:// URL (Bourse listens on loopback without TLS).
  await ex.loadHttpProxyAgent();
  await ex.loadMarkets();
  clients.push(ex);
  return ex;
}

beforeAll(async () => {
  backend = await startTestBackend();
  http = await backend.listen();
  await fund(backend, 'alice', 'BTC', '10');
  await fund(backend, 'bob', 'USDT', '1000000');
  watcher = await proClient();
}, 60_000);
afterAll(async () => {
  for (const ex of clients) await ex.close();
  await backend.cleanup();
});

let price = 30_000;
/** One trade of 0.01 BTC (alice's ask taken by bob), a tick higher each time. */
async function trade(): Promise<void> {
  price += 1;
  await place(backend, 'alice', limit('sell', price.toFixed(2), '0.0100'));
  await place(backend, 'bob', limit('buy', price.toFixed(2), '0.0100'));
}

/**
 * Awaits a `watch*` call, trading until it resolves: its SUBSCRIBE is in flight when it is
 * called, and only the events after the subscription reach it. Each round waits for the
 * trade's commit, never for a timer.
 */
async function whileTrading<T>(watch: Promise<T>): Promise<T> {
  let done = false;
  const out = watch.finally(() => {
    done = true;
  });
  for (let round = 0; round < 100 && !done; round++) await trade();
  return out;
}

/** Two new traders with CCXT Pro clients: a buyer with 100,000 USDT, a seller with 1 BTC. */
async function buyerAndSeller(): Promise<{ buyer: Pro; seller: Pro }> {
  const buyer = await createUser(backend, 'trader');
  const seller = await createUser(backend, 'trader');
  await fund(backend, buyer.userId, 'USDT', '100000');
  await fund(backend, seller.userId, 'BTC', '1');
  return { buyer: await proClient(buyer), seller: await proClient(seller) };
}

describe('CCXT Pro (binance) against the streams', () => {
  it('watches trades, the ticker and candles', async () => {
    // The watch resolves on a trade of this run; more may have followed by the time it has.
    const ours = (p: number | undefined) => p !== undefined && p > 30_000 && p <= price;
    const trades = await whileTrading(watcher.watchTrades('BTC/USDT'));
    expect(trades.at(-1)).toMatchObject({ symbol: 'BTC/USDT', amount: 0.01, side: 'buy' });
    expect(ours(trades.at(-1)?.price)).toBe(true);

    const ticker = await whileTrading(watcher.watchTicker('BTC/USDT'));
    expect(ticker.symbol).toBe('BTC/USDT');
    expect(ours(ticker.last)).toBe(true);
    expect(ticker.baseVolume).toBeGreaterThanOrEqual(0.01);

    // Every market's tickers (`!ticker@arr`, what watchTickers asks without symbols).
    const all = await whileTrading(watcher.watchTickers());
    expect(ours(all['BTC/USDT']?.last)).toBe(true);

    const bars = await whileTrading(watcher.watchOHLCV('BTC/USDT', '1m'));
    const [, open, high, low, close, volume] = bars.at(-1)!;
    expect([open, high, low, close].every(ours)).toBe(true);
    expect(volume).toBeGreaterThanOrEqual(0.01);
  });

  it('keeps an order book from diff depth equal to REST depth', async () => {
    await place(backend, 'alice', limit('sell', '31000.00', '0.5000'));
    await place(backend, 'bob', limit('buy', '29000.00', '0.2500'));
    let book = await watcher.watchOrderBook('BTC/USDT');
    expect(book.asks[0]).toEqual([31000, 0.5]);
    // Changes after the snapshot arrive as depthUpdate events CCXT applies in sequence.
    await place(backend, 'alice', limit('sell', '30900.00', '0.1000'));
    await place(backend, 'bob', limit('buy', '29100.00', '0.2000'));
    await place(backend, 'bob', limit('buy', '30900.00', '0.0400')); // takes part of the ask
    const rest = await watcher.fetchOrderBook('BTC/USDT');
    while ((book.nonce ?? 0) < (rest.nonce ?? 0)) book = await watcher.watchOrderBook('BTC/USDT');
    expect(book.nonce).toBe(rest.nonce);
    expect(book.asks.slice(0, 2)).toEqual([
      [30900, 0.06],
      [31000, 0.5],
    ]);
    expect(book.bids.slice(0, 2)).toEqual([
      [29100, 0.2],
      [29000, 0.25],
    ]);
    expect({ bids: book.bids, asks: book.asks }).toEqual({ bids: rest.bids, asks: rest.asks });
  });

  it('watches its own orders, trades and balances over the user data stream', async () => {
    await createOwner(backend);
    const { buyer, seller } = await buyerAndSeller();
    await buyer.authenticate(); // userDataStream.subscribe.signature, signed with Ed25519

    // Each watch is called before the REST call that causes its event. The bid is the best
    // one (the order book test left bids at 29100 and below), so the market sell takes it.
    const placed = buyer.watchOrders('BTC/USDT');
    const bid = await buyer.createOrder('BTC/USDT', 'limit', 'buy', 0.02, 29_500);
    expect((await placed).at(-1)).toMatchObject({
      id: bid.id,
      status: 'open',
      side: 'buy',
      price: 29_500,
      amount: 0.02,
      filled: 0,
    });

    const trades = buyer.watchMyTrades('BTC/USDT');
    const orders = buyer.watchOrders('BTC/USDT');
    await seller.createOrder('BTC/USDT', 'market', 'sell', 0.01);
    expect((await trades).at(-1)).toMatchObject({
      order: bid.id,
      side: 'buy',
      takerOrMaker: 'maker',
      price: 29_500,
      amount: 0.01,
    });
    expect((await orders).at(-1)).toMatchObject({ id: bid.id, status: 'open', filled: 0.01 });

    const balance = buyer.watchBalance();
    const cancelled = buyer.watchOrders('BTC/USDT');
    await buyer.cancelOrder(String(bid.id), 'BTC/USDT');
    expect((await cancelled).at(-1)).toMatchObject({ id: bid.id, status: 'canceled' });
    const b = await balance;
    expect(b.USDT?.used ?? b.BTC?.used).toBe(0); // nothing held once the bid is gone
  });

  it('trades and reads over the WebSocket API (createOrderWs, fetchBalanceWs and the like)', async () => {
    const { buyer, seller } = await buyerAndSeller();

    // order.place, order.status, openOrders.status, order.cancelReplace, order.cancel.
    const bid = await buyer.createOrderWs('BTC/USDT', 'limit', 'buy', 0.02, 29_400);
    expect(bid).toMatchObject({ status: 'open', price: 29_400, amount: 0.02, filled: 0 });
    expect(await buyer.fetchOrderWs(String(bid.id), 'BTC/USDT')).toMatchObject({
      id: bid.id,
      status: 'open',
    });
    const edited = await buyer.editOrderWs(
      String(bid.id),
      'BTC/USDT',
      'limit',
      'buy',
      0.03,
      29_450,
    );
    expect(edited).toMatchObject({ status: 'open', price: 29_450, amount: 0.03 });
    expect((await buyer.fetchOpenOrdersWs('BTC/USDT')).map((o) => o.id)).toEqual([edited.id]);

    // A market sell over the WebSocket API takes the bid: fills, trades and balances read back.
    const sold = await seller.createOrderWs('BTC/USDT', 'market', 'sell', 0.01);
    expect(sold).toMatchObject({ status: 'closed', filled: 0.01, side: 'sell' });
    const mine = await buyer.fetchMyTradesWs('BTC/USDT');
    expect(mine.at(-1)).toMatchObject({ order: edited.id, side: 'buy', amount: 0.01 });
    // account.status answers the spot account as Binance does; this CCXT version parses that
    // answer with its futures reader (no market type is passed on), so the balances are read
    // from `info`, as they would be against Binance.
    const balance = await buyer.fetchBalanceWs();
    const { balances } = balance.info as { balances: Array<{ asset: string; free: string }> };
    expect(balances.find((b) => b.asset === 'BTC')).toMatchObject({ free: '0.01000000' });
    const cancelled = await buyer.cancelOrderWs(String(edited.id), 'BTC/USDT');
    expect(cancelled).toMatchObject({ id: edited.id, status: 'canceled' });
    expect(await buyer.fetchOpenOrdersWs('BTC/USDT')).toEqual([]);
    expect((await buyer.fetchOrdersWs('BTC/USDT')).map((o) => o.status)).toEqual([
      'canceled',
      'canceled',
    ]);

    // Public requests: historical trades, candles (CCXT asks depth over the WebSocket API for
    // swaps only).
    const tape = await watcher.fetchTradesWs('BTC/USDT', undefined, 3);
    expect(tape).toHaveLength(3);
    const candles = await watcher.fetchOHLCVWs('BTC/USDT', '1m', undefined, 2);
    expect(candles.length).toBeGreaterThan(0);

    // A refusal keeps Binance's code, which CCXT raises as its own exception.
    await expect(
      buyer.createOrderWs('BTC/USDT', 'limit', 'buy', 100, 29_000),
    ).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
  });
});
