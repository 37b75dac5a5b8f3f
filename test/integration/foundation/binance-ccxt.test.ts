// A real Binance client — CCXT, unmodified — trading on Bourse through the /api/v3 facade with
// an Ed25519 API key, only its base URL changed. If CCXT can load the markets, trade, read
// balances and orders, and turns Bourse's refusals into its own exception classes, so can the
// bots built on it.
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
import { fund } from '../../helpers/exchange';

let backend: TestBackend;
let base: string;

/** A CCXT Binance client for a new Ed25519 key of this user (the PEM is CCXT's "secret"). */
async function clientFor(user: TestSession, scopes: ApiKeyScope[], enableRateLimit = true) {
  const { id: apiKey, privateKey } = await createApiKey(backend, user, {
    label: 'ccxt',
    scopes: scopes,
  });
  const exchange = new ccxt.binance({
    enableRateLimit,
    apiKey,
    secret: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    // Spot only: Bourse has no futures, margin or wallet-currency endpoints to ask.
    options: {
      fetchMarkets: { types: ['spot'] },
      fetchCurrencies: false,
      fetchMargins: false,
    },
  });
  const api = exchange.urls.api as Record<string, string>;
  api.public = base;
  api.private = base;
  // Binance's wallet API, where CCXT reads a spot market's fee rates.
  api.sapi = base.replace('/api/v3', '/sapi/v1');
  return exchange;
}

let alice: InstanceType<typeof ccxt.binance>;
let bob: InstanceType<typeof ccxt.binance>;
let readOnly: InstanceType<typeof ccxt.binance>;
let unthrottled: InstanceType<typeof ccxt.binance>;

beforeAll(async () => {
  backend = await startTestBackend();
  base = `${await backend.listen()}/api/v3`;
  await createOwner(backend);
  const a = await createUser(backend, 'trader');
  const b = await createUser(backend, 'trader');
  await fund(backend, a.userId, 'USDT', '100000');
  await fund(backend, b.userId, 'BTC', '1');
  alice = await clientFor(a, ['read', 'trade']);
  bob = await clientFor(b, ['read', 'trade']);
  readOnly = await clientFor(a, ['read']);
  unthrottled = await clientFor(a, ['read'], false);
}, 60_000);
afterAll(async () => {
  await backend.cleanup();
});

describe('CCXT (binance) against the facade', () => {
  it('loads the markets with their precision and limits', async () => {
    const markets = await alice.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/BTC', 'ETH/USDT', 'EUR/USD']);
    expect(markets['BTC/USDT']).toMatchObject({
      id: 'BTCUSDT',
      base: 'BTC',
      quote: 'USDT',
      spot: true,
      active: true,
      precision: { price: 0.01, amount: 0.0001 },
      // Real maximums (a "0" would read as max 0 and freqtrade would refuse every entry).
      limits: {
        amount: { min: 0.0001, max: 900 },
        price: { min: 0.01, max: 10_000_000 },
        cost: { min: 5, max: 9_000_000_000 },
        market: { min: 0.0001, max: 900 },
      },
    });
  });

  it('trades: a limit bid rests, a market sell fills it, both sides see it', async () => {
    await bob.loadMarkets();
    const bid = await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.02, 30000);
    expect(bid).toMatchObject({ status: 'open', price: 30000, amount: 0.02, filled: 0 });
    const book = await bob.fetchOrderBook('BTC/USDT');
    expect(book.bids[0]).toEqual([30000, 0.02]);

    const sell = await bob.createOrder('BTC/USDT', 'market', 'sell', 0.01);
    expect(sell).toMatchObject({ status: 'closed', filled: 0.01, average: 30000 });
    expect(sell.trades).toHaveLength(1);

    const after = await alice.fetchOrder(String(bid.id), 'BTC/USDT');
    expect(after).toMatchObject({ status: 'open', filled: 0.01, remaining: 0.01 });
    const mine = await alice.fetchMyTrades('BTC/USDT');
    expect(mine.map((t) => [t.side, t.takerOrMaker, t.amount, t.price])).toEqual([
      ['buy', 'maker', 0.01, 30000],
    ]);
    // `since` is Binance's startTime: from then on, not the latest whatever the time.
    const [fill] = mine;
    expect(await alice.fetchMyTrades('BTC/USDT', fill?.timestamp)).toHaveLength(1);
    expect(await alice.fetchMyTrades('BTC/USDT', (fill?.timestamp ?? 0) + 1)).toEqual([]);
    // A test order (Binance's order/test) is checked and not placed; bid/ask from bookTicker.
    await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 29000, { test: true });
    expect((await alice.fetchOpenOrders('BTC/USDT')).map((o) => o.id)).toEqual([bid.id]);
    const [bidsAsks] = Object.values(await alice.fetchBidsAsks(['BTC/USDT']));
    expect(bidsAsks).toMatchObject({ symbol: 'BTC/USDT', bid: 30000, bidVolume: 0.01 });
    const since = await alice.fetchOrders('BTC/USDT', bid.timestamp);
    expect(since.map((o) => o.id)).toEqual([bid.id]);
    expect(await alice.fetchOrders('BTC/USDT', (bid.timestamp ?? 0) + 1)).toEqual([]);
    const balance = await alice.fetchBalance();
    expect(balance.BTC).toMatchObject({ free: 0.01, used: 0, total: 0.01 });
    // 601.20 was held for 0.02 at the highest fee; 300 + a 0.30 maker fee went out of it.
    expect(balance.USDT).toMatchObject({ free: 99398.8, used: 300.9, total: 99699.7 });

    const open = await alice.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => o.id)).toEqual([bid.id]);
    const cancelled = await alice.cancelOrder(String(bid.id), 'BTC/USDT');
    expect(cancelled.status).toBe('canceled');
    expect(await alice.fetchOpenOrders('BTC/USDT')).toEqual([]);
  });

  it('edits an order: editOrder sends order/cancelReplace, the old order ends, the new rests', async () => {
    await alice.loadMarkets();
    const bid = await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 29000);
    const edited = await alice.editOrder(String(bid.id), 'BTC/USDT', 'limit', 'buy', 0.02, 29500);
    expect(edited).toMatchObject({ status: 'open', price: 29500, amount: 0.02 });
    expect(edited.id).not.toBe(bid.id);
    expect(await alice.fetchOrder(String(bid.id), 'BTC/USDT')).toMatchObject({
      status: 'canceled',
    });
    expect((await alice.fetchOpenOrders('BTC/USDT')).map((o) => o.id)).toEqual([edited.id]);
    // Editing an order that is no longer open: Binance's -2022, which CCXT raises as such.
    await expect(
      alice.editOrder(String(bid.id), 'BTC/USDT', 'limit', 'buy', 0.02, 29600),
    ).rejects.toThrow(/-2022/);
    await alice.cancelOrder(String(edited.id), 'BTC/USDT');
  });

  it('reads market data: the 24 h ticker, public trades and candles', async () => {
    expect(await bob.fetchStatus()).toMatchObject({ status: 'ok' });
    const ticker = await bob.fetchTicker('BTC/USDT');
    expect(ticker).toMatchObject({
      symbol: 'BTC/USDT',
      last: 30000,
      baseVolume: 0.01,
      vwap: 30000,
    });
    const trades = await bob.fetchTrades('BTC/USDT');
    expect(trades.map((t) => [t.price, t.amount, t.side])).toEqual([[30000, 0.01, 'sell']]);
    const bars = await bob.fetchOHLCV('BTC/USDT', '1m');
    expect(bars).toHaveLength(1);
    expect(bars[0]!.slice(1)).toEqual([30000, 30000, 30000, 30000, 0.01]);
    // 3m is merged from the 1m bars; 1s is finer than any bar Bourse keeps.
    const threeMinutes = await bob.fetchOHLCV('BTC/USDT', '3m');
    expect(threeMinutes.map((b) => b.slice(1))).toEqual([[30000, 30000, 30000, 30000, 0.01]]);
    expect((threeMinutes[0]![0] ?? 1) % 180_000).toBe(0);
    await expect(bob.fetchOHLCV('BTC/USDT', '1s')).rejects.toBeInstanceOf(ccxt.BadRequest);
  });

  it("raises CCXT's own exceptions for Bourse's refusals", async () => {
    await expect(alice.createOrder('BTC/USDT', 'limit', 'buy', 100, 30000)).rejects.toBeInstanceOf(
      ccxt.InsufficientFunds,
    );
    await expect(
      // Outside the 10 % band around the last price (CCXT would round an off-tick price).
      alice.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 40000),
    ).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    await expect(alice.cancelOrder('999999', 'BTC/USDT')).rejects.toBeInstanceOf(
      ccxt.OrderNotFound,
    );
    // A buy stop at or below the last price (30000) would trigger at once: Binance refuses it.
    await expect(
      alice.createOrder('BTC/USDT', 'STOP_LOSS_LIMIT', 'buy', 0.01, 30100, { stopPrice: 29000 }),
    ).rejects.toBeInstanceOf(ccxt.OrderImmediatelyFillable);
    await readOnly.loadMarkets();
    await expect(
      readOnly.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 29000),
    ).rejects.toBeInstanceOf(ccxt.AuthenticationError);
  });
  it('places a trailing stop: STOP_LOSS with trailingDelta, stopPrice left out', async () => {
    await bob.loadMarkets();
    // 1 % under the last price (30000), following the highs from there.
    const stop = await bob.createOrder('BTC/USDT', 'STOP_LOSS', 'sell', 0.01, undefined, {
      trailingDelta: 100,
    });
    const [open] = await bob.fetchOpenOrders('BTC/USDT');
    expect(open).toMatchObject({ id: stop.id, status: 'open', triggerPrice: 29700 });
    expect(open?.info).toMatchObject({ type: 'STOP_LOSS', trailingDelta: 100 });
    await bob.cancelOrder(String(stop.id), 'BTC/USDT');
  });

  it('places take-profits from takeProfitPrice: TAKE_PROFIT_LIMIT and TAKE_PROFIT', async () => {
    await bob.loadMarkets();
    // The last price is 30000: a sell take-profit waits above it.
    const limit = await bob.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 30900, {
      takeProfitPrice: 31000,
    });
    const market = await bob.createOrder('BTC/USDT', 'market', 'sell', 0.01, undefined, {
      takeProfitPrice: 32000,
    });
    const open = await bob.fetchOpenOrders('BTC/USDT');
    expect(open.find((o) => o.id === limit.id)).toMatchObject({
      status: 'open',
      price: 30900,
      triggerPrice: 31000,
      info: { type: 'TAKE_PROFIT_LIMIT' },
    });
    expect(open.find((o) => o.id === market.id)).toMatchObject({
      status: 'open',
      triggerPrice: 32000,
      info: { type: 'TAKE_PROFIT' },
    });
    // Under the last price it would trigger at once: Binance refuses that, and so does Bourse.
    await expect(
      bob.createOrder('BTC/USDT', 'market', 'sell', 0.01, undefined, { takeProfitPrice: 29000 }),
    ).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    await bob.cancelAllOrders('BTC/USDT');
  });

  it("reads each market's fee rates (fetchTradingFee asks /sapi/v1/asset/tradeFee)", async () => {
    const fee = await alice.fetchTradingFee('BTC/USDT');
    expect(fee).toMatchObject({ symbol: 'BTC/USDT', maker: 0.001, taker: 0.002 });
    const fees = await alice.fetchTradingFees();
    expect(Object.keys(fees).sort()).toEqual(['BTC/USDT', 'ETH/BTC', 'ETH/USDT', 'EUR/USD']);
    expect(fees['EUR/USD']).toMatchObject({ maker: 0.0001, taker: 0.0002 });
  });

  it('places, lists and cancels an OCO through its implicit orderList methods', async () => {
    // CCXT has no unified OCO call for binance spot; its generated methods reach the endpoints.
    const placed = await bob.privatePostOrderListOco({
      symbol: 'BTCUSDT',
      side: 'SELL',
      quantity: '0.01',
      aboveType: 'LIMIT_MAKER',
      abovePrice: '31000',
      belowType: 'STOP_LOSS',
      belowStopPrice: '29000',
    });
    expect(placed).toMatchObject({ contingencyType: 'OCO', listOrderStatus: 'EXECUTING' });
    const open = await bob.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => [o.info.type, o.info.orderListId]).sort()).toEqual([
      ['LIMIT_MAKER', placed.orderListId],
      ['STOP_LOSS', placed.orderListId],
    ]);
    expect(await bob.privateGetOpenOrderList()).toHaveLength(1);
    const done = await bob.privateDeleteOrderList({
      symbol: 'BTCUSDT',
      orderListId: placed.orderListId,
    });
    expect(done).toMatchObject({ listOrderStatus: 'ALL_DONE' });
    expect(await bob.fetchOpenOrders('BTC/USDT')).toEqual([]);
  });

  it('answers parallel reads with the same parameters (one millisecond, one signature)', async () => {
    // Without CCXT's own throttle, these go out in the same millisecond with identical
    // parameters, so identical signatures: Binance answers all of them, and so does Bourse.
    await unthrottled.loadMarkets();
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.allSettled([
        unthrottled.fetchOpenOrders('BTC/USDT'),
        unthrottled.fetchMyTrades('BTC/USDT'),
        unthrottled.fetchOrders('BTC/USDT'),
      ]);
      expect(answers.filter((a) => a.status === 'rejected')).toEqual([]);
    }
  });
});
