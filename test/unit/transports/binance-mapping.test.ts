import { describe, expect, it } from 'vitest';
import { AppError, type OperationOutput } from '../../../src-shared/contract';
import { DEFAULT_MARKETS } from '../../../src-main/domain/markets';
import {
  BinanceError,
  SymbolMap,
  binanceOrder,
  placeInputOf,
  toBinanceError,
  trailingDeltaBps,
  trailingFields,
} from '../../../src-main/transports/binance/mapping';

type Order = OperationOutput<'orders.get'>;

/** A market as markets.list shows it: the default BTC/USDT rules under another symbol. */
const market = (symbol: string) => {
  const [base = '', quote = ''] = symbol.split('/');
  const rules = DEFAULT_MARKETS[0]!;
  return { ...rules, symbol, base, quote, lastPrice: null, bestBid: null, bestAsk: null };
};
const BTC = market('BTC/USDT');

describe('Binance symbols', () => {
  it('maps BTCUSDT to BTC/USDT and serves no symbol two markets would share', () => {
    const map = new SymbolMap([BTC, market('AB/CD'), market('ABC/D')]);
    expect(map.market('BTCUSDT').symbol).toBe('BTC/USDT');
    expect(map.symbolOf('BTC/USDT')).toBe('BTCUSDT');
    expect(() => map.market('ABCD')).toThrow(BinanceError);
    expect(map.symbolOf('AB/CD')).toBeUndefined();
    expect(() => map.market(undefined)).toThrow('Invalid symbol.');
  });
});

describe('POST /api/v3/order parameters', () => {
  it('maps order types, time in force and self-trade prevention', () => {
    expect(
      placeInputOf(
        { side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', price: '1.00', quantity: '2' },
        BTC,
      ),
    ).toEqual({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      tif: 'IOC',
      price: '1.00',
      qty: '2',
    });
    // LIMIT_MAKER is a post-only limit and takes no timeInForce.
    expect(
      placeInputOf({ side: 'SELL', type: 'LIMIT_MAKER', price: '1', quantity: '1' }, BTC),
    ).toMatchObject({
      type: 'limit',
      postOnly: true,
    });
    expect(
      placeInputOf(
        {
          side: 'BUY',
          type: 'MARKET',
          quoteOrderQty: '100',
          selfTradePreventionMode: 'EXPIRE_BOTH',
        },
        BTC,
      ),
    ).toEqual({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      quoteQty: '100',
      stp: 'cancel_both',
    });
    expect(
      placeInputOf(
        {
          side: 'SELL',
          type: 'STOP_LOSS_LIMIT',
          timeInForce: 'GTC',
          price: '1',
          stopPrice: '2',
          quantity: '1',
        },
        BTC,
      ),
    ).toMatchObject({ type: 'stop_limit', stopPrice: '2' });
    expect(
      placeInputOf(
        { side: 'SELL', type: 'MARKET', quantity: '1', selfTradePreventionMode: 'NONE' },
        BTC,
      ),
    ).not.toHaveProperty('stp');
  });

  it("refuses what it cannot honour with Binance's codes", () => {
    const code = (p: Record<string, string>) => {
      try {
        placeInputOf(p, BTC);
      } catch (e) {
        return (e as BinanceError).code;
      }
      return 0;
    };
    expect(code({ side: 'BUY', type: 'TAKE_PROFIT_MARKET', quantity: '1' })).toBe(-1116); // futures only
    expect(code({ side: 'UP', type: 'MARKET', quantity: '1' })).toBe(-1117);
    expect(
      code({ side: 'BUY', type: 'LIMIT', price: '1', quantity: '1', timeInForce: 'GTX' }),
    ).toBe(-1115);
    expect(code({ side: 'BUY', type: 'LIMIT', price: '1', quantity: '1' })).toBe(-1102);
    expect(code({ type: 'MARKET', quantity: '1' })).toBe(-1102);
    expect(code({ side: 'BUY', type: 'MARKET', quantity: '1', icebergQty: '1' })).toBe(-1104);
  });
});

describe('trailingDelta on POST /api/v3/order', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as BinanceError).body();
    }
    return undefined;
  };
  const stop = { side: 'SELL', type: 'STOP_LOSS', quantity: '1' };

  it('maps trailingDelta to trailBps on STOP_LOSS and STOP_LOSS_LIMIT, stopPrice optional', () => {
    expect(placeInputOf({ ...stop, trailingDelta: '250' }, BTC)).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop_market',
      qty: '1',
      trailBps: 250,
    });
    // With a stopPrice (the activation price) both go through.
    expect(
      placeInputOf(
        {
          side: 'BUY',
          type: 'STOP_LOSS_LIMIT',
          timeInForce: 'GTC',
          price: '31000',
          stopPrice: '30500',
          quantity: '1',
          trailingDelta: '10',
        },
        BTC,
      ),
    ).toMatchObject({ type: 'stop_limit', stopPrice: '30500', price: '31000', trailBps: 10 });
    // A plain stop has no trailBps at all.
    expect(placeInputOf({ ...stop, stopPrice: '1' }, BTC)).not.toHaveProperty('trailBps');
  });

  it('maps TAKE_PROFIT and TAKE_PROFIT_LIMIT, and refuses trailingDelta on them (-1104)', () => {
    const tp = { side: 'SELL', type: 'TAKE_PROFIT', quantity: '1', stopPrice: '31000' };
    expect(placeInputOf(tp, BTC)).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'take_profit_market',
      qty: '1',
      stopPrice: '31000',
    });
    const tpLimit = { ...tp, type: 'TAKE_PROFIT_LIMIT', price: '30900', timeInForce: 'IOC' };
    expect(placeInputOf(tpLimit, BTC)).toMatchObject({
      type: 'take_profit_limit',
      price: '30900',
      tif: 'IOC',
    });
    const { timeInForce: _tif, ...noTif } = tpLimit;
    expect(code(() => placeInputOf(noTif, BTC))).toMatchObject({ code: -1102 });
    expect(code(() => placeInputOf({ ...tp, trailingDelta: '100' }, BTC))).toMatchObject({
      code: -1104,
    });
  });

  it('refuses it off the stop types, malformed, or outside TRAILING_DELTA (10..2000)', () => {
    const limit = { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '1', quantity: '1' };
    expect(code(() => placeInputOf({ ...limit, trailingDelta: '100' }, BTC))).toEqual({
      code: -1106,
      msg: "Parameter 'trailingDelta' sent when not required.",
    });
    expect(
      code(() => placeInputOf({ ...stop, type: 'MARKET', trailingDelta: '100' }, BTC)),
    ).toEqual(expect.objectContaining({ code: -1106 }));
    for (const bad of ['1.5', '-10', '', '1e3']) {
      expect(code(() => placeInputOf({ ...stop, trailingDelta: bad }, BTC))).toEqual({
        code: -1100,
        msg: "Illegal characters found in parameter 'trailingDelta'.",
      });
    }
    const filter = { code: -1013, msg: 'Filter failure: TRAILING_DELTA' };
    for (const side of ['BUY', 'SELL']) {
      for (const bad of ['9', '2001', '5000']) {
        expect(code(() => placeInputOf({ ...stop, side, trailingDelta: bad }, BTC))).toEqual(
          filter,
        );
      }
      for (const good of ['10', '2000']) {
        expect(placeInputOf({ ...stop, side, trailingDelta: good }, BTC).trailBps).toBe(
          Number(good),
        );
      }
    }
  });

  it("checks any stop's delta the same way, naming the parameter it came in", () => {
    expect(trailingDeltaBps('belowTrailingDelta', '500', 'sell')).toBe(500);
    expect(trailingDeltaBps('aboveTrailingDelta', '2000', 'buy')).toBe(2000);
    expect(code(() => trailingDeltaBps('belowTrailingDelta', '0.5', 'sell'))).toEqual({
      code: -1100,
      msg: "Illegal characters found in parameter 'belowTrailingDelta'.",
    });
    expect(code(() => trailingDeltaBps('aboveTrailingDelta', '2001', 'buy'))).toEqual({
      code: -1013,
      msg: 'Filter failure: TRAILING_DELTA',
    });
  });
});

describe('answers', () => {
  it('shows an order with Binance statuses and types', () => {
    const o = {
      orderId: 7,
      clientOrderId: null,
      symbol: 'BTC/USDT',
      side: 'sell' as const,
      type: 'limit' as const,
      tif: 'GTC' as const,
      price: '30000.00',
      stopPrice: null,
      qty: '0.5000',
      quoteQty: null,
      filledQty: '0.1000',
      openQty: '0.4000',
      filledQuote: '3000.000000',
      fees: '3.000000',
      held: '0.40000000',
      postOnly: true,
      stp: 'cancel_oldest' as const,
      status: 'partially_filled' as const,
      cancelReason: null,
      tsCreated: 1,
      tsUpdated: 2,
    };
    expect(binanceOrder(o, 'BTCUSDT')).toMatchObject({
      symbol: 'BTCUSDT',
      orderId: 7,
      clientOrderId: '',
      status: 'PARTIALLY_FILLED',
      type: 'LIMIT_MAKER',
      side: 'SELL',
      executedQty: '0.1000',
      cummulativeQuoteQty: '3000.000000',
      isWorking: true,
      selfTradePreventionMode: 'EXPIRE_MAKER',
    });
    // trailingDelta and trailingTime are a trailing stop's only.
    expect(binanceOrder(o, 'BTCUSDT')).not.toHaveProperty('trailingDelta');
    expect(binanceOrder(o, 'BTCUSDT')).not.toHaveProperty('trailingTime');
    const trailing = {
      ...o,
      type: 'stop_market' as const,
      postOnly: false,
      price: null,
      stopPrice: '28500.00',
      trailing: { bps: 500, activationPrice: null, anchorPrice: '30000.00', trackingSince: 9 },
    };
    expect(binanceOrder(trailing, 'BTCUSDT')).toMatchObject({
      type: 'STOP_LOSS',
      stopPrice: '28500.00',
      trailingDelta: 500,
      trailingTime: 9,
    });
    const waiting = {
      ...trailing,
      trailing: { ...trailing.trailing, activationPrice: '29000.00', trackingSince: null },
    };
    expect(binanceOrder(waiting, 'BTCUSDT')).toMatchObject({ trailingTime: -1 });
  });

  it("gives Binance's exact texts and keeps Bourse's reason beside them", () => {
    expect(toBinanceError(new AppError('insufficient_funds', 'Needs 5 USDT')).body()).toEqual({
      code: -2010,
      msg: 'Account has insufficient balance for requested action.',
      bourse: { code: 'insufficient_funds', message: 'Needs 5 USDT' },
    });
    expect(toBinanceError(new AppError('fok_cannot_fill', 'Could not fill')).body()).toEqual({
      code: -2010,
      msg: 'Could not fill',
      bourse: { code: 'fok_cannot_fill', message: 'Could not fill' },
    });
    const crash = toBinanceError(new Error('secret detail'));
    expect(crash.status).toBe(500);
    expect(crash.body().msg).not.toContain('secret');
    expect(toBinanceError(new AppError('forbidden', 'no')).status).toBe(401);
  });
});

describe('trailingFields', () => {
  const trailing = { activationPrice: null, anchorPrice: '100.00', trackingSince: 1_700 };
  it("gives a percent trail's trailingDelta and trailingTime, and an amount trail nothing", () => {
    const percent = { trailing: { ...trailing, bps: 250 } } as unknown as Order;
    expect(trailingFields(percent)).toEqual({ trailingDelta: 250, trailingTime: 1_700 });
    // Binance has no trail by an amount: it reads as a stop whose stopPrice moves.
    const amount = { trailing: { ...trailing, amount: '2.50' } } as unknown as Order;
    expect(trailingFields(amount)).toEqual({});
    expect(trailingFields({} as Order)).toEqual({});
  });
});
