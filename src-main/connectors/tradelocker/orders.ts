import type { BrokerAttachedClose, BrokerInstrument, BrokerOrderRequest } from '../broker/port';
import { BrokerError } from '../broker/errors';
import { compareDecimal, decimalsOf, readDecimalText, unitsAt } from '../../../src-shared/decimal';
import type { TlInstrument } from './instruments';
import { VENUE } from './session';
import { jsonWithNumbers } from './wire';

const refuse = (message: string): never => {
  throw new BrokerError('invalid', VENUE, message);
};

const positive = (name: string, value: string | undefined): string => {
  const read = value === undefined ? null : readDecimalText(value);
  if (!read?.ok || compareDecimal(read.value, '0') <= 0)
    return refuse(`${name} must be a positive decimal`);
  return read.value;
};

/** True when `value` is a whole number of `step`s, compared exactly. */
export function onStep(value: string, step: string): boolean {
  const scale = Math.max(decimalsOf(value), decimalsOf(step));
  const s = unitsAt(step, scale);
  return s > 0n && unitsAt(value, scale) % s === 0n;
}

/**
 * Refuses, before anything is sent, what TradeLocker cannot take: stop-limit and reduce-only
 * orders (the API has neither), a validity other than IOC for market and GTC for limit/stop
 * (the SDK's rule), a missing price, and a quantity off the lot step or under the minimum.
 */
export function checkOrder(req: BrokerOrderRequest, inst: BrokerInstrument): void {
  if (req.type === 'stop_limit') refuse('TradeLocker has no stop-limit orders');
  if (req.reduceOnly) refuse('TradeLocker has no reduce-only flag: close the position instead');
  if (req.type === 'market' && req.timeInForce === 'GTC')
    refuse('market orders are IOC at TradeLocker');
  if (req.type !== 'market' && req.timeInForce === 'IOC')
    refuse(`${req.type} orders are GTC at TradeLocker`);
  const qty = positive('qty', req.qty);
  if (req.type === 'limit') positive('price', req.price);
  if (req.type === 'stop') positive('stopPrice', req.stopPrice);
  if (req.stopLoss !== undefined) positive('stopLoss', req.stopLoss);
  if (req.takeProfit !== undefined) positive('takeProfit', req.takeProfit);
  if (compareDecimal(qty, inst.minQty) < 0)
    refuse(`qty ${qty} is under the minimum ${inst.minQty}`);
  if (!onStep(qty, inst.lotSize))
    refuse(`qty ${qty} is not a multiple of the lot step ${inst.lotSize}`);
}

/**
 * The `POST /trade/accounts/{accountId}/orders` body as the SDK sends it: ids and qty as
 * strings, prices as JSON numbers written digit for digit from Bourse's decimals, null for
 * what does not apply, and the client order id in `strategyId`.
 */
export function orderBody(req: BrokerOrderRequest, inst: TlInstrument, strategyId: string): string {
  return jsonWithNumbers(
    {
      tradableInstrumentId: inst.tradableInstrumentId,
      qty: readDecimalText(req.qty).ok ? req.qty : null,
      side: req.side,
      type: req.type,
      price: req.type === 'limit' ? req.price : null,
      stopPrice: req.type === 'stop' ? req.stopPrice : null,
      validity: req.type === 'market' ? 'IOC' : 'GTC',
      routeId: inst.tradeRoute,
      stopLoss: req.stopLoss ?? null,
      stopLossType: req.stopLoss !== undefined ? 'absolute' : null,
      takeProfit: req.takeProfit ?? null,
      takeProfitType: req.takeProfit !== undefined ? 'absolute' : null,
      strategyId,
    },
    new Set(['price', 'stopPrice', 'stopLoss', 'takeProfit']),
  );
}

/**
 * The closes an order is sent with (`orderBody` gives both as `absolute` prices), stop-loss
 * first, as the order placed reports them until TradeLocker's own row is read.
 */
export function sentCloses(req: BrokerOrderRequest): BrokerAttachedClose[] {
  const none = { offset: null, limitPrice: null, trailPercent: null, trailAmount: null };
  const canonical = (v: string) => {
    const r = readDecimalText(v);
    return r.ok ? r.value : v;
  };
  const closes: BrokerAttachedClose[] = [];
  if (req.stopLoss !== undefined) {
    closes.push({ ...none, type: 'stop_loss', price: canonical(req.stopLoss) });
  }
  if (req.takeProfit !== undefined) {
    closes.push({ ...none, type: 'take_profit', price: canonical(req.takeProfit) });
  }
  return closes;
}
