import { describe, expect, it } from 'vitest';
import { OrderBook, type PlaceCommand } from '../../../src-main/domain/exchange';
import { compileMarket, DEFAULT_ASSETS, DEFAULT_MARKETS } from '../../../src-main/domain/markets';
import { holdBasis } from '../../../src-main/features/exchange/commands';
import { engineConfigOf } from '../../../src-main/features/exchange/markets';

// A buy by quantity is held at a price per lot (the band's ceiling around its reference) times
// its quantity. Near the market's largest price and quantity that product passes 2^53, where a
// JavaScript number is no longer exact: the hold must still be the exact product.

function market() {
  const config = DEFAULT_MARKETS.find((m) => m.symbol === 'BTC/USDT')!;
  const spec = compileMarket(config, [...DEFAULT_ASSETS]);
  if (!spec.ok) throw new Error(spec.error.message);
  const engine = new OrderBook(engineConfigOf(spec.value));
  return { spec: spec.value, engine, lastSeq: 0, lastTradeId: 0 };
}

describe('the hold of a buy by quantity near the largest sizes', () => {
  it.each([
    // An ask (the reference) and a quantity whose band ceiling × qty is past 2^53.
    [972_480_854, 8_715_245],
    [999_999_937, 8_999_999],
  ])('is the exact band ceiling × qty (ask %i ticks, %i lots)', (ask, qty) => {
    const m = market();
    m.engine.execute({
      type: 'place',
      ts: 1,
      orderId: 1,
      userId: 'maker',
      side: 'sell',
      kind: 'limit',
      price: ask,
      qty: 1,
    });
    const bandBps = m.engine.config.bandBps;
    const ceiling = Math.floor((ask * (10_000 + bandBps)) / 10_000);
    const cmd: PlaceCommand = {
      type: 'place',
      ts: 2,
      orderId: 2,
      userId: 'taker',
      side: 'buy',
      kind: 'market',
      qty,
    };
    const basis = holdBasis(m, cmd);
    expect(basis).toEqual({ side: 'buy', qtyLots: qty, priceTicks: ceiling });
    expect(BigInt(ceiling) * BigInt(qty)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
  });
});
