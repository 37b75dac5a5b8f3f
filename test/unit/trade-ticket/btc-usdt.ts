import type { Market } from '../../../src-renderer/src/stores/trade';

/** BTC/USDT as the Trade screen's store holds it, for the ticket's rule tests. */
export const BTC_USDT = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.01',
  lotSize: '0.0001',
  minQty: '0.0001',
  minNotional: '10.00',
  makerFeePpm: 1000,
  takerFeePpm: 2000,
  status: 'trading',
  priceBandBps: 1000,
  lastPrice: null,
  bestBid: null,
  bestAsk: null,
} satisfies Market;
