/**
 * What the facade's two doors share — the REST API under `/api/v3` and the WebSocket API's
 * requests — so an endpoint behaves the same through either: Binance's routes, the request
 * weight per client address, the unfilled order count per account, and running a route's
 * handler for a caller through the operation registry (same validation, permissions, audit).
 * The doors read their own request format and authenticate; this runs what they read.
 */
import type { OperationOutput } from '../../../src-shared/contract';
import type { EventHub } from '../../events/hub';
import type { Door, OperationContext } from '../../operations/context';
import { userIdOf, type Principal } from '../../operations/principal';
import type { OperationRegistry } from '../../operations/registry';
import type { Logger } from '../../observability/logger';
import { withScope } from '../../observability/context';
import { MAX_PRICE_TICKS, MAX_QTY_LOTS } from '../../domain/markets';
import { BinanceError, SymbolMap, type EngineLimits } from './mapping';
import type { Call, Params, Route } from './call';
import { marketRoutes } from './market-routes';
import { orderListRoutes } from './order-list-routes';
import { cancelReplaceRoute } from './cancel-replace';
import { tradingRoutes, walletRoutes } from './trading-routes';
import { REQUEST_WEIGHT_PER_MINUTE, WeightMeter, rateLimitsOf } from './weights';
import { OrderCounter } from './order-count';

/**
 * Open orders an account may keep in one market through the facade (Binance's usual
 * MAX_NUM_ORDERS), published in exchangeInfo and checked before each placement.
 */
export const MAX_NUM_ORDERS = 200;

const LIMITS: EngineLimits = {
  maxPriceTicks: MAX_PRICE_TICKS,
  maxQtyLots: MAX_QTY_LOTS,
  maxNumOrders: MAX_NUM_ORDERS,
};

/**
 * Binance's clock rules for signed requests, both doors: the request window's default and
 * bound (ms), and how far ahead of the server's clock a timestamp may be.
 */
const DEFAULT_RECV_WINDOW = 5_000;
const MAX_RECV_WINDOW = 60_000;
const MAX_AHEAD = 1_000;

/**
 * A signed request's `timestamp` (Unix ms) within its `recvWindow` of the server's clock, as
 * Binance checks it on both doors (a query string's text or a WebSocket request's JSON value).
 */
export function inRecvWindow(
  params: { timestamp?: unknown; recvWindow?: unknown },
  now: number,
): { timestamp: number; recvWindow: number } {
  if (!/^[0-9]{10,16}$/.test(String(params.timestamp ?? ''))) {
    throw new BinanceError(
      -1102,
      "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.",
    );
  }
  const timestamp = Number(params.timestamp);
  const recvWindow =
    params.recvWindow === undefined ? DEFAULT_RECV_WINDOW : Number(params.recvWindow);
  if (!Number.isInteger(recvWindow) || recvWindow < 1 || recvWindow > MAX_RECV_WINDOW) {
    throw new BinanceError(-1131, `recvWindow must be less than ${MAX_RECV_WINDOW}.`);
  }
  if (timestamp - now > MAX_AHEAD || now - timestamp > recvWindow) {
    throw new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.');
  }
  return { timestamp, recvWindow };
}

/** Binance's `/api/v3` routes, and its wallet routes under `/sapi/v1`. */
export const API_ROUTES: Route[] = [
  ...marketRoutes(LIMITS),
  ...tradingRoutes(MAX_NUM_ORDERS),
  cancelReplaceRoute(MAX_NUM_ORDERS),
  ...orderListRoutes(MAX_NUM_ORDERS),
];
export const WALLET_ROUTES: Route[] = walletRoutes;

export interface FacadeDeps {
  registry: OperationRegistry;
  log: Logger;
  now: () => number;
  /**
   * The HTTP doors' request budget per minute (false: limits off). When on, the facade also
   * enforces Binance's request weight and unfilled order count; either way it answers them.
   */
  rateLimitPerMinute?: number | false;
  /** Where fills are published: the first fill of a counted order takes it off the count. */
  hub?: EventHub;
}

/** Who is calling, from where, through which door. */
export interface Caller {
  principal: Principal;
  ip: string;
  correlationId: string;
  /** `http` for the REST API, `ws` for the WebSocket API (audit and logs say which). */
  door: Door;
  /** The route's name in logs (`POST /order`, `WS order.place`). */
  label: string;
}

export class BinanceFacade {
  readonly weights: WeightMeter;
  readonly orders: OrderCounter;
  /** `rateLimits` as exchangeInfo publishes them. */
  readonly rateLimits: Array<Record<string, unknown>>;
  private readonly stopFills: () => void = () => undefined;

  constructor(private readonly deps: FacadeDeps) {
    const rawLimit = deps.rateLimitPerMinute ?? false;
    this.weights = new WeightMeter(
      rawLimit === false ? false : REQUEST_WEIGHT_PER_MINUTE,
      deps.now,
    );
    this.orders = new OrderCounter(rawLimit !== false, deps.now);
    this.rateLimits = rateLimitsOf(rawLimit);
    if (deps.hub) {
      // Asked for fills only while a counted order waits for its first one, so the lazily
      // published fill views are not built for this alone.
      this.stopFills = deps.hub.subscribe(
        (msg) => this.orders.filled((msg.data as { orderId: number }).orderId),
        (stream) => stream === 'fills' && this.orders.watching,
      );
    }
  }

  /** The route's weight for these parameters, counted for the address (-1003 past the limit). */
  weigh(route: Route, params: Params, ip: string): number {
    return this.weights.take(
      ip,
      typeof route.weight === 'number' ? route.weight : route.weight(params),
    );
  }

  /**
   * Runs the route's handler for an authenticated (or, for public routes, anonymous) caller.
   * A placement is checked against the unfilled order count first; `onOrderCount` hears the
   * counts a placement answers with.
   */
  async run(
    route: Route,
    params: Params,
    caller: Caller,
    onOrderCount: (counts: { tenSeconds: number; day: number }) => void = () => undefined,
  ): Promise<unknown> {
    // Binance counts orders per account: refused here, before anything is placed.
    const userId = userIdOf(caller.principal) ?? '';
    if (route.places !== undefined) this.orders.check(userId, route.places);
    const ctx: OperationContext = {
      principal: caller.principal,
      correlationId: caller.correlationId,
      door: caller.door,
      log: this.deps.log.child({ door: 'binance', route: caller.label }),
      ip: caller.ip,
      // Binance's rule for a repeated newClientOrderId, not the native idempotency.
      clientIdRule: 'unique_open',
    };
    const registry = this.deps.registry;
    const call: Call = {
      params,
      now: this.deps.now(),
      principal: caller.principal,
      rateLimits: this.rateLimits,
      invoke: (name, input) => registry.invoke(name, input, ctx) as Promise<never>,
      market: async () => {
        const symbol = params.symbol ?? '';
        return { symbol, market: (await call.symbols()).market(symbol) };
      },
      orderCount: {
        placed: (orders) => onOrderCount(this.orders.add(userId, orders)),
        usage: () => this.orders.usage(userId),
      },
      symbols: async () =>
        new SymbolMap(
          ((await registry.invoke('markets.list', {}, ctx)) as OperationOutput<'markets.list'>)
            .items,
        ),
    };
    return withScope({ correlationId: caller.correlationId }, () => route.handler(call));
  }

  close(): void {
    this.stopFills();
  }
}
