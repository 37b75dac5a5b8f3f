import type { Asset, MarketConfig } from './types';

/**
 * Assets of a fresh install. Scales are the ledger's minor units: BTC in satoshis, USDT in
 * micro-units as on most venues, fiat in cents. ETH uses 8 decimals rather than its 18 on
 * chain: an exchange balance never needs wei, and 8 keeps quantities comparable with BTC.
 */
export const DEFAULT_ASSETS: readonly Asset[] = [
  { code: 'BTC', scale: 8, name: 'Bitcoin' },
  { code: 'ETH', scale: 8, name: 'Ether' },
  { code: 'USDT', scale: 6, name: 'Tether USD' },
  { code: 'EUR', scale: 2, name: 'Euro' },
  { code: 'USD', scale: 2, name: 'US Dollar' },
];

/**
 * What `balances.demoTopUp` tops a user up to, per asset: enough to try every default market
 * (about 10,000 US dollars' worth of each currency at the simulator's reference prices).
 */
export const DEMO_ALLOWANCE: Readonly<Record<string, string>> = {
  USDT: '10000',
  BTC: '0.15',
  ETH: '3',
  EUR: '10000',
  USD: '10000',
};

/**
 * Markets of a fresh install. Crypto pairs charge maker 0.10 % / taker 0.20 % (a common
 * retail tier) with a ±10 % price band; EUR/USD is priced in pips (0.0001) with 100 EUR lots
 * (so one tick × one lot is exactly one cent), maker 0.01 % / taker 0.02 %, ±2 % band.
 * Each tick × lot is exactly one minor unit of the quote (1 µUSDT, 1 satoshi, 1 cent):
 * the finest increments that keep every notional exact.
 */
export const DEFAULT_MARKETS: readonly MarketConfig[] = [
  {
    symbol: 'BTC/USDT',
    base: 'BTC',
    quote: 'USDT',
    tickSize: '0.01',
    lotSize: '0.0001',
    minQty: '0.0001',
    minNotional: '5',
    makerFeePpm: 1000,
    takerFeePpm: 2000,
    status: 'trading',
    priceBandBps: 1000,
  },
  {
    symbol: 'ETH/USDT',
    base: 'ETH',
    quote: 'USDT',
    tickSize: '0.01',
    lotSize: '0.0001',
    minQty: '0.0001',
    minNotional: '5',
    makerFeePpm: 1000,
    takerFeePpm: 2000,
    status: 'trading',
    priceBandBps: 1000,
  },
  {
    symbol: 'ETH/BTC',
    base: 'ETH',
    quote: 'BTC',
    tickSize: '0.00001',
    lotSize: '0.001',
    minQty: '0.001',
    minNotional: '0.0001',
    makerFeePpm: 1000,
    takerFeePpm: 2000,
    status: 'trading',
    priceBandBps: 1000,
  },
  {
    symbol: 'EUR/USD',
    base: 'EUR',
    quote: 'USD',
    tickSize: '0.0001',
    lotSize: '100',
    minQty: '100',
    minNotional: '10',
    makerFeePpm: 100,
    takerFeePpm: 200,
    status: 'trading',
    priceBandBps: 200,
  },
];
