import {
  compareDecimal,
  decimalsOf,
  divDecimal,
  readDecimalText,
  showDecimal,
  subDecimal,
} from '../../../../src-shared/decimal';
import type { Market, Order } from '../../stores/trade';
import { endReason } from './labels';

/**
 * What an order did, in words: the ticket's line once it is placed, the order history's status
 * and price. An order that filled in part and then ended (a market buy by amount whose rest
 * buys less than a lot, an IOC's unfilled rest) reports what it bought or sold, not
 * "cancelled". Exact decimals throughout: amounts are the exchange's, never floats.
 */

type Deal = Pick<
  Order,
  | 'orderId'
  | 'side'
  | 'type'
  | 'price'
  | 'qty'
  | 'quoteQty'
  | 'filledQty'
  | 'filledQuote'
  | 'status'
  | 'cancelReason'
>;
type Terms = Pick<Market, 'base' | 'quote' | 'lotSize'>;

const plain = (d: string) => {
  const r = readDecimalText(d);
  return r.ok ? r.value : d;
};
const filledSome = (o: Pick<Order, 'filledQty'>) => compareDecimal(plain(o.filledQty), '0') > 0;
/** Ended by the exchange, the user or a rule: nothing more of it will trade. */
const ended = (o: Pick<Order, 'status'>) => o.status === 'cancelled' || o.status === 'expired';
/**
 * Filled in part, then ended: what it did is its fill, not its status. A buy by amount that
 * spent its budget to within a lot is `filled` with `quote_spent` (before, `cancelled` with
 * `ioc_remainder`): its leftover is told the same way.
 */
const endedWithFill = (o: Pick<Order, 'status' | 'filledQty' | 'cancelReason'>) =>
  (ended(o) || o.cancelReason === 'quote_spent') && filledSome(o);
/** An amount of the quote currency as people read money: at least two decimals, no padding. */
const money = (d: string) => showDecimal(plain(d), 2);

/** Why the unfilled rest of an order that filled in part ended, in a few words. */
function restWhy(o: Deal, m: Terms): string | null {
  switch (o.cancelReason) {
    case 'quote_spent':
      return `less than one lot, ${m.lotSize} ${m.base}`;
    case 'ioc_remainder':
      // A buy by amount stops when what is left buys less than one lot at the next price.
      if (o.quoteQty !== null) return `less than one lot, ${m.lotSize} ${m.base}`;
      return o.price !== null ? `nothing more at ${o.price} or better` : 'immediate or cancel';
    case 'no_liquidity':
      return `no more ${o.side === 'buy' ? 'offers' : 'bids'} in the book`;
    default:
      return endReason(o.cancelReason);
  }
}

/**
 * The unfilled rest of an order that filled in part and ended, and why: "2.50 USDT not spent
 * (less than one lot, 0.0001 BTC)", "0.2000 BTC not sold (outside the price band)".
 */
export function restText(o: Deal, m: Terms): string {
  const why = restWhy(o, m);
  const because = why ? ` (${why})` : '';
  if (o.quoteQty !== null) {
    const left = subDecimal(plain(o.quoteQty), plain(o.filledQuote));
    return `${money(left)} ${m.quote} not spent${because}`;
  }
  const left = subDecimal(plain(o.qty ?? o.filledQty), plain(o.filledQty));
  const qty = showDecimal(left, decimalsOf(m.lotSize));
  return `${qty} ${m.base} not ${o.side === 'buy' ? 'bought' : 'sold'}${because}`;
}

/**
 * The ticket's line for an order it placed. One that filled in part and then ended says what
 * it bought or sold and what became of the rest ("Bought 0.0015 BTC for 97.50 USDT; 2.50 USDT
 * not spent (less than one lot, 0.0001 BTC)"); the others their status ("Order 12 new",
 * "Order 12 filled"), and one that ended without a fill why ("Order 12 cancelled (no
 * liquidity)").
 */
export function placedNotice(o: Deal, m: Terms): string {
  if (endedWithFill(o)) {
    const verb = o.side === 'buy' ? 'Bought' : 'Sold';
    const deal = `${verb} ${o.filledQty} ${m.base} for ${money(o.filledQuote)} ${m.quote}`;
    return `${deal}; ${restText(o, m)}`;
  }
  const why = endReason(o.cancelReason);
  return `Order ${o.orderId} ${o.status.replace('_', ' ')}${why ? ` (${why})` : ''}`;
}

/**
 * A finished order's status in the order history, and for one that filled in part before it
 * ended, what became of the rest on a second line: "filled 0.0015" over "rest under one lot"
 * (a buy by amount's leftover), "rest expired" (an IOC's), "rest cancelled (outside the price
 * band)". The others: their status and why ("cancelled (OCO)").
 */
export function historyStatus(o: Deal): { status: string; rest?: string } {
  const why = endReason(o.cancelReason);
  const status = `${o.status.replace('_', ' ')}${why ? ` (${why})` : ''}`;
  if (!endedWithFill(o)) return { status };
  const filled = `filled ${o.filledQty}`;
  if (o.cancelReason === 'quote_spent') return { status: filled, rest: 'rest under one lot' };
  if (o.cancelReason === 'ioc_remainder') {
    return { status: filled, rest: `rest ${o.quoteQty !== null ? 'under one lot' : 'expired'}` };
  }
  return { status: filled, rest: `rest ${status}` };
}

/**
 * The average price an order filled at (its value ÷ the quantity filled, exactly, to the
 * market's tick, half to even), or undefined when nothing filled.
 */
export function averagePrice(
  o: Pick<Order, 'filledQty' | 'filledQuote'>,
  tickSize: string,
): string | undefined {
  if (!filledSome(o)) return undefined;
  const scale = decimalsOf(tickSize);
  const avg = divDecimal(plain(o.filledQuote), plain(o.filledQty), scale, 'half_even');
  return avg === undefined ? undefined : showDecimal(avg, scale);
}

/**
 * A finished order's price in the order history: its limit price; for a market kind (market,
 * stop market, take profit market) the average it filled at ("avg 65042.60"), else "market".
 */
export function historyPrice(
  o: Pick<Order, 'price' | 'filledQty' | 'filledQuote'>,
  tickSize: string | undefined,
): string {
  if (o.price !== null) return o.price;
  const avg = averagePrice(o, tickSize ?? '0.01');
  return avg !== undefined ? `avg ${avg}` : 'market';
}

/**
 * An amend refused by the exchange, worded once: the exchange prefixes the field it names
 * ("price: price 60500.005 is not a multiple of 0.01"), which the amend form's own inputs
 * already say; the message goes without it.
 */
export function amendRefusal(message: string, details: unknown): string {
  const field =
    typeof details === 'object' && details !== null && 'field' in details
      ? details.field
      : undefined;
  if (typeof field !== 'string') return message;
  const prefix = `${field}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** What cancel all did in a market: "Cancelled 11 orders", or that there was nothing to cancel. */
export function cancelAllNotice(cancelled: number, symbol: string): string {
  if (cancelled === 0) return `No open orders in ${symbol} to cancel`;
  return `Cancelled ${cancelled} order${cancelled === 1 ? '' : 's'}`;
}
