import type {
  BrokerBalance,
  BrokerEvent,
  BrokerFill,
  BrokerInstrument,
  BrokerPosition,
  BrokerQuote,
} from '../broker/port';
import { symbolOfContract, type ContractBook } from './instruments';
import { toBrokerOrder } from './orders';
import {
  decimalFromWire,
  priceFromWire,
  sideOf,
  timeOf,
  type WireAccount,
  type WireOrder,
  type WirePosition,
  type WireQuote,
  type WireTrade,
} from './protocol';
import type { HubHandlers } from './stream';

/** Gateway objects (REST answers and hub pushes) as Bourse's positions, fills and events. */

export function positionOf(p: WirePosition, book: ContractBook | null): BrokerPosition {
  return {
    symbol: symbolOfContract(book, p.contractId),
    side: p.type === 2 ? 'short' : 'long',
    qty: String(p.size),
    avgPrice: decimalFromWire(p.averagePrice),
    unrealisedPnl: null,
    positionId: String(p.id),
  };
}

export function balancesOf(a: WireAccount): BrokerBalance[] {
  const total = decimalFromWire(a.balance);
  return [{ asset: 'USD', total, available: total }];
}

export function fillOf(
  t: WireTrade,
  book: ContractBook | null,
  clientOrderId: string | null,
  now: number,
): BrokerFill {
  return {
    fillId: String(t.id),
    orderId: String(t.orderId),
    clientOrderId,
    symbol: symbolOfContract(book, t.contractId),
    side: sideOf(t.side),
    qty: String(t.size),
    price: decimalFromWire(t.price),
    fee: decimalFromWire(t.fees ?? 0),
    feeAsset: 'USD',
    time: timeOf(t.creationTimestamp) ?? now,
  };
}

/**
 * A market-hub quote merged into the last known quote of its contract. The live gateway sends
 * partial quotes (only what changed), so a field that is absent (or null) keeps its last value
 * instead of blanking it. Null when the push carries none of bid, ask and last (nothing for
 * Bourse to show changed). Prices are rounded to the tick's decimals (`priceFromWire`).
 */
export function mergeQuote(
  prev: BrokerQuote | undefined,
  data: WireQuote,
  instrument: Pick<BrokerInstrument, 'symbol' | 'tickSize'>,
  now: number,
): BrokerQuote | null {
  if (!hasPrice(data)) return null;
  const price = (n: number | null | undefined, old: string | null | undefined) =>
    typeof n === 'number' && Number.isFinite(n) ? priceFromWire(n, instrument.tickSize) : old;
  return {
    symbol: instrument.symbol,
    bid: price(data.bestBid, prev?.bid) ?? null,
    ask: price(data.bestAsk, prev?.ask) ?? null,
    last: price(data.lastPrice, prev?.last) ?? null,
    at: timeOf(data.timestamp) ?? timeOf(data.lastUpdated) ?? now,
  };
}

const hasPrice = (d: WireQuote) =>
  [d.bestBid, d.bestAsk, d.lastPrice].some((n) => typeof n === 'number' && Number.isFinite(n));

export interface PushContext {
  book(): ContractBook | null;
  /** The account this connector serves, once known. */
  accountId(): number | null;
  now(): number;
}

/**
 * Turns user-hub pushes into Bourse events. Trades carry no `customTag`, so the tags seen on
 * order pushes and place answers are kept (bounded) to name a fill's client order id.
 */
export class PushMapper {
  private readonly tags = new Map<string, string>();

  constructor(private readonly ctx: PushContext) {}

  remember(orderId: string, tag: string): void {
    this.tags.set(orderId, tag);
    if (this.tags.size > 5_000) this.tags.delete(this.tags.keys().next().value!);
  }

  handlers(emit: (e: BrokerEvent) => void): HubHandlers {
    const { ctx } = this;
    return {
      order: (o: WireOrder) => {
        if (o.customTag) this.remember(String(o.id), o.customTag);
        emit({ type: 'order', order: toBrokerOrder(o, ctx.book()) });
      },
      position: (p: WirePosition) =>
        // The wrapped form closes a position with `type:0, size:0`.
        p.size > 0
          ? emit({ type: 'position', position: positionOf(p, ctx.book()) })
          : emit({ type: 'position_closed', symbol: symbolOfContract(ctx.book(), p.contractId) }),
      trade: (t: WireTrade) => {
        if (t.voided) return;
        const tag = this.tags.get(String(t.orderId)) ?? null;
        emit({ type: 'fill', fill: fillOf(t, ctx.book(), tag, ctx.now()) });
      },
      account: (a: WireAccount) => {
        const mine = ctx.accountId();
        if (mine !== null && a.id !== mine) return;
        emit({ type: 'balances', balances: balancesOf(a) });
      },
    };
  }
}
