// Valid payloads of real streams, for tests that publish on the hub directly: the hub is typed
// against StreamPayloads, so a test message has the shape a client of that stream expects.
// Each takes overrides, so a test can mark a message (`title`, `orderId`, …) to tell it apart.
import type { StreamPayloads } from '../../src-shared/contract';

export function sampleOrder(
  over: Partial<StreamPayloads['orders']> = {},
): StreamPayloads['orders'] {
  return {
    orderId: 1,
    clientOrderId: null,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    tif: 'GTC',
    price: '100.00',
    stopPrice: null,
    qty: '1.000',
    quoteQty: null,
    filledQty: '0.000',
    openQty: '1.000',
    filledQuote: '0.00',
    fees: '0.00',
    held: '100.00',
    postOnly: false,
    stp: 'cancel_newest',
    status: 'new',
    cancelReason: null,
    tsCreated: 1_700_000_000_000,
    tsUpdated: 1_700_000_000_000,
    ...over,
  };
}

export function sampleFill(over: Partial<StreamPayloads['fills']> = {}): StreamPayloads['fills'] {
  return {
    symbol: 'BTC/USDT',
    tradeId: 1,
    orderId: 1,
    side: 'buy',
    role: 'taker',
    price: '100.00',
    qty: '1.000',
    quoteQty: '100.00',
    fee: '0.10',
    feeAsset: 'USDT',
    ts: 1_700_000_000_000,
    ...over,
  };
}

export function samplePublicTrade(
  over: Partial<StreamPayloads[`tape:${string}`]> = {},
): StreamPayloads[`tape:${string}`] {
  return {
    tradeId: 1,
    price: '100.00',
    qty: '1.000',
    quoteQty: '100.00',
    takerSide: 'buy',
    ts: 1_700_000_000_000,
    ...over,
  };
}

export function sampleNotification(
  over: Partial<StreamPayloads['notifications']> = {},
): StreamPayloads['notifications'] {
  return {
    id: 1,
    level: 'info',
    kind: 'test',
    title: 'Test',
    body: '',
    tsCreated: 1_700_000_000_000,
    tsRead: null,
    ...over,
  };
}

export function sampleDepthDiff(
  over: Partial<StreamPayloads[`depth:${string}`]> = {},
): StreamPayloads[`depth:${string}`] {
  return { symbol: 'BTC/USDT', seq: 1, bids: [['100.00', '1.000']], asks: [], ...over };
}

export function sampleTicker(
  over: Partial<StreamPayloads['tickers']> = {},
): StreamPayloads['tickers'] {
  return {
    symbol: 'BTC/USDT',
    open: null,
    high: null,
    low: null,
    last: null,
    volume: '0',
    quoteVolume: '0',
    change: '0',
    changePercent: '0.00',
    trades: 0,
    bestBid: null,
    bestAsk: null,
    ts: 1_700_000_000_000,
    ...over,
  };
}
