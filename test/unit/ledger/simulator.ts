/**
 * A miniature exchange for property tests: it drives the ledger rules with abstract commands
 * (indices are taken modulo what exists, so every generated stream is meaningful) and plays
 * the engine's part loosely — any crossing pair may trade at any price between the limits.
 */
import type { MarketSpec } from '../../../src-main/domain/markets';
import { notionalQuoteUnits, priceBand } from '../../../src-main/domain/markets';
import type { HoldBasis, JournalEntry, OrderReservation } from '../../../src-main/domain/ledger';
import {
  applyEntry,
  fundingEntry,
  placeOrderHold,
  releaseReservation,
  settleTrade,
} from '../../../src-main/domain/ledger';

export type Command =
  | { op: 'fund'; user: number; asset: number; amount: bigint; debit: boolean }
  | {
      op: 'place';
      user: number;
      market: number;
      kind: 'limit_buy' | 'limit_sell' | 'market_sell' | 'buy_quote' | 'buy_qty';
      price: number;
      lots: number;
    }
  | {
      op: 'fill';
      market: number;
      buy: number;
      sell: number;
      pricePct: number;
      qtyPct: number;
      makerSide: 'buy' | 'sell';
    }
  | { op: 'cancel'; order: number };

export const USERS = ['u1', 'u2', 'u3', 'mm'];

/** One open order: its reservation plus what the pretend engine needs to match it. */
export interface OpenOrder {
  reservation: OrderReservation;
  spec: MarketSpec;
  lotsLeft: bigint | null; // null: bounded by quote instead (market buy by quote)
  quoteLeft: bigint | null;
  limitTicks: bigint | null; // null: no price bound (market sell, buy by quote)
}

export class Simulator {
  balances = new Map<string, bigint>();
  journal: JournalEntry[] = [];
  open: OpenOrder[] = [];
  private seq = 0;

  constructor(
    private readonly markets: MarketSpec[],
    private readonly assets: string[],
    private readonly refTicks: number[],
  ) {}

  run(command: Command): void {
    if (command.op === 'fund') this.fund(command);
    else if (command.op === 'place') this.place(command);
    else if (command.op === 'fill') this.fill(command);
    else this.cancel(command.order);
  }

  private apply(entry: JournalEntry | null): boolean {
    if (!entry) return true;
    const next = applyEntry(this.balances, entry);
    if (!next.ok) {
      if (next.error.code !== 'insufficient_funds') throw new Error(next.error.message);
      return false;
    }
    this.balances = next.value;
    this.journal.push(entry);
    return true;
  }

  private fund(c: Extract<Command, { op: 'fund' }>): void {
    const userId = USERS[c.user % USERS.length]!;
    const asset = this.assets[c.asset % this.assets.length]!;
    const entry = fundingEntry({
      refId: `f${this.seq++}`,
      userId,
      asset,
      amount: c.amount,
      direction: c.debit ? 'debit' : 'credit',
      reason: 'test',
    });
    if (!entry.ok) throw new Error(entry.error.message);
    this.apply(entry.value);
  }

  private place(c: Extract<Command, { op: 'place' }>): void {
    const m = c.market % this.markets.length;
    const spec = this.markets[m]!;
    const price = BigInt(this.refTicks[m]! + c.price);
    const lots = BigInt(c.lots);
    const bandTop = priceBand(spec, this.refTicks[m]!).maxTicks;
    const quote = notionalQuoteUnits(spec, price, lots);
    const plans: Record<typeof c.kind, [HoldBasis, Omit<OpenOrder, 'reservation' | 'spec'>]> = {
      limit_buy: [
        { side: 'buy', qtyLots: lots, priceTicks: price },
        { lotsLeft: lots, quoteLeft: null, limitTicks: price },
      ],
      limit_sell: [
        { side: 'sell', qtyLots: lots },
        { lotsLeft: lots, quoteLeft: null, limitTicks: price },
      ],
      market_sell: [
        { side: 'sell', qtyLots: lots },
        { lotsLeft: lots, quoteLeft: null, limitTicks: null },
      ],
      buy_quote: [
        { side: 'buy', quoteUnits: quote },
        { lotsLeft: null, quoteLeft: quote, limitTicks: null },
      ],
      buy_qty: [
        { side: 'buy', qtyLots: lots, priceTicks: bandTop },
        { lotsLeft: lots, quoteLeft: null, limitTicks: bandTop },
      ],
    };
    const [basis, order] = plans[c.kind];
    const owner = USERS[c.user % USERS.length]!;
    const hold = placeOrderHold(spec, { orderId: `o${this.seq++}`, owner, basis });
    if (!hold.ok) throw new Error(hold.error.message);
    if (this.apply(hold.value.entry))
      this.open.push({ ...order, spec, reservation: hold.value.reservation });
  }

  private fill(c: Extract<Command, { op: 'fill' }>): void {
    // Pick a buy, then a sell on its market that crosses it (the engine would only match those).
    const buys = this.open.filter((o) => o.reservation.side === 'buy');
    if (buys.length === 0) return;
    const buy = buys[(c.market + c.buy) % buys.length]!;
    const sells = this.open.filter(
      (o) =>
        o.reservation.side === 'sell' &&
        o.spec === buy.spec &&
        (o.limitTicks === null || buy.limitTicks === null || o.limitTicks <= buy.limitTicks),
    );
    if (sells.length === 0) return;
    const sell = sells[c.sell % sells.length]!;
    const low = sell.limitTicks ?? 1n;
    const high = buy.limitTicks ?? low + 1000n;
    if (low > high) return;
    const price = low + ((high - low) * BigInt(c.pricePct)) / 100n;
    const perLot = notionalQuoteUnits(buy.spec, price, 1n);
    const maxLots = [
      buy.lotsLeft,
      sell.lotsLeft,
      buy.quoteLeft === null ? null : buy.quoteLeft / perLot,
    ]
      .filter((x): x is bigint => x !== null)
      .reduce((a, b) => (a < b ? a : b));
    if (maxLots <= 0n) return;
    const share = (maxLots * BigInt(c.qtyPct)) / 100n;
    const lots = share > 0n ? share : 1n;
    this.settle(buy, sell, price, lots, c.makerSide);
  }

  private settle(
    buy: OpenOrder,
    sell: OpenOrder,
    price: bigint,
    lots: bigint,
    makerSide: 'buy' | 'sell',
  ): void {
    const { makerFeePpm, takerFeePpm } = buy.spec.config;
    const [maker, taker] = makerSide === 'buy' ? [buy, sell] : [sell, buy];
    const s = settleTrade(buy.spec, {
      tradeId: `t${this.seq++}`,
      priceTicks: price,
      qtyLots: lots,
      makerSide,
      maker: { reservation: maker.reservation, feePpm: makerFeePpm },
      taker: { reservation: taker.reservation, feePpm: takerFeePpm },
    });
    if (!s.ok) throw new Error(`${s.error.code}: ${s.error.message}`);
    if (!this.apply(s.value.entry)) throw new Error('settlement refused for funds');
    buy.reservation = s.value.buyer;
    sell.reservation = s.value.seller;
    for (const o of [buy, sell]) {
      if (o.lotsLeft !== null) o.lotsLeft -= lots;
      if (o.quoteLeft !== null) o.quoteLeft -= s.value.notional;
      if (o.lotsLeft === 0n) this.close(o, 'filled');
    }
  }

  private cancel(index: number): void {
    if (this.open.length > 0) this.close(this.open[index % this.open.length]!, 'cancelled');
  }

  private close(order: OpenOrder, reason: 'filled' | 'cancelled'): void {
    const { entry } = releaseReservation(order.reservation, reason);
    if (!this.apply(entry)) throw new Error('release refused');
    this.open = this.open.filter((o) => o !== order);
  }
}
