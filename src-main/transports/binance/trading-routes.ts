/**
 * The facade's signed endpoints: orders (place, test, query, cancel), order and trade history,
 * and the account with its commission rates — each with Binance's parameters, answers, errors
 * and weights.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError, ORDER_BATCH_MAX } from '../../../src-shared/contract';
import { userIdOf } from '../../operations/principal';
import {
  BinanceError,
  binanceCancelled,
  binanceOrder,
  binanceTrade,
  placeInputOf,
  refuseImmediateStop,
  toBinanceError,
  type Market,
} from './mapping';
import { formatDecimalText } from '../../domain/money';
import { placedState } from './order-count';
import {
  idParam,
  oldestFirstInWindow,
  scan,
  timeWindow,
  limitOf,
  type Call,
  type Order,
  type Route,
} from './call';

/**
 * `{"orderId": …}` or `{"clientOrderId": …}` of a request, as the catalogue names them, read
 * from `orderId` / `origClientOrderId` (or the names cancelReplace gives them).
 */
export function orderRef(
  c: Call,
  names = { id: 'orderId', clientId: 'origClientOrderId' },
): { orderId: number } | { clientOrderId: string } {
  const id = idParam(c.params, names.id);
  if (id !== undefined) return { orderId: id };
  const clientId = c.params[names.clientId];
  if (clientId !== undefined) return { clientOrderId: clientId };
  throw new BinanceError(
    -1102,
    `Param '${names.clientId}' or '${names.id}' must be sent, but both were empty/null!`,
  );
}

const notYours = () => new BinanceError(-2013, 'Order does not exist.');

/** The order named by a request, in the request's market (Binance scopes ids by symbol). */
export async function findOrder(
  c: Call,
  symbol: string,
  ref: { orderId: number } | { clientOrderId: string } = orderRef(c),
): Promise<Order> {
  const o = await c.invoke('orders.get', ref).catch((err: unknown) => {
    throw toBinanceError(err).code === -2011 ? notYours() : err;
  });
  if (o.symbol !== symbol) throw notYours();
  return o;
}

/** The order with this id if it is the caller's and in this market, else undefined. */
async function ownOrder(c: Call, orderId: number, symbol: string): Promise<Order | undefined> {
  const o = await c.invoke('orders.get', { orderId }).catch(() => undefined);
  return o && o.symbol === symbol ? o : undefined;
}

/** A fee rate in parts per million as Binance writes a rate (`1000` → `"0.001"`). */
const rate = (ppm: number) => formatDecimalText(BigInt(ppm), 6);

/**
 * Binance's numeric account id, made from Bourse's user id (a string): the first six bytes of
 * its SHA-256, so it is stable and a safe integer.
 */
function uidOf(userId: string): number {
  return createHash('sha256').update(userId).digest().readUIntBE(0, 6);
}

/** Orders that can rest on the book count against MAX_NUM_ORDERS; IOC, FOK and MARKET cannot. */
function mayRest(p: Record<string, string>): boolean {
  if (p.type === 'MARKET') return false;
  return !(p.type === 'LIMIT' && (p.timeInForce === 'IOC' || p.timeInForce === 'FOK'));
}

/**
 * A LIMIT IOC/FOK that found nothing to trade: Binance answers it as an order that EXPIRED
 * (EXPIRED_IN_MATCH when self-trade prevention ended it), not as a refusal. Bourse keeps no
 * row for it, so the order id cannot be queried afterwards.
 */
function expiredOf(err: unknown, c: Call, symbol: string, clientOrderId: string) {
  const p = c.params;
  const ioc = p.type === 'LIMIT' && (p.timeInForce === 'IOC' || p.timeInForce === 'FOK');
  if (!ioc || !(err instanceof AppError)) return undefined;
  if (!['no_liquidity', 'fok_cannot_fill', 'self_trade_prevented'].includes(String(err.code))) {
    return undefined;
  }
  const d = (err.details ?? {}) as { orderId?: unknown; reason?: unknown };
  if (typeof d.orderId !== 'number') return undefined;
  return {
    symbol,
    orderId: d.orderId,
    orderListId: -1,
    clientOrderId,
    transactTime: c.now,
    price: p.price ?? '0',
    origQty: p.quantity ?? '0',
    executedQty: '0',
    cummulativeQuoteQty: '0',
    status: d.reason === 'stp' ? 'EXPIRED_IN_MATCH' : 'EXPIRED',
    timeInForce: p.timeInForce,
    type: 'LIMIT',
    side: p.side,
    workingTime: c.now,
    fills: [],
    selfTradePreventionMode: p.selfTradePreventionMode ?? 'EXPIRE_TAKER',
  };
}

/** Refuses a resting order past MAX_NUM_ORDERS open in this market. */
async function checkOpenCount(c: Call, m: Market, maxNumOrders: number): Promise<void> {
  if (!mayRest(c.params)) return;
  const { items } = await c.invoke('orders.list', {
    scope: 'open',
    symbol: m.symbol,
    limit: maxNumOrders,
  });
  if (items.length >= maxNumOrders) {
    throw new BinanceError(-2010, 'Filter failure: MAX_NUM_ORDERS');
  }
}

/** `POST order`: places the order the request's parameters describe and answers as Binance. */
export async function placeOrder(c: Call, maxNumOrders: number) {
  const { symbol, market: m } = await c.market();
  const input = placeInputOf(c.params, m);
  const kind =
    c.params.newOrderRespType ??
    (['LIMIT', 'MARKET'].includes(c.params.type ?? '') ? 'FULL' : 'ACK');
  if (!['ACK', 'RESULT', 'FULL'].includes(kind)) {
    throw new BinanceError(-1100, "Illegal characters found in parameter 'newOrderRespType'.");
  }
  // Binance makes up a client order id when none is sent (clients show it and cancel by
  // it with origClientOrderId); so do we.
  input.clientOrderId ??= `x-${randomBytes(9).toString('base64url')}`;
  refuseImmediateStop(input, m);
  await checkOpenCount(c, m, maxNumOrders);
  let o: Order;
  try {
    o = await c.invoke('orders.place', input);
  } catch (err) {
    const expired = expiredOf(err, c, symbol, input.clientOrderId);
    if (!expired) throw err;
    c.orderCount.placed([{ orderId: expired.orderId, state: 'ended' }]);
    if (kind === 'ACK') {
      const { symbol: s, orderId, orderListId, clientOrderId, transactTime } = expired;
      return { symbol: s, orderId, orderListId, clientOrderId, transactTime };
    }
    if (kind === 'RESULT') {
      const { fills: _fills, ...result } = expired;
      return { ...result, origQuoteOrderQty: '0' };
    }
    return { ...expired, origQuoteOrderQty: '0' };
  }
  c.orderCount.placed([{ orderId: o.orderId, state: placedState(o) }]);
  const ack = {
    symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId ?? '',
    transactTime: o.tsUpdated,
  };
  if (kind === 'ACK') return ack;
  const result = { ...binanceOrder(o, symbol), transactTime: o.tsUpdated };
  if (kind === 'RESULT') return result;
  const trades = await c.invoke('trades.list', { symbol: m.symbol, limit: 500 });
  const fills = trades.items
    .filter((t) => t.orderId === o.orderId)
    .reverse()
    .map((t) => ({
      price: t.price,
      qty: t.qty,
      commission: t.fee,
      commissionAsset: t.feeAsset,
      tradeId: t.tradeId,
    }));
  return { ...result, fills };
}

/** Binance's commission blocks for one market (fees are charged in the quote asset). */
function commissionOf(m: Market) {
  const zero = { maker: '0', taker: '0', buyer: '0', seller: '0' };
  return {
    standard: { maker: rate(m.makerFeePpm), taker: rate(m.takerFeePpm), buyer: '0', seller: '0' },
    tax: zero,
    discount: {
      enabledForAccount: false,
      enabledForSymbol: false,
      discountAsset: '',
      discount: '0',
    },
  };
}

async function myTrades(c: Call) {
  const { symbol, market: m } = await c.market();
  const orderId = idParam(c.params, 'orderId');
  const fromId = idParam(c.params, 'fromId');
  const window = timeWindow(c.params);
  const windowed = window.from !== undefined || window.to !== undefined;
  if (fromId !== undefined && windowed) {
    throw new BinanceError(-1128, 'Combination of optional parameters invalid.');
  }
  const limit = limitOf(c.params, 500, 1000);
  let fills;
  if (orderId !== undefined) {
    const o = await ownOrder(c, orderId, m.symbol);
    if (!o) return [];
    fills = await scan(
      c,
      'trades.list',
      { symbol: m.symbol, order: 'asc', from: window.from ?? o.tsCreated, ...window },
      limit,
      (t) => t.orderId === orderId && (fromId === undefined || t.tradeId >= fromId),
    );
  } else if (fromId !== undefined) {
    fills = await scan(c, 'trades.list', { symbol: m.symbol, order: 'asc' }, limit, (t) => {
      return t.tradeId >= fromId;
    });
  } else {
    fills = await oldestFirstInWindow(c, 'trades.list', { symbol: m.symbol });
  }
  return fills.map((t) => binanceTrade(t, symbol));
}

async function allOrders(c: Call) {
  const { symbol, market: m } = await c.market();
  const orderId = idParam(c.params, 'orderId');
  if (orderId === undefined) {
    const input = { scope: 'all', symbol: m.symbol } as const;
    return (await oldestFirstInWindow(c, 'orders.list', input)).map((o) => binanceOrder(o, symbol));
  }
  // From that order on (orderId ≥ the one given), oldest first, as Binance lists them.
  const window = timeWindow(c.params);
  const start = await ownOrder(c, orderId, m.symbol);
  const from = window.from ?? start?.tsCreated;
  const orders = await scan(
    c,
    'orders.list',
    {
      scope: 'all',
      symbol: m.symbol,
      order: 'asc',
      ...window,
      ...(from !== undefined ? { from } : {}),
    },
    limitOf(c.params, 500, 1000),
    (o) => o.orderId >= orderId,
  );
  return orders.map((o) => binanceOrder(o, symbol));
}

async function account(c: Call) {
  const { items } = await c.invoke('balances.get', {});
  const markets = (await c.symbols()).all().map(([, m]) => m);
  // One rate for the account, where Bourse's differ by market: the highest, so a client
  // budgeting fees never under-counts (account/commission gives each market's exactly).
  const maker = Math.max(0, ...markets.map((m) => m.makerFeePpm));
  const taker = Math.max(0, ...markets.map((m) => m.takerFeePpm));
  const canTrade = c.principal.kind !== 'anonymous' && c.principal.permissions.has('orders.trade');
  const userId = userIdOf(c.principal);
  return {
    makerCommission: Math.ceil(maker / 100),
    takerCommission: Math.ceil(taker / 100),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: rate(maker), taker: rate(taker), buyer: '0', seller: '0' },
    canTrade,
    canWithdraw: false,
    canDeposit: false,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: 0,
    accountType: 'SPOT',
    balances: items.map((b) => ({ asset: b.asset, free: b.available, locked: b.held })),
    permissions: ['SPOT'],
    uid: userId ? uidOf(userId) : 0,
  };
}

/**
 * Binance's wallet endpoint for fee rates, `GET /sapi/v1/asset/tradeFee`: what CCXT's
 * `fetchTradingFee(s)` asks for a spot market. One market with `symbol`, else every market.
 */
export const walletRoutes: Route[] = [
  {
    // CCXT's fetchStatus. "Maintenance" when no served market is trading (all halted or
    // cancel-only, as an operator's emergency stop leaves them), normal otherwise.
    method: 'GET',
    path: '/system/status',
    signed: false,
    weight: 1,
    handler: async (c) => {
      const trading = (await c.symbols()).all().some(([, m]) => m.status === 'trading');
      return trading ? { status: 0, msg: 'normal' } : { status: 1, msg: 'system_maintenance' };
    },
  },
  {
    method: 'GET',
    path: '/asset/tradeFee',
    signed: true,
    weight: 1,
    handler: async (c) => {
      const map = await c.symbols();
      const markets =
        c.params.symbol !== undefined
          ? [[c.params.symbol, map.market(c.params.symbol)] as const]
          : map.all();
      return markets.map(([symbol, m]) => ({
        symbol,
        makerCommission: rate(m.makerFeePpm),
        takerCommission: rate(m.takerFeePpm),
      }));
    },
  },
];

export function tradingRoutes(maxNumOrders: number): Route[] {
  return [
    {
      // Binance's test order: validated as a placement would be, never placed. Bourse also
      // checks the balance (the same refusal a real order would get), and answers {} — or the
      // commission rates the order would pay, with computeCommissionRates — as Binance.
      method: 'POST',
      path: '/order/test',
      signed: true,
      weight: (p) => (p.computeCommissionRates === 'true' ? 20 : 1),
      handler: async (c) => {
        const { market: m } = await c.market();
        const input = placeInputOf(c.params, m);
        refuseImmediateStop(input, m);
        await c.invoke('orders.test', input);
        if (c.params.computeCommissionRates !== 'true') return {};
        const { standard, tax, discount } = commissionOf(m);
        return {
          standardCommissionForOrder: { maker: standard.maker, taker: standard.taker },
          taxCommissionForOrder: { maker: tax.maker, taker: tax.taker },
          discount,
        };
      },
    },
    {
      method: 'POST',
      path: '/order',
      signed: true,
      weight: 1,
      places: 1,
      handler: (c) => placeOrder(c, maxNumOrders),
    },
    {
      method: 'GET',
      path: '/order',
      signed: true,
      weight: 4,
      handler: async (c) => {
        const { symbol, market: m } = await c.market();
        return binanceOrder(await findOrder(c, m.symbol), symbol);
      },
    },
    {
      method: 'DELETE',
      path: '/order',
      signed: true,
      weight: 1,
      handler: async (c) => {
        const { symbol, market: m } = await c.market();
        // Cancelling an order that is not there is "unknown order sent" on Binance (-2011).
        const unknown = () => new BinanceError(-2011, 'Unknown order sent.');
        const o = await findOrder(c, m.symbol).catch((err: unknown) => {
          throw toBinanceError(err).code === -2013 ? unknown() : err;
        });
        const done = await c
          .invoke('orders.cancel', { orderId: o.orderId })
          .catch((err: unknown) => {
            throw toBinanceError(err).code === -2011 ? unknown() : err;
          });
        return { ...binanceCancelled(done, symbol), transactTime: done.tsUpdated };
      },
    },
    {
      method: 'GET',
      path: '/openOrders',
      signed: true,
      weight: (p) => (p.symbol !== undefined ? 6 : 80),
      handler: async (c) => {
        const map = await c.symbols();
        const m = c.params.symbol !== undefined ? map.market(c.params.symbol) : undefined;
        const open = await scan(
          c,
          'orders.list',
          { scope: 'open', ...(m ? { symbol: m.symbol } : {}) },
          100_000,
        );
        return open
          .flatMap((o) => {
            const s = map.symbolOf(o.symbol);
            return s ? [binanceOrder(o, s)] : [];
          })
          .reverse();
      },
    },
    {
      method: 'DELETE',
      path: '/openOrders',
      signed: true,
      weight: 1,
      handler: async (c) => {
        const { symbol, market: m } = await c.market();
        const open = await scan(c, 'orders.list', { scope: 'open', symbol: m.symbol }, 100_000);
        const cancelled: Record<string, unknown>[] = [];
        for (let i = 0; i < open.length; i += ORDER_BATCH_MAX) {
          const orders = open.slice(i, i + ORDER_BATCH_MAX).map((o) => ({ orderId: o.orderId }));
          const { results } = await c.invoke('orders.cancelBatch', { orders });
          for (const r of results) {
            // One that filled in the meantime is simply not in the answer, as on Binance.
            if (r.ok) {
              cancelled.push({
                ...binanceCancelled(r.order, symbol),
                transactTime: r.order.tsUpdated,
              });
            }
          }
        }
        return cancelled;
      },
    },
    {
      // The caller's unfilled order count in each ORDERS window (order-count.ts).
      method: 'GET',
      path: '/rateLimit/order',
      signed: true,
      weight: 40,
      handler: async (c) => c.orderCount.usage(),
    },
    { method: 'GET', path: '/allOrders', signed: true, weight: 20, handler: allOrders },
    { method: 'GET', path: '/myTrades', signed: true, weight: 20, handler: myTrades },
    { method: 'GET', path: '/account', signed: true, weight: 20, handler: account },
    {
      method: 'GET',
      path: '/account/commission',
      signed: true,
      weight: 20,
      handler: async (c) => {
        const { symbol, market: m } = await c.market();
        const { standard, tax, discount } = commissionOf(m);
        return { symbol, standardCommission: standard, taxCommission: tax, discount };
      },
    },
  ];
}
