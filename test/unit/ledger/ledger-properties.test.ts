import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { unwrap } from '../../../src-main/domain/money';
import { DEFAULT_ASSETS, DEFAULT_MARKETS, compileMarkets } from '../../../src-main/domain/markets';
import {
  checkLedgerInvariants,
  heldMatchesReservations,
  replayEntries,
} from '../../../src-main/domain/ledger';
import type { Command } from './simulator';
import { Simulator, USERS } from './simulator';

const markets = [...unwrap(compileMarkets(DEFAULT_ASSETS, DEFAULT_MARKETS)).values()];
const assets = DEFAULT_ASSETS.map((a) => a.code);
// Reference prices in ticks: BTC/USDT 30000, ETH/USDT 2000, ETH/BTC 0.05, EUR/USD 1.08
const REF_TICKS = [3_000_000, 200_000, 5_000, 10_800];

const idx = fc.nat({ max: 50 });
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('fund' as const),
      user: idx,
      asset: idx,
      amount: fc.bigInt({ min: 1n, max: 10n ** 11n }),
      debit: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('place' as const),
      user: idx,
      market: idx,
      kind: fc.constantFrom(
        'limit_buy' as const,
        'limit_sell' as const,
        'market_sell' as const,
        'buy_quote' as const,
        'buy_qty' as const,
      ),
      price: fc.integer({ min: -200, max: 200 }),
      lots: fc.integer({ min: 1, max: 500 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('fill' as const),
      market: idx,
      buy: idx,
      sell: idx,
      pricePct: fc.integer({ min: 0, max: 100 }),
      qtyPct: fc.integer({ min: 0, max: 100 }),
      makerSide: fc.constantFrom('buy' as const, 'sell' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), order: idx }) },
);

// Every user starts with 10^10 minor units of every asset (100 BTC, 10 000 USDT, 10^8 EUR…),
// so most placements succeed and fills happen; random debits still drain some accounts.
const SEED: Command[] = USERS.flatMap((_, user) =>
  assets.map((_a, asset) => ({
    op: 'fund' as const,
    user,
    asset,
    amount: 10n ** 10n,
    debit: false,
  })),
);

const streams = fc.array(command, { minLength: 5, maxLength: 60, size: 'max' });

function run(commands: Command[], check: (sim: Simulator) => void): Simulator {
  const sim = new Simulator(markets, assets, REF_TICKS);
  for (const c of [...SEED, ...commands]) {
    sim.run(c);
    check(sim);
  }
  return sim;
}

describe('ledger under random streams of funding, orders, fills and cancels', () => {
  it('sums to zero per asset, nothing negative, held equals reservations after every step', () => {
    fc.assert(
      fc.property(streams, (commands) => {
        run(commands, (sim) => {
          expect(checkLedgerInvariants(sim.balances)).toEqual([]);
          expect(
            heldMatchesReservations(
              sim.balances,
              sim.open.map((o) => o.reservation),
            ),
          ).toEqual([]);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('replays deterministically: same commands, same balances; the journal rebuilds them', () => {
    fc.assert(
      fc.property(streams, (commands) => {
        const first = run(commands, () => {});
        const second = run(commands, () => {});
        expect(second.balances).toEqual(first.balances);
        expect(second.journal).toEqual(first.journal);
        expect(unwrap(replayEntries(first.journal))).toEqual(first.balances);
        expect(checkLedgerInvariants(first.balances, first.journal)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('actually trades: a funded stream produces settlements', () => {
    const commands: Command[] = [
      { op: 'fund', user: 0, asset: 2, amount: 10n ** 11n, debit: false },
      { op: 'fund', user: 1, asset: 0, amount: 10n ** 9n, debit: false },
      { op: 'place', user: 0, market: 0, kind: 'limit_buy', price: 100, lots: 300 },
      { op: 'place', user: 1, market: 0, kind: 'limit_sell', price: -100, lots: 200 },
      { op: 'fill', market: 0, buy: 0, sell: 0, pricePct: 50, qtyPct: 50, makerSide: 'buy' },
      { op: 'fill', market: 0, buy: 0, sell: 0, pricePct: 10, qtyPct: 100, makerSide: 'sell' },
      { op: 'cancel', order: 0 },
    ];
    const sim = run(commands, (s) => expect(checkLedgerInvariants(s.balances)).toEqual([]));
    expect(sim.journal.map((e) => e.kind).filter((k) => k !== 'funding')).toEqual([
      'order_hold',
      'order_hold',
      'trade_settlement',
      'trade_settlement',
      'order_release', // the buy's unfilled 100 lots; the sell filled exactly, nothing to release
    ]);
    expect(sim.open).toEqual([]);
  });
});
