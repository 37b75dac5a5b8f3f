import { describe, expect, it } from 'vitest';
import { optionsLine } from '../../../src-renderer/src/screens/trade/labels';
import {
  amendRefusal,
  averagePrice,
  cancelAllNotice,
  historyPrice,
  historyStatus,
  placedNotice,
  restText,
} from '../../../src-renderer/src/screens/trade/order-words';
import { BTC_USDT } from './btc-usdt';

/** A BTC/USDT order as the exchange answers it; `over` changes what a case is about. */
const order = (over: Partial<Parameters<typeof placedNotice>[0]> = {}) => ({
  orderId: 2408,
  side: 'buy' as const,
  type: 'market' as const,
  price: null,
  qty: null,
  quoteQty: '100.000000',
  filledQty: '0.0015',
  filledQuote: '97.563900',
  status: 'cancelled' as const,
  cancelReason: 'ioc_remainder',
  ...over,
});

describe('what an order did, in the ticket', () => {
  it('a market buy by amount that bought and left less than a lot says what it bought', () => {
    expect(placedNotice(order(), BTC_USDT)).toBe(
      'Bought 0.0015 BTC for 97.5639 USDT; 2.4361 USDT not spent (less than one lot, 0.0001 BTC)',
    );
    expect(placedNotice(order({ filledQuote: '97.500000' }), BTC_USDT)).toBe(
      'Bought 0.0015 BTC for 97.50 USDT; 2.50 USDT not spent (less than one lot, 0.0001 BTC)',
    );
  });

  it('an order that filled in part and ended reports its fill and why the rest did not', () => {
    const sell = order({
      side: 'sell',
      quoteQty: null,
      qty: '0.5000',
      filledQty: '0.3000',
      filledQuote: '19500.000000',
      cancelReason: 'price_band',
    });
    expect(placedNotice(sell, BTC_USDT)).toBe(
      'Sold 0.3000 BTC for 19500.00 USDT; 0.2000 BTC not sold (outside the price band)',
    );
    const ioc = order({
      type: 'limit',
      price: '65000.00',
      quoteQty: null,
      qty: '0.5000',
      filledQty: '0.1000',
      filledQuote: '6500.000000',
    });
    expect(placedNotice(ioc, BTC_USDT)).toBe(
      'Bought 0.1000 BTC for 6500.00 USDT; 0.4000 BTC not bought (nothing more at 65000.00 or better)',
    );
    expect(placedNotice({ ...ioc, cancelReason: 'no_liquidity' }, BTC_USDT)).toMatch(
      /not bought \(no more offers in the book\)$/,
    );
  });

  it('says the same of one the exchange records filled with its budget spent (quote_spent)', () => {
    const spent = order({ status: 'filled', cancelReason: 'quote_spent' });
    expect(placedNotice(spent, BTC_USDT)).toBe(
      'Bought 0.0015 BTC for 97.5639 USDT; 2.4361 USDT not spent (less than one lot, 0.0001 BTC)',
    );
    expect(historyStatus(spent)).toEqual({ status: 'filled 0.0015', rest: 'rest under one lot' });
  });

  it('any other order says its status, and why one that ended without a fill ended', () => {
    const none = { filledQty: '0.0000', filledQuote: '0.000000' };
    expect(placedNotice(order({ ...none, status: 'new', cancelReason: null }), BTC_USDT)).toBe(
      'Order 2408 new',
    );
    expect(placedNotice(order({ status: 'filled', cancelReason: null }), BTC_USDT)).toBe(
      'Order 2408 filled',
    );
    expect(
      placedNotice(order({ ...none, status: 'partially_filled', cancelReason: null }), BTC_USDT),
    ).toBe('Order 2408 partially filled');
    expect(placedNotice(order({ ...none, cancelReason: 'no_liquidity' }), BTC_USDT)).toBe(
      'Order 2408 cancelled (no liquidity)',
    );
  });
});

describe('what an order did, in the order history', () => {
  it('a fill before the end reads as the fill, with the rest under it', () => {
    expect(historyStatus(order())).toEqual({
      status: 'filled 0.0015',
      rest: 'rest under one lot',
    });
    expect(historyStatus(order({ quoteQty: null, qty: '0.0100', type: 'limit' }))).toEqual({
      status: 'filled 0.0015',
      rest: 'rest expired',
    });
    expect(historyStatus(order({ cancelReason: 'user' }))).toEqual({
      status: 'filled 0.0015',
      rest: 'rest cancelled',
    });
    expect(historyStatus(order({ cancelReason: 'price_band' }))).toEqual({
      status: 'filled 0.0015',
      rest: 'rest cancelled (outside the price band)',
    });
    expect(restText(order(), BTC_USDT)).toBe(
      '2.4361 USDT not spent (less than one lot, 0.0001 BTC)',
    );
  });

  it('an order that filled nothing, or all, reads as its status', () => {
    const none = { filledQty: '0.0000', filledQuote: '0.000000' };
    expect(historyStatus(order({ ...none, cancelReason: 'oco' }))).toEqual({
      status: 'cancelled (OCO)',
    });
    expect(historyStatus(order({ ...none, cancelReason: 'user' }))).toEqual({
      status: 'cancelled',
    });
    expect(historyStatus(order({ status: 'filled', cancelReason: null }))).toEqual({
      status: 'filled',
    });
  });

  it('a market kind’s price is the average it filled at, exactly, to the tick', () => {
    // 97.5639 ÷ 0.0015 = 65042.6
    expect(averagePrice(order(), '0.01')).toBe('65042.60');
    // 100 ÷ 0.0003 = 333333.333…: half to even at the tick.
    expect(averagePrice({ filledQty: '0.0003', filledQuote: '100.000000' }, '0.01')).toBe(
      '333333.33',
    );
    expect(averagePrice({ filledQty: '0.0003', filledQuote: '0.000005' }, '0.01')).toBe('0.02');
    expect(historyPrice(order(), '0.01')).toBe('avg 65042.60');
    expect(historyPrice(order({ filledQty: '0.0000', filledQuote: '0.000000' }), '0.01')).toBe(
      'market',
    );
    // A limit kind shows its limit price.
    expect(historyPrice(order({ price: '65000.00' }), '0.01')).toBe('65000.00');
  });
});

describe('open orders', () => {
  const base = {
    type: 'limit' as const,
    tif: 'GTC' as const,
    postOnly: false,
    orderListId: undefined,
    trailing: undefined,
  };
  it('shows no IOC for a market kind, which runs IOC whatever the order says', () => {
    expect(optionsLine({ ...base, type: 'stop_market', tif: 'IOC' })).toBe('');
    expect(optionsLine({ ...base, type: 'take_profit_market', tif: 'IOC' })).toBe('market');
    expect(optionsLine({ ...base, type: 'market', tif: 'IOC' })).toBe('');
    expect(
      optionsLine({
        ...base,
        type: 'stop_market',
        tif: 'IOC',
        orderListId: 2,
        trailing: { bps: 200, activationPrice: null, anchorPrice: null, trackingSince: null },
      }),
    ).toBe('OCO #2 · trail 2.00 %');
    // A limit kind's TIF is the user's choice: shown.
    expect(optionsLine({ ...base, type: 'stop_limit', tif: 'IOC' })).toBe('IOC');
    expect(optionsLine({ ...base, postOnly: true, orderListId: 3 })).toBe('OCO #3 · post');
    expect(optionsLine({ ...base, type: 'take_profit_limit', tif: 'FOK' })).toBe('limit · FOK');
  });

  it('cancel all says how many it cancelled', () => {
    expect(cancelAllNotice(11, 'BTC/USDT')).toBe('Cancelled 11 orders');
    expect(cancelAllNotice(1, 'BTC/USDT')).toBe('Cancelled 1 order');
    expect(cancelAllNotice(0, 'BTC/USDT')).toBe('No open orders in BTC/USDT to cancel');
  });

  it('an amend refusal names its field once', () => {
    expect(
      amendRefusal('price: price 60500.005 is not a multiple of 0.01', {
        field: 'price',
        price: '60500.005',
      }),
    ).toBe('price 60500.005 is not a multiple of 0.01');
    expect(
      amendRefusal('qty: quantity 0.00015 is not a multiple of 0.0001', { field: 'qty' }),
    ).toBe('quantity 0.00015 is not a multiple of 0.0001');
    // Nothing named, or named otherwise: the message as it came.
    expect(amendRefusal('Needs 10 USDT available, has 5', undefined)).toBe(
      'Needs 10 USDT available, has 5',
    );
    expect(amendRefusal('price: x', { field: 'qty' })).toBe('price: x');
  });
});
