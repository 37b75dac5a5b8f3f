import { readDecimalText } from '../../../src-shared/decimal';
import { CLOSE_UNSAID, type BrokerAttachedClose, type BrokerOrderRequest } from '../broker/port';

/**
 * Kraken's conditional close in Bourse's words. Kraken reports an order's close only as text
 * (`descr.close` in OpenOrders/ClosedOrders/QueryOrders and in AddOrder's answer): the close's
 * order type in words, its price as the order's own description writes prices, then
 * `-> limit <price2>` for the `*-limit` types. The one form Kraken's reference shows is the
 * AddOrder example's `close position @ stop loss 22000.0 -> limit 21000.0`; the others are
 * that form with the other `close[ordertype]` values add.yaml lists (`take profit 66000.0`,
 * `trailing stop +2.0000%`, `trailing stop +250.5`, `limit 66000.0`), as Kraken writes those
 * types in `descr.order` ("@ trailing stop +5.0000%"). An order without a close has
 * `close: ""` (the spec's QueryOrders and ClosedOrders examples).
 *
 * The executions channel (WebSocket v2) carries no close at all (its documented fields do
 * not include one; `conditional` exists only on `add_order` requests), so a streamed order
 * gets its close from what REST reported or Bourse sent (`CloseMemory`).
 *
 * Kraken attaches one close per order; the port lists an order's closes (other brokers attach
 * a stop-loss and a take-profit together), so Kraken's is a list of one, or empty.
 */

/** What a `descr.close` says: the close (null: none), or that it cannot be read. */
export type CloseReading = { ok: true; close: BrokerAttachedClose | null } | { ok: false };

/** A close's fields that a given one does not have. Kraken gives no close as an offset. */
const NONE = CLOSE_UNSAID;

const TYPES: Record<string, BrokerAttachedClose['type']> = {
  'stop loss': 'stop_loss',
  'take profit': 'take_profit',
  'trailing stop': 'trailing_stop',
  limit: 'limit',
  // An iceberg close is a limit order that shows part of its size.
  iceberg: 'limit',
};

/**
 * `close position @ <type in words> <price>[ -> limit <price2>][ with <n>:1 leverage]`. The
 * words are Kraken's (`stop loss`); a hyphen (`stop-loss`, the parameter's spelling) is read
 * the same.
 */
const CLOSE =
  /^close position @ (stop[ -]loss|take[ -]profit|trailing[ -]stop|limit|iceberg) (\S+)(?: -> limit (\S+))?(?: with \S+ leverage)?$/;

/** A price Kraken writes relative (`+100`, `-5%`, `#2.5000%`): no absolute level to show. */
const RELATIVE = /^[-+#]\d+(\.\d+)?%?$/;

/** An absolute price as canonical text; null for a relative one; undefined if neither. */
function levelOf(text: string): string | null | undefined {
  if (RELATIVE.test(text)) return null;
  const r = readDecimalText(text);
  return r.ok && /[1-9]/.test(r.value) && !r.value.startsWith('-') ? r.value : undefined;
}

/**
 * A trailing distance (`+2.0000%` by percent, `+250.5` by an amount in quote currency, as
 * add.yaml sends them and Kraken shows them back); null if it is not one.
 */
function trailOf(text: string): Pick<BrokerAttachedClose, 'trailPercent' | 'trailAmount'> | null {
  const m = /^\+(\d+(?:\.\d+)?)(%)?$/.exec(text);
  const d = m ? readDecimalText(m[1]!) : null;
  if (!d?.ok || !/[1-9]/.test(d.value)) return null;
  return m![2]
    ? { trailPercent: d.value, trailAmount: null }
    : { trailPercent: null, trailAmount: d.value };
}

/**
 * Reads Kraken's `descr.close`: `""` is no close, a text in Kraken's form the close it
 * describes, anything else (and a missing field, as in older answers) not readable.
 */
export function readCloseText(text: string | undefined | null): CloseReading {
  if (text === undefined || text === null) return { ok: false };
  if (text.trim() === '') return { ok: true, close: null };
  const m = CLOSE.exec(text.trim());
  if (!m) return { ok: false };
  const type = TYPES[m[1]!.replace('-', ' ')]!;
  const limit = m[3] === undefined ? null : levelOf(m[3]);
  if (limit === undefined) return { ok: false };
  if (type === 'trailing_stop') {
    const trail = trailOf(m[2]!);
    if (!trail) return { ok: false };
    return { ok: true, close: { ...NONE, type, limitPrice: limit, ...trail } };
  }
  const price = levelOf(m[2]!);
  if (price === undefined) return { ok: false };
  return {
    ok: true,
    close: { ...NONE, type, price, limitPrice: limit },
  };
}

const canon = (v: string) => {
  const r = readDecimalText(v);
  return r.ok ? r.value : v;
};

/** The close a request attaches, as Bourse sent it (`addOrderParams` refuses two at once). */
export function closeOfRequest(r: BrokerOrderRequest): BrokerAttachedClose | null {
  if (r.stopLossTrailPercent !== undefined) {
    return { ...NONE, type: 'trailing_stop', trailPercent: canon(r.stopLossTrailPercent) };
  }
  if (r.stopLossTrailAmount !== undefined) {
    return { ...NONE, type: 'trailing_stop', trailAmount: canon(r.stopLossTrailAmount) };
  }
  if (r.stopLoss !== undefined) return { ...NONE, type: 'stop_loss', price: canon(r.stopLoss) };
  if (r.takeProfit !== undefined) {
    return { ...NONE, type: 'take_profit', price: canon(r.takeProfit) };
  }
  return null;
}

/** Kraken's one close as the port lists an order's closes: `[]` for none. */
export const listOf = (close: BrokerAttachedClose | null): BrokerAttachedClose[] =>
  close ? [close] : [];

/** How many orders' closes a connector keeps (the oldest is forgotten first). */
export const CLOSES_KEPT = 2_000;

/**
 * The closes a connector knows per order: what Bourse sent with the orders it placed (by
 * client id before the answer, by txid after), and what Kraken last reported in `descr.close`
 * (by txid). Kraken's report replaces Bourse's once read. It serves orders whose report says
 * nothing readable about the close: every streamed one, and a REST one whose text is missing
 * or in a form not read here.
 */
export class CloseMemory {
  private readonly byKey = new Map<string, BrokerAttachedClose[]>();

  constructor(private readonly kept = CLOSES_KEPT) {}

  /** What Bourse sends with an order, before Kraken has given it a txid. */
  sending(clientOrderId: string, closes: BrokerAttachedClose[]): void {
    this.put(`cl:${clientOrderId}`, closes);
  }

  /** An order's closes as known for its txid: Kraken's report, or Bourse's placement. */
  known(orderId: string, closes: BrokerAttachedClose[]): void {
    if (orderId) this.put(`id:${orderId}`, closes);
  }

  /** The closes known for an order (by txid, else by client id); undefined: nothing known. */
  recall(
    orderId: string,
    clientOrderId: string | null | undefined,
  ): BrokerAttachedClose[] | undefined {
    const byId = this.byKey.get(`id:${orderId}`);
    if (byId !== undefined) return byId;
    return clientOrderId ? this.byKey.get(`cl:${clientOrderId}`) : undefined;
  }

  private put(key: string, closes: BrokerAttachedClose[]): void {
    this.byKey.delete(key);
    this.byKey.set(key, closes);
    if (this.byKey.size > this.kept) this.byKey.delete(this.byKey.keys().next().value!);
  }
}
