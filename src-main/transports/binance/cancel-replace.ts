/**
 * Binance's `POST /api/v3/order/cancelReplace`, which CCXT's `editOrder` sends for a spot
 * order: cancel one order, then place a new one in the same market. Written from Binance's
 * REST API documentation of the endpoint and its HTTP return codes:
 *
 * - the new order's parameters and filters, and the unfilled order count, are checked before
 *   anything is cancelled (a refusal there is the plain error, nothing changes); its funds
 *   are checked when it is placed, after the cancel has released the old order's hold;
 * - `STOP_ON_FAILURE`: a failed cancel means no new order (-2022, HTTP 400, `NOT_ATTEMPTED`);
 *   `ALLOW_FAILURE`: the new order is tried either way;
 * - both done: 200 with both answers; one of them failed: -2021 "partially failed", HTTP 409;
 *   both failed: -2022, HTTP 400 — each with `data` holding both results, a failed one as its
 *   `{code, msg}`.
 *
 * The two steps are the exchange's own cancel and placement, one after the other: an order
 * cancelled here stays cancelled when the new one is refused, as on Binance. An outcome the
 * server cannot know (a 5xx) is answered as itself, never folded into a "FAILURE".
 */
import { AppError } from '../../../src-shared/contract';
import type { Call, Route } from './call';
import {
  BinanceError,
  binanceCancelled,
  placeInputOf,
  refuseImmediateStop,
  toBinanceError,
} from './mapping';
import { findOrder, orderRef, placeOrder } from './trading-routes';

/** `ALLOW_FAILURES` is how Binance's OpenAPI file spells the mode its documentation calls ALLOW_FAILURE. */
const MODES = new Set(['STOP_ON_FAILURE', 'ALLOW_FAILURE', 'ALLOW_FAILURES']);
const RESTRICTIONS: Record<string, readonly string[]> = {
  ONLY_NEW: ['new'],
  ONLY_PARTIALLY_FILLED: ['partially_filled'],
};

/** A cancelReplace refusal: Binance's error with both steps' results in `data`. */
class CancelReplaceError extends BinanceError {
  constructor(
    code: number,
    message: string,
    status: number,
    readonly data: Record<string, unknown>,
  ) {
    super(code, message, status);
  }

  override body() {
    return { ...super.body(), data: this.data };
  }
}

type Outcome =
  { ok: true; value: unknown } | { ok: false; error: ReturnType<BinanceError['body']> };

async function attempt(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    const e = toBinanceError(err);
    if (e.status >= 500) throw err;
    return { ok: false, error: e.body() };
  }
}

/** Reads and checks everything the request must get right before any step runs. */
function readRequest(c: Call) {
  const mode = c.params.cancelReplaceMode;
  if (mode === undefined) {
    throw new BinanceError(
      -1102,
      "Mandatory parameter 'cancelReplaceMode' was not sent, was empty/null, or malformed.",
    );
  }
  if (!MODES.has(mode)) {
    throw new BinanceError(-1100, "Illegal characters found in parameter 'cancelReplaceMode'.");
  }
  const restriction = c.params.cancelRestrictions;
  if (restriction !== undefined && !(restriction in RESTRICTIONS)) {
    throw new BinanceError(
      -1145,
      'cancelRestrictions has to be either ONLY_NEW or ONLY_PARTIALLY_FILLED.',
    );
  }
  // CANCEL_ONLY would cancel past the order count; the count is checked before any step here.
  const exceeded = c.params.orderRateLimitExceededMode;
  if (exceeded !== undefined && exceeded !== 'DO_NOTHING') {
    throw new BinanceError(-1104, 'Not all sent parameters were read: orderRateLimitExceededMode.');
  }
  const ref = orderRef(c, { id: 'cancelOrderId', clientId: 'cancelOrigClientOrderId' });
  return { stopOnFailure: mode === 'STOP_ON_FAILURE', restriction, ref };
}

async function cancelReplace(c: Call, maxNumOrders: number) {
  const { symbol, market: m } = await c.market();
  const { stopOnFailure, restriction, ref } = readRequest(c);
  const input = placeInputOf(c.params, m);
  refuseImmediateStop(input, m);
  // The new order's rules (tick, lot, size, price band, market open), as a placement checks
  // them; its funds only once the cancel has released the old order's hold.
  await c.invoke('orders.test', input).catch((err: unknown) => {
    if (!(err instanceof AppError && err.code === 'insufficient_funds')) throw err;
  });

  const cancel = await attempt(async () => {
    const unknown = () => new BinanceError(-2011, 'Unknown order sent.');
    const o = await findOrder(c, m.symbol, ref).catch((err: unknown) => {
      throw toBinanceError(err).code === -2013 ? unknown() : err;
    });
    if (restriction !== undefined && !RESTRICTIONS[restriction]!.includes(o.status)) {
      throw new BinanceError(-2011, 'Order was not canceled due to cancel restrictions.');
    }
    const done = await c.invoke('orders.cancel', { orderId: o.orderId }).catch((err: unknown) => {
      throw toBinanceError(err).code === -2011 ? unknown() : err;
    });
    const cancelId = c.params.cancelNewClientOrderId;
    return {
      ...binanceCancelled(done, symbol),
      ...(cancelId !== undefined ? { clientOrderId: cancelId } : {}),
      transactTime: done.tsUpdated,
    };
  });
  // A new order not placed still counts against the unfilled order count, as on Binance.
  const notPlaced = () => c.orderCount.placed([{ orderId: 0, state: 'ended' }]);
  if (!cancel.ok && stopOnFailure) {
    notPlaced();
    throw new CancelReplaceError(-2022, 'Order cancel-replace failed.', 400, {
      cancelResult: 'FAILURE',
      newOrderResult: 'NOT_ATTEMPTED',
      cancelResponse: cancel.error,
      newOrderResponse: null,
    });
  }
  const placed = await attempt(() => placeOrder(c, maxNumOrders));
  if (!placed.ok) notPlaced();
  const result = (o: Outcome) => (o.ok ? 'SUCCESS' : 'FAILURE');
  const data = {
    cancelResult: result(cancel),
    newOrderResult: result(placed),
    cancelResponse: cancel.ok ? cancel.value : cancel.error,
    newOrderResponse: placed.ok ? placed.value : placed.error,
  };
  if (cancel.ok && placed.ok) return data;
  if (cancel.ok || placed.ok) {
    throw new CancelReplaceError(-2021, 'Order cancel-replace partially failed.', 409, data);
  }
  throw new CancelReplaceError(-2022, 'Order cancel-replace failed.', 400, data);
}

export function cancelReplaceRoute(maxNumOrders: number): Route {
  return {
    method: 'POST',
    path: '/order/cancelReplace',
    signed: true,
    weight: 1,
    places: 1,
    handler: (c) => cancelReplace(c, maxNumOrders),
  };
}
