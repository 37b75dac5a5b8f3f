import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract';
import { simulatorFundingEntry, type JournalEntry } from '../../../src-main/domain/ledger';
import type { ExchangeApi, PlaceInput } from '../../../src-main/features/exchange/api';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { exchangeOf, fund } from '../../helpers/exchange';

// The exchange's one public face (features/exchange/api.ts): typed commands in, results out,
// every command durable before it answers. Other features see nothing else of the exchange.

let backend: TestBackend;
let ex: ExchangeApi;
beforeEach(async () => {
  backend = await startTestBackend();
  ex = exchangeOf(backend);
  await fund(backend, 'alice', 'USDT', '10000');
  await fund(backend, 'bob', 'BTC', '1');
});
afterEach(async () => {
  await backend.cleanup();
});

const SYM = 'BTC/USDT';
const count = (table: string) =>
  (backend.store.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const buy = (price: string, qty = '0.01'): PlaceInput => ({
  symbol: SYM,
  side: 'buy',
  type: 'limit',
  price,
  qty,
});

const SIM = 'system:sim:mm:BTC/USDT';
function credit(amount: bigint): JournalEntry {
  const entry = simulatorFundingEntry({
    refId: 'api-test',
    owner: SIM,
    asset: 'USDT',
    amount,
    direction: 'credit',
    reason: 'api test',
  });
  if (!entry.ok) throw new Error(entry.error.message);
  return entry.value;
}

describe('ExchangeApi', () => {
  it('places, reads and cancels through typed calls', async () => {
    const placed = await ex.place('alice', buy('29000.00'));
    expect(placed).toMatchObject({ symbol: SYM, side: 'buy', status: 'new', price: '29000.00' });
    expect(ex.holdings('alice', 'USDT').held).toBeGreaterThan(0n);
    expect(ex.openOrders({ userId: 'alice' }).map((o) => o.id)).toEqual([placed.orderId]);
    expect(ex.openOrders({ userId: 'alice', symbol: 'ETH/USDT' })).toEqual([]);
    const cancelled = await ex.cancel('alice', { orderId: placed.orderId });
    expect(cancelled.status).toBe('cancelled');
    expect(ex.holdings('alice', 'USDT')).toEqual({ available: 10_000_000_000n, held: 0n });
    await expect(ex.cancel('alice', { orderId: placed.orderId })).rejects.toMatchObject({
      code: 'unknown_order',
    });
  });

  it('answers a repeated clientOrderId with the open order it named', async () => {
    const input = { ...buy('29000.00'), clientOrderId: 'retry-1' };
    const first = await ex.place('alice', input);
    const again = await ex.place('alice', input);
    expect(again.orderId).toBe(first.orderId);
    expect(ex.openOrders({ userId: 'alice' })).toHaveLength(1);
  });

  it('cancels all of a user on a market and says how many', async () => {
    await ex.place('alice', buy('29000.00'));
    await ex.place('alice', buy('28000.00'));
    expect(await ex.cancelAll('alice', SYM)).toBe(2);
    expect(await ex.cancelAll('alice', SYM)).toBe(0);
  });

  it('runs a batch in order, each command refused or done on its own', async () => {
    const resting = await ex.place('alice', buy('27000.00'));
    const outcomes = await ex.batch([
      { type: 'place', userId: 'alice', order: buy('29000.00') },
      { type: 'place', userId: 'alice', order: buy('29000.005') }, // off the tick
      { type: 'cancel', userId: 'alice', orderId: resting.orderId },
      { type: 'cancel', userId: 'bob', orderId: 999_999 },
      { type: 'place', userId: 'alice', order: buy('28000.00') },
      { type: 'cancel_all', userId: 'alice', symbol: SYM },
    ]);
    expect(
      outcomes.map((o) => (o.ok ? ('cancelled' in o ? `all ${o.cancelled}` : 'ok') : o.error.code)),
    ).toEqual(['ok', 'tick_size', 'ok', 'unknown_order', 'ok', 'all 2']);
    expect(outcomes[2]).toEqual({ ok: true, orderId: resting.orderId });
    expect(outcomes[1]?.ok === false && outcomes[1].error).toBeInstanceOf(AppError);
    expect(ex.openOrders({ userId: 'alice' })).toEqual([]);
  });

  it('commits a batch as one: a failed commit refuses all of it and keeps nothing', async () => {
    const orders = count('orders');
    exchangeOf(backend).injectCommitFailure();
    await expect(
      ex.batch([
        { type: 'place', userId: 'alice', order: buy('29000.00') },
        { type: 'place', userId: 'alice', order: buy('28000.00') },
      ]),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(count('orders')).toBe(orders);
    expect(ex.openOrders({ userId: 'alice' })).toEqual([]);
    expect(ex.holdings('alice', 'USDT')).toEqual({ available: 10_000_000_000n, held: 0n });
  });

  it('posts ledger entries with the caller’s writes in the same transaction', async () => {
    const entries = count('ledger_entries');
    const ts = await ex.post((tx) => {
      tx.record(credit(500n));
      tx.alsoWrite(() => undefined);
      return tx.ts;
    });
    expect(ts).toBeGreaterThan(0);
    expect(ex.holdings(SIM, 'USDT').available).toBe(500n);
    expect(count('ledger_entries')).toBe(entries + 1);

    // A write of the caller that fails rolls its entries back, in memory and on disk.
    await expect(
      ex.post((tx) => {
        tx.record(credit(700n));
        tx.alsoWrite(() => {
          throw new Error('side table refused');
        });
      }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(ex.holdings(SIM, 'USDT').available).toBe(500n);
    expect(count('ledger_entries')).toBe(entries + 1);
  });

  it('reads markets, specs and books without reaching the state', () => {
    expect(ex.symbols()).toContain(SYM);
    expect(ex.hasMarket(SYM)).toBe(true);
    expect(ex.hasMarket('NOPE/USDT')).toBe(false);
    expect(ex.spec(SYM).base.code).toBe('BTC');
    expect(ex.asset('USDT')?.scale).toBe(6);
    expect(ex.market(SYM).engine.bestBid()).toBe(0);
    expect(() => ex.spec('NOPE/USDT')).toThrow(AppError);
  });
});
