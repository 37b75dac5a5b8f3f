import { describe, expect, it } from 'vitest';
import { formatDecimal, unwrap } from '../../../src-main/domain/money';
import type { MarketSpec } from '../../../src-main/domain/markets';
import {
  DEFAULT_ASSETS,
  DEFAULT_MARKETS,
  compileMarkets,
  priceToTicks,
  qtyToLots,
} from '../../../src-main/domain/markets';
import type { Balances, JournalEntry, OrderReservation } from '../../../src-main/domain/ledger';
import {
  SYSTEM_EXTERNAL,
  SYSTEM_FEES,
  applyEntry,
  available,
  balanceOf,
  checkLedgerInvariants,
  fundingEntry,
  held,
  heldMatchesReservations,
  placeOrderHold,
  releaseReservation,
  settleTrade,
} from '../../../src-main/domain/ledger';

const specs = unwrap(compileMarkets(DEFAULT_ASSETS, DEFAULT_MARKETS));
const BTC_USDT = specs.get('BTC/USDT')!;
const ETH_BTC = specs.get('ETH/BTC')!;
const scales = new Map(DEFAULT_ASSETS.map((a) => [a.code, a.scale]));

/** A tiny harness: applies entries, keeps the journal, and reads balances as decimals. */
class Book {
  balances: Balances = new Map();
  journal: JournalEntry[] = [];
  apply(entry: JournalEntry | null): void {
    if (!entry) return;
    this.balances = unwrap(applyEntry(this.balances, entry));
    this.journal.push(entry);
  }
  fund(userId: string, asset: string, amount: string): void {
    const units =
      BigInt(amount.replace('.', '')) *
      10n ** BigInt(scales.get(asset)! - (amount.split('.')[1]?.length ?? 0));
    this.apply(
      unwrap(
        fundingEntry({
          refId: `f-${userId}-${asset}`,
          userId,
          asset,
          amount: units,
          direction: 'credit',
          reason: 'seed',
        }),
      ),
    );
  }
  place(
    spec: MarketSpec,
    orderId: string,
    owner: string,
    side: 'buy' | 'sell',
    qty: string,
    price?: string,
  ): OrderReservation {
    const qtyLots = unwrap(qtyToLots(spec, qty));
    const basis =
      side === 'sell'
        ? { side, qtyLots }
        : { side, qtyLots, priceTicks: unwrap(priceToTicks(spec, price!)) };
    const { entry, reservation } = unwrap(placeOrderHold(spec, { orderId, owner, basis }));
    this.apply(entry);
    return reservation;
  }
  show(owner: string, asset: string, purpose: 'available' | 'held' = 'available'): string {
    const key = purpose === 'held' ? held(owner, asset) : available(owner, asset);
    return formatDecimal(balanceOf(this.balances, key), scales.get(asset)!);
  }
  sound(open: OrderReservation[]): void {
    expect(checkLedgerInvariants(this.balances, this.journal)).toEqual([]);
    expect(heldMatchesReservations(this.balances, open)).toEqual([]);
  }
}

describe('buy 0.5 BTC at 30000.00 USDT limit, filled at 29950.00 against a resting seller', () => {
  const book = new Book();
  book.fund('alice', 'USDT', '20000');
  book.fund('bob', 'BTC', '1');
  const ask = book.place(BTC_USDT, 'o-bob', 'bob', 'sell', '0.5', '29950.00');
  const bid = book.place(BTC_USDT, 'o-alice', 'alice', 'buy', '0.5', '30000.00');

  it('holds notional at the limit plus the maximum (taker) fee, and the base for the sell', () => {
    // 0.5 × 30000 = 15000; 0.2 % of it = 30 → 15030 USDT held
    expect(book.show('alice', 'USDT', 'held')).toBe('15030.000000');
    expect(book.show('alice', 'USDT')).toBe('4970.000000');
    expect(book.show('bob', 'BTC', 'held')).toBe('0.50000000');
    book.sound([ask, bid]);
  });

  it('settles to the last minor unit and releases the price improvement', () => {
    const settlement = unwrap(
      settleTrade(BTC_USDT, {
        tradeId: 't-1',
        priceTicks: 2_995_000,
        qtyLots: 5000,
        makerSide: 'sell',
        maker: { reservation: ask, feePpm: BTC_USDT.config.makerFeePpm },
        taker: { reservation: bid, feePpm: BTC_USDT.config.takerFeePpm },
      }),
    );
    // notional 14975 USDT; taker fee 0.2 % = 29.95; maker fee 0.1 % = 14.975
    expect(settlement.notional).toBe(14_975_000_000n);
    expect(settlement.buyerFee).toBe(29_950_000n);
    expect(settlement.sellerFee).toBe(14_975_000n);
    book.apply(settlement.entry);
    // 15030 − 14975 − 29.95 = 25.05 still held until the order completes
    expect(book.show('alice', 'USDT', 'held')).toBe('25.050000');
    book.sound([settlement.buyer, settlement.seller]);
    const buyerDone = releaseReservation(settlement.buyer, 'filled');
    const sellerDone = releaseReservation(settlement.seller, 'filled');
    expect(sellerDone.entry).toBeNull();
    book.apply(buyerDone.entry);
    expect(book.show('alice', 'USDT')).toBe('4995.050000');
    expect(book.show('alice', 'USDT', 'held')).toBe('0.000000');
    expect(book.show('alice', 'BTC')).toBe('0.50000000');
    expect(book.show('bob', 'USDT')).toBe('14960.025000');
    expect(book.show('bob', 'BTC')).toBe('0.50000000');
    expect(book.show('bob', 'BTC', 'held')).toBe('0.00000000');
    expect(book.show(SYSTEM_FEES, 'USDT')).toBe('44.925000');
    expect(book.show(SYSTEM_EXTERNAL, 'USDT')).toBe('-20000.000000');
    book.sound([]);
  });
});

describe('fees round up per order, not per fill', () => {
  it('three 1-lot fills at 0.05001 BTC pay 31 sat in total, exactly what was held', () => {
    const book = new Book();
    book.fund('carol', 'BTC', '1');
    book.fund('dave', 'ETH', '1');
    let bid = book.place(ETH_BTC, 'b', 'carol', 'buy', '0.003', '0.05001');
    let ask = book.place(ETH_BTC, 'a', 'dave', 'sell', '0.003');
    // notional 15003 sat; fee 0.2 % = 30.006 → 31 sat; hold 15034 sat
    expect(bid.remaining).toBe(15_034n);
    const fees: bigint[] = [];
    for (let i = 0; i < 3; i += 1) {
      const s = unwrap(
        settleTrade(ETH_BTC, {
          tradeId: `t${i}`,
          priceTicks: 5001,
          qtyLots: 1,
          makerSide: 'sell',
          maker: { reservation: ask, feePpm: 2000 },
          taker: { reservation: bid, feePpm: 2000 },
        }),
      );
      book.apply(s.entry);
      fees.push(s.buyerFee);
      [bid, ask] = [s.buyer, s.seller];
      book.sound([bid, ask]);
    }
    // Per-fill ceil would charge 11 + 11 + 11 = 33 sat and overdraw the 15034 hold.
    expect(fees).toEqual([11n, 10n, 10n]);
    expect(bid.remaining).toBe(0n);
    expect(book.show('dave', 'BTC')).toBe('0.00014972'); // 15003 − 31
    expect(book.show(SYSTEM_FEES, 'BTC')).toBe('0.00000062');
  });
});

describe('market buy by quote amount', () => {
  it('holds spend + max fee and releases what the fills did not use', () => {
    const book = new Book();
    book.fund('erin', 'USDT', '1002');
    book.fund('mm', 'BTC', '1');
    const hold = unwrap(
      placeOrderHold(BTC_USDT, {
        orderId: 'm',
        owner: 'erin',
        basis: { side: 'buy', quoteUnits: 1_000_000_000n },
      }),
    );
    book.apply(hold.entry);
    expect(book.show('erin', 'USDT', 'held')).toBe('1002.000000');
    const ask = book.place(BTC_USDT, 'mm-ask', 'mm', 'sell', '0.1', '30000');
    const s = unwrap(
      settleTrade(BTC_USDT, {
        tradeId: 't',
        priceTicks: 3_000_000,
        qtyLots: 333,
        makerSide: 'sell',
        maker: { reservation: ask, feePpm: 1000 },
        taker: { reservation: hold.reservation, feePpm: 2000 },
      }),
    );
    book.apply(s.entry);
    book.apply(releaseReservation(s.buyer, 'filled').entry);
    // spent 999 + 1.998 fee; 1.002 returned
    expect(book.show('erin', 'USDT')).toBe('1.002000');
    expect(book.show('erin', 'BTC')).toBe('0.03330000');
    book.sound([s.seller]);
  });
});

describe('refusals', () => {
  it('insufficient funds names the account, asset, needed and available', () => {
    const book = new Book();
    book.fund('frank', 'USDT', '100');
    const hold = unwrap(
      placeOrderHold(BTC_USDT, {
        orderId: 'x',
        owner: 'frank',
        basis: { side: 'buy', qtyLots: 1000, priceTicks: 3_000_000 },
      }),
    );
    const result = applyEntry(book.balances, hold.entry);
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'insufficient_funds',
        details: {
          account: 'frank|USDT|available',
          asset: 'USDT',
          needed: '3006000000',
          available: '100000000',
        },
      },
    });
  });

  it('a fill beyond the hold or above the hold fee rate is refused', () => {
    const bid = unwrap(
      placeOrderHold(BTC_USDT, {
        orderId: 'b',
        owner: 'u',
        basis: { side: 'buy', qtyLots: 10, priceTicks: 3_000_000 },
      }),
    ).reservation;
    const ask = unwrap(
      placeOrderHold(BTC_USDT, { orderId: 'a', owner: 'v', basis: { side: 'sell', qtyLots: 10 } }),
    ).reservation;
    const trade = {
      tradeId: 't',
      qtyLots: 10,
      makerSide: 'sell' as const,
      maker: { reservation: ask, feePpm: 1000 },
    };
    const above = settleTrade(BTC_USDT, {
      ...trade,
      priceTicks: 3_000_100,
      taker: { reservation: bid, feePpm: 2000 },
    });
    expect(above.ok ? null : above.error.code).toBe('reservation_exceeded');
    const rate = settleTrade(BTC_USDT, {
      ...trade,
      priceTicks: 3_000_000,
      taker: { reservation: bid, feePpm: 2001 },
    });
    expect(rate.ok ? null : rate.error.code).toBe('invalid_trade');
    const swapped = settleTrade(BTC_USDT, {
      ...trade,
      priceTicks: 3_000_000,
      maker: { reservation: bid, feePpm: 1000 },
      taker: { reservation: ask, feePpm: 2000 },
    });
    expect(swapped.ok ? null : swapped.error.code).toBe('invalid_trade');
  });

  it('a self-trade settles and balances', () => {
    const book = new Book();
    book.fund('gina', 'USDT', '1000');
    book.fund('gina', 'BTC', '1');
    const ask = book.place(BTC_USDT, 'a', 'gina', 'sell', '0.01', '30000');
    const bid = book.place(BTC_USDT, 'b', 'gina', 'buy', '0.01', '30000');
    const s = unwrap(
      settleTrade(BTC_USDT, {
        tradeId: 't',
        priceTicks: 3_000_000,
        qtyLots: 100,
        makerSide: 'sell',
        maker: { reservation: ask, feePpm: 1000 },
        taker: { reservation: bid, feePpm: 2000 },
      }),
    );
    book.apply(s.entry);
    book.sound([s.buyer, s.seller]);
    expect(book.show('gina', 'USDT')).toBe('999.100000'); // 1000 − 0.6 taker − 0.3 maker
  });
});
