import { describe, expect, it } from 'vitest';
import type { OperationOutput } from '../../../src-shared/contract';
import { DEFAULT_MARKETS } from '../../../src-main/domain/markets';
import { BinanceError } from '../../../src-main/transports/binance/mapping';
import {
  legacyOcoInputOf,
  ocoInputOf,
} from '../../../src-main/transports/binance/order-list-routes';
import { executionReport } from '../../../src-main/transports/binance/user-data';

const BTC = {
  ...DEFAULT_MARKETS[0]!,
  lastPrice: null,
  bestBid: null,
  bestAsk: null,
};

const codeOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof BinanceError ? err.code : undefined;
  }
  return undefined;
};

describe('POST /api/v3/orderList/oco parameters', () => {
  const sell = {
    side: 'SELL',
    quantity: '1',
    aboveType: 'LIMIT_MAKER',
    abovePrice: '110',
    belowType: 'STOP_LOSS_LIMIT',
    belowStopPrice: '90',
    belowPrice: '89',
    belowTimeInForce: 'IOC',
    listClientOrderId: 'l',
    aboveClientOrderId: 'a',
    belowClientOrderId: 'b',
    selfTradePreventionMode: 'EXPIRE_BOTH',
  };

  it("reads a sell's above order as the take profit and its below order as the stop", () => {
    expect(ocoInputOf(sell, BTC)).toEqual({
      symbol: 'BTC/USDT',
      side: 'sell',
      qty: '1',
      price: '110',
      stopPrice: '90',
      stopLimitPrice: '89',
      stopLimitTif: 'IOC',
      stp: 'cancel_both',
      listClientOrderId: 'l',
      limitClientOrderId: 'a',
      stopClientOrderId: 'b',
    });
  });

  it("reads a buy's below order as the take profit; a STOP_LOSS is a stop-market", () => {
    const buy = ocoInputOf(
      {
        side: 'BUY',
        quantity: '1',
        aboveType: 'STOP_LOSS',
        aboveStopPrice: '110',
        belowType: 'LIMIT_MAKER',
        belowPrice: '90',
      },
      BTC,
    );
    expect(buy).toMatchObject({ side: 'buy', price: '90', stopPrice: '110' });
    expect(buy.stopLimitPrice).toBeUndefined();
    // Client ids Binance would make up are made up here too.
    expect(buy.listClientOrderId).toMatch(/^x-/);
  });

  it('refuses the wrong leg order, a missing parameter and what Bourse cannot honour', () => {
    const flipped = { ...sell, aboveType: 'STOP_LOSS', belowType: 'LIMIT_MAKER' };
    expect(codeOf(() => ocoInputOf(flipped, BTC))).toBe(-1166);
    expect(codeOf(() => ocoInputOf({ ...sell, side: 'BUY' }, BTC))).toBe(-1165);
    const { abovePrice: _price, ...noPrice } = sell;
    expect(codeOf(() => ocoInputOf(noPrice, BTC))).toBe(-1102);
    expect(codeOf(() => ocoInputOf({ ...sell, belowIcebergQty: '1' }, BTC))).toBe(-1104);
    expect(codeOf(() => ocoInputOf({ ...sell, belowTimeInForce: 'GTX' }, BTC))).toBe(-1115);
    expect(codeOf(() => ocoInputOf({ ...sell, side: 'SHORT' }, BTC))).toBe(-1117);
  });

  it("reads the stop leg's trailing delta as stopTrailBps, its stop price then optional", () => {
    const { belowStopPrice: _stop, ...noStop } = sell;
    const trailing = ocoInputOf({ ...noStop, belowTrailingDelta: '500' }, BTC);
    expect(trailing).toMatchObject({ side: 'sell', price: '110', stopTrailBps: 500 });
    expect(trailing).not.toHaveProperty('stopPrice');
    // Both: the stop price is where it starts trailing.
    expect(ocoInputOf({ ...sell, belowTrailingDelta: '10' }, BTC)).toMatchObject({
      stopPrice: '90',
      stopTrailBps: 10,
      stopLimitPrice: '89',
    });
    // A buy's stop is the above order, held to the "above" bounds.
    const buy = {
      side: 'BUY',
      quantity: '1',
      aboveType: 'STOP_LOSS',
      aboveTrailingDelta: '2000',
      belowType: 'LIMIT_MAKER',
      belowPrice: '90',
    };
    expect(ocoInputOf(buy, BTC)).toMatchObject({ side: 'buy', price: '90', stopTrailBps: 2000 });
    expect(ocoInputOf(buy, BTC)).not.toHaveProperty('stopPrice');
    expect(ocoInputOf(sell, BTC)).not.toHaveProperty('stopTrailBps');
  });

  it('refuses a trailing delta as Binance does: filter, form, on the limit maker, or neither', () => {
    const error = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as BinanceError).body();
      }
      return undefined;
    };
    const filter = { code: -1013, msg: 'Filter failure: TRAILING_DELTA' };
    for (const bad of ['9', '2001']) {
      expect(error(() => ocoInputOf({ ...sell, belowTrailingDelta: bad }, BTC))).toEqual(filter);
    }
    expect(error(() => ocoInputOf({ ...sell, belowTrailingDelta: '1.5' }, BTC))).toEqual({
      code: -1100,
      msg: "Illegal characters found in parameter 'belowTrailingDelta'.",
    });
    // A sell's limit maker is the above order: no trailing there.
    expect(error(() => ocoInputOf({ ...sell, aboveTrailingDelta: '100' }, BTC))).toEqual({
      code: -1106,
      msg: "Parameter 'aboveTrailingDelta' sent when not required.",
    });
    const { belowStopPrice: _stop, ...noStop } = sell;
    expect(error(() => ocoInputOf(noStop, BTC))).toEqual({
      code: -1102,
      msg: "Param 'belowStopPrice' or 'belowTrailingDelta' must be sent, but both were empty/null!",
    });
    expect(codeOf(() => ocoInputOf({ ...sell, belowStopPrice: '' }, BTC))).toBe(-1102);
  });

  it('reads the older order/oco parameters', () => {
    const input = legacyOcoInputOf(
      { side: 'SELL', quantity: '1', price: '110', stopPrice: '90', stopLimitPrice: '89' },
      BTC,
    );
    expect(input).toMatchObject({ price: '110', stopPrice: '90', stopLimitPrice: '89' });
    expect(input.stopLimitTif).toBe('GTC');
    const stray = { side: 'SELL', quantity: '1', price: '110', stopPrice: '90' };
    expect(codeOf(() => legacyOcoInputOf({ ...stray, stopLimitTimeInForce: 'GTC' }, BTC))).toBe(
      -1106,
    );
    // trailingDelta is the stop leg's; stopPrice is then optional.
    const { stopPrice: _stop, ...noStop } = stray;
    const trailing = legacyOcoInputOf({ ...noStop, trailingDelta: '300' }, BTC);
    expect(trailing).toMatchObject({ price: '110', stopTrailBps: 300 });
    expect(trailing).not.toHaveProperty('stopPrice');
    expect(legacyOcoInputOf({ ...stray, trailingDelta: '300' }, BTC)).toMatchObject({
      stopPrice: '90',
      stopTrailBps: 300,
    });
    expect(codeOf(() => legacyOcoInputOf({ ...noStop, trailingDelta: '2001' }, BTC))).toBe(-1013);
    expect(codeOf(() => legacyOcoInputOf(noStop, BTC))).toBe(-1102);
  });
});

describe("the user data stream's executionReport", () => {
  it('names the order list in `g` (-1 for a lone order)', () => {
    const leg = {
      orderId: 7,
      clientOrderId: 'a',
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'limit',
      tif: 'GTC',
      price: '110.00',
      stopPrice: null,
      qty: '1.0000',
      quoteQty: null,
      filledQty: '0.0000',
      openQty: '1.0000',
      filledQuote: '0.000000',
      fees: '0.000000',
      held: '1.00000000',
      postOnly: true,
      stp: 'cancel_newest',
      status: 'new',
      cancelReason: null,
      orderListId: 3,
      tsCreated: 1,
      tsUpdated: 1,
    } satisfies OperationOutput<'orders.get'>;
    expect(executionReport(leg, 5)).toMatchObject({ g: 3, o: 'LIMIT_MAKER', i: 7 });
    const { orderListId: _list, ...lone } = leg;
    expect(executionReport(lone, 5)).toMatchObject({ g: -1 });
  });
});
