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
    expect(codeOf(() => ocoInputOf({ ...sell, belowTrailingDelta: '10' }, BTC))).toBe(-1104);
    expect(codeOf(() => ocoInputOf({ ...sell, belowTimeInForce: 'GTX' }, BTC))).toBe(-1115);
    expect(codeOf(() => ocoInputOf({ ...sell, side: 'SHORT' }, BTC))).toBe(-1117);
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
