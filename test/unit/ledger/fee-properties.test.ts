import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PPM, divRound, unwrap } from '../../../src-main/domain/money';
import {
  DEFAULT_ASSETS,
  DEFAULT_MARKETS,
  compileMarkets,
  notionalQuoteUnits,
} from '../../../src-main/domain/markets';
import type { OrderReservation } from '../../../src-main/domain/ledger';
import { placeOrderHold, settleTrade } from '../../../src-main/domain/ledger';

const markets = [...unwrap(compileMarkets(DEFAULT_ASSETS, DEFAULT_MARKETS)).values()];

/** Splits `total` lots into positive chunks by the given cut points. */
function chunks(total: number, cuts: number[]): number[] {
  const points = [...new Set(cuts.map((c) => 1 + (c % Math.max(total - 1, 1))))]
    .filter((p) => p < total)
    .sort((a, b) => a - b);
  const edges = [0, ...points, total];
  return edges.slice(1).map((edge, i) => edge - edges[i]!);
}

describe('fees across partial fills (property)', () => {
  it('a buy never overdraws its hold; filled entirely at its limit as taker it uses the hold exactly', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: markets.length - 1 }),
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 13, maxLength: 13 }),
        fc.array(fc.nat({ max: 100 }), { minLength: 13, maxLength: 13 }),
        (m, limit, lots, cuts, makerFlags, improvements) => {
          const spec = markets[m]!;
          const { makerFeePpm, takerFeePpm } = spec.config;
          let buy: OrderReservation = unwrap(
            placeOrderHold(spec, {
              orderId: 'b',
              owner: 'u',
              basis: { side: 'buy', qtyLots: lots, priceTicks: limit },
            }),
          ).reservation;
          let sell: OrderReservation = unwrap(
            placeOrderHold(spec, {
              orderId: 's',
              owner: 'v',
              basis: { side: 'sell', qtyLots: lots },
            }),
          ).reservation;
          let accrual = 0n;
          let sellerFees = 0n;
          let sellerAccrual = 0n;
          let exact = true; // every fill at the limit with the buyer as taker
          for (const [i, qty] of chunks(lots, cuts).entries()) {
            const buyerIsMaker = makerFlags[i] ?? false;
            const price = Math.max(1, limit - (improvements[i] ?? 0));
            if (buyerIsMaker || price !== limit) exact = false;
            const buyerPpm = buyerIsMaker ? makerFeePpm : takerFeePpm;
            const sellerPpm = buyerIsMaker ? takerFeePpm : makerFeePpm;
            const s = unwrap(
              settleTrade(spec, {
                tradeId: `t${i}`,
                priceTicks: price,
                qtyLots: qty,
                makerSide: buyerIsMaker ? 'buy' : 'sell',
                maker: {
                  reservation: buyerIsMaker ? buy : sell,
                  feePpm: buyerIsMaker ? buyerPpm : sellerPpm,
                },
                taker: {
                  reservation: buyerIsMaker ? sell : buy,
                  feePpm: buyerIsMaker ? sellerPpm : buyerPpm,
                },
              }),
            );
            const notional = notionalQuoteUnits(spec, price, qty);
            accrual += notional * BigInt(buyerPpm);
            sellerAccrual += notional * BigInt(sellerPpm);
            sellerFees += s.sellerFee;
            expect(s.sellerFee <= notional).toBe(true);
            buy = s.buyer;
            sell = s.seller;
            expect(buy.remaining >= 0n).toBe(true);
          }
          // Total fee per order is the ceiling of the order's total, never the sum of ceilings.
          expect(buy.feesPaid).toBe(divRound(accrual, BigInt(PPM), 'ceil'));
          expect(sellerFees).toBe(divRound(sellerAccrual, BigInt(PPM), 'ceil'));
          if (exact) expect(buy.remaining).toBe(0n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
