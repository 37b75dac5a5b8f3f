import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import { exchangeOf, fund, limit, place, trader } from '../../helpers/exchange';

/**
 * A resting entry with a take-profit and a stop-loss, filled in parts: each part is protected
 * as it fills (once it is an order the market takes at both levels), the rest when the entry
 * is done. Before, the exits waited for the whole entry, and the parts filled meanwhile had
 * none — for as long as the order rested.
 */
interface PlanOut {
  planId: number;
  status: string;
  result: Record<string, unknown> | null;
}

let backend: TestBackend;
let dataDir: string;

beforeEach(async () => {
  dataDir = tempDataDir();
  backend = await startTestBackend({ dataDir });
  // Asks at 100.00 and a bid of 1 at 99.00 from a maker; the trader has USDT, a seller BTC.
  await fund(backend, 'maker', 'BTC', '10');
  await fund(backend, 'maker', 'USDT', '100000');
  await place(backend, 'maker', limit('sell', '100.00', '1'));
  await place(backend, 'maker', limit('buy', '99.00', '1'));
  await fund(backend, 'trader', 'USDT', '10000');
  await fund(backend, 'seller', 'BTC', '10');
});
afterEach(async () => {
  await backend.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const withExits = (input: Record<string, unknown>) =>
  backend.invoke('orders.placeWithExits', input, trader('trader')) as Promise<{ plan: PlanOut }>;

/** A resting buy (of 0.3) at 98.00, take-profit 105.00, stop-loss 92.00. */
async function restingBuy(qty = '0.3'): Promise<PlanOut> {
  const r = await withExits({
    order: { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '98.00', qty },
    takeProfit: { price: '105.00' },
    stopLoss: { price: '92.00' },
  });
  expect(r.plan.status).toBe('waiting');
  return r.plan;
}

/** The seller sells into the bids at 98.00 (IOC): the maker's 99.00 bid first, then the entry. */
const sell = (qty: string) =>
  place(backend, 'seller', { ...limit('sell', '98.00', qty), tif: 'IOC' });

/** The trader's open exits as `<client id> <lots>`, oldest first. */
const exits = () =>
  exchangeOf(backend)
    .openOrders({ userId: 'trader' })
    .filter((o) => o.side === 'sell')
    .sort((a, b) => a.id - b.id)
    .map((o) => `${o.clientOrderId} ${o.openQty}`);

const planOf = async (planId: number) =>
  (
    (await backend.invoke('orders.exitPlans', {}, trader('trader'))) as { items: PlanOut[] }
  ).items.find((p) => p.planId === planId)!;

/** A resting buy with two parts of 0.1 covered (two pairs in the book); answers its plan id. */
async function twoPartsCovered(): Promise<number> {
  const { planId } = await restingBuy();
  await sell('1.1'); // 1 to the maker's bid, 0.1 to the entry
  await vi.waitFor(() => expect(exits()).toHaveLength(2));
  await sell('0.1');
  await vi.waitFor(() => expect(exits()).toHaveLength(4));
  return planId;
}

describe('a resting entry filled in parts', () => {
  it('protects each part as it fills, and the rest once the entry is filled', async () => {
    const { planId } = await restingBuy();
    await sell('1.1'); // 1 to the maker's bid, 0.1 to the entry
    await vi.waitFor(() =>
      expect(exits()).toEqual([`brk-${planId}-f1000-tp 1000`, `brk-${planId}-f1000-sl 1000`]),
    );
    expect(await planOf(planId)).toMatchObject({
      status: 'waiting',
      result: { partial: { qty: '0.1000', takeProfit: '105.00', stopLoss: '92.00' } },
    });
    // The other 0.2 fills the entry: one pair for it, and the plan is placed for all 0.3.
    await sell('0.2');
    await vi.waitFor(() => expect(exits()).toHaveLength(4));
    expect(exits().slice(2)).toEqual([`brk-${planId}-tp 2000`, `brk-${planId}-sl 2000`]);
    const done = await planOf(planId);
    expect(done).toMatchObject({
      status: 'placed',
      result: { qty: '0.3000', takeProfit: '105.00', stopLoss: '92.00' },
    });
    expect(done.result!.orderIds).toHaveLength(4);
    // Each pair holds the BTC it would sell: all 0.3 bought.
    expect(exchangeOf(backend).holdings('trader', 'BTC')).toEqual({
      available: 0n,
      held: 30_000_000n,
    });
  });

  it('a part under the minimum waits for more; a last one under it is said to be unprotected', async () => {
    const { planId } = await restingBuy();
    await sell('1.1');
    await vi.waitFor(() => expect(exits()).toHaveLength(2));
    // 0.052 more: 4.78 USDT at the stop-loss, under the market's 5 minimum — it waits…
    await sell('0.052');
    // …and is covered with the next 0.1, as one part of 0.152.
    await sell('0.1');
    await vi.waitFor(() => expect(exits()).toHaveLength(4));
    expect(exits().slice(2)).toEqual([
      `brk-${planId}-f2520-tp 1520`,
      `brk-${planId}-f2520-sl 1520`,
    ]);
    // The last 0.048 (4.42 USDT at the stop-loss) ends the entry: no order the market takes.
    await sell('0.1');
    await vi.waitFor(async () =>
      expect(await planOf(planId)).toMatchObject({
        status: 'placed',
        result: { qty: '0.2520', unprotected: '0.0480' },
      }),
    );
    expect(exits()).toHaveLength(4);
    const notes = (await backend.invoke(
      'notifications.list',
      {},
      { kind: 'user', userId: 'trader', role: 'trader', permissions: new Set(['orders.read']) },
    )) as { items: Array<{ level: string; title: string }> };
    expect(notes.items).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        title: expect.stringMatching(/last 0\.0480 .*NOT protected/),
      }),
    );
  });

  it('parts are at least a tenth of the entry, however finely it fills', async () => {
    const { planId } = await restingBuy('2');
    await sell('1.1'); // 0.1 of the 2: under a tenth, it waits
    await sell('0.1'); // 0.2 filled: one pair for it
    await vi.waitFor(() =>
      expect(exits()).toEqual([`brk-${planId}-f2000-tp 2000`, `brk-${planId}-f2000-sl 2000`]),
    );
    expect(await planOf(planId)).toMatchObject({ result: { partial: { qty: '0.2000' } } });
  });

  it('a refused part stops the parts; the rest is tried once when the entry is done', async () => {
    // A take-profit 10.2 % above the fills: outside the market's ±10 % band when placed.
    const r = await withExits({
      order: { symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '98.00', qty: '0.3' },
      takeProfit: { price: '108.00' },
      stopLoss: { price: '92.00' },
    });
    const { planId } = r.plan;
    await sell('1.1');
    await vi.waitFor(async () =>
      expect((await planOf(planId)).result).toMatchObject({
        partial: { lots: 0, refused: expect.any(String) },
      }),
    );
    await sell('0.1'); // no part tried after a refused one
    await sell('0.1'); // the entry is done: the whole 0.3 tried once more, refused
    await vi.waitFor(async () =>
      expect(await planOf(planId)).toMatchObject({ status: 'failed', result: { qty: '0.3000' } }),
    );
    expect(exits()).toEqual([]);
  });

  it('an entry cancelled after a part: the part stays covered, nothing more is placed', async () => {
    const { planId } = await restingBuy();
    await sell('1.1');
    await vi.waitFor(() => expect(exits()).toHaveLength(2));
    const [entry] = exchangeOf(backend)
      .openOrders({ userId: 'trader' })
      .filter((o) => o.side === 'buy');
    await backend.invoke('orders.cancel', { orderId: entry!.id }, trader('trader'));
    await vi.waitFor(async () =>
      expect(await planOf(planId)).toMatchObject({ status: 'placed', result: { qty: '0.1000' } }),
    );
    expect(exits()).toHaveLength(2);
  });

  it('a resting sell: its parts are covered by buys, take-profit below and stop-loss above', async () => {
    await fund(backend, 'trader', 'BTC', '1');
    const r = await withExits({
      order: { symbol: 'BTC/USDT', side: 'sell', type: 'limit', price: '101.00', qty: '0.3' },
      takeProfit: { percent: '5' },
      stopLoss: { price: '106.00' },
    });
    expect(r.plan.status).toBe('waiting');
    // A buyer lifts the maker's 1 at 100.00, then 0.1 of the trader's 0.3 at 101.00.
    await fund(backend, 'buyer', 'USDT', '1000');
    await place(backend, 'buyer', { ...limit('buy', '101.00', '1.1'), tif: 'IOC' });
    const buys = () =>
      exchangeOf(backend)
        .openOrders({ userId: 'trader' })
        .filter((o) => o.side === 'buy')
        .map((o) => `${o.clientOrderId} ${o.kind} ${o.price || o.stopPrice} ${o.openQty}`)
        .sort();
    // 5 % below the 101.00 fill: 95.95 (a limit buy); the stop-loss a stop-market at 106.00.
    await vi.waitFor(() =>
      expect(buys()).toEqual([
        `brk-${r.plan.planId}-f1000-sl stop_market 10600 1000`,
        `brk-${r.plan.planId}-f1000-tp limit 9595 1000`,
      ]),
    );
    expect(await planOf(r.plan.planId)).toMatchObject({
      status: 'waiting',
      result: { partial: { qty: '0.1000', takeProfit: '95.95', stopLoss: '106.00' } },
    });
  });

  it("an emergency stop while a part's exits are being placed waits for them, so that its cancel-all finds them", async () => {
    const { planId } = await restingBuy();
    await sell('1.1'); // the part's exits are on their way when this answers
    expect(await backend.features.exitPlans.cancelWaiting('trader')).toBe(1);
    expect(exits()).toHaveLength(2);
    expect(await planOf(planId)).toMatchObject({
      status: 'cancelled',
      result: { reason: 'emergency_stop' },
    });
  });

  it('a part whose exits were placed just before a restart, not yet recorded, is not placed twice', async () => {
    const planId = await twoPartsCovered();
    // 0.052 more, a part under the minimum: it waits (and must still wait after the restart).
    await sell('0.052');
    // As if Bourse stopped after the second part's exits and before its row said so: from the
    // row alone, 1.52 of the 2.52 filled would look uncovered.
    const db = backend.store.sqlite;
    const { result } = db.prepare('SELECT result FROM exchange_brackets').get() as {
      result: string;
    };
    const partial = JSON.parse(result).partial as Record<string, unknown> & { orderIds: number[] };
    const before = {
      lots: 1000,
      qty: '0.1000',
      orderIds: partial.orderIds.slice(0, 2),
      takeProfit: '105.00',
      stopLoss: '92.00',
      pending: {
        lots: 2000,
        qty: '0.1000',
        tag: `brk-${planId}-f2000`,
        takeProfit: '105.00',
        stopLoss: '92.00',
      },
    };
    db.prepare(`UPDATE exchange_brackets SET result = json_set(result, '$.partial', json(?))`).run(
      JSON.stringify(before),
    );
    await backend.close();
    backend = await startTestBackend({ dataDir });
    const plan = await planOf(planId);
    expect(plan.status).toBe('waiting');
    expect(plan.result!.partial).toEqual({
      lots: 2000,
      qty: '0.2000',
      orderIds: partial.orderIds,
      takeProfit: '105.00',
      stopLoss: '92.00',
    });
    expect(exits()).toHaveLength(4);
    // And it goes on from there: the last 0.048 with the 0.052 that waited, as the rest.
    await sell('0.1');
    await vi.waitFor(() => expect(exits()).toHaveLength(6));
    expect(exits().slice(4)).toEqual([`brk-${planId}-tp 1000`, `brk-${planId}-sl 1000`]);
  });

  it('an exit alert takes every part off and puts one pair back; later fills are still covered', async () => {
    const planId = await twoPartsCovered();
    const keeper = backend.features.exitPlans;
    const released = await keeper.releaseExits('trader', 'BTC/USDT', 'x1');
    expect(released).toEqual([
      {
        planId,
        side: 'sell',
        lots: 2000,
        round: 'x1',
        takeProfit: '105.00',
        stopLoss: '92.00',
      },
    ]);
    expect(exits()).toEqual([]);
    await keeper.restoreExits('trader', 'BTC/USDT', released);
    expect(exits()).toEqual([`brk-${planId}-rx1-tp 2000`, `brk-${planId}-rx1-sl 2000`]);
    const plan = await planOf(planId);
    expect(plan).toMatchObject({
      status: 'waiting',
      result: { partial: { lots: 2000, qty: '0.2000' } },
    });
    expect(plan.result).not.toHaveProperty('released');
    await sell('0.1');
    await vi.waitFor(() => expect(exits()).toHaveLength(4));
    expect(await planOf(planId)).toMatchObject({ status: 'placed', result: { qty: '0.3000' } });
  });
});
