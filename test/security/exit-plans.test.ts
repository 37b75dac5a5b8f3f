import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src-main/operations/principal';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import { exchangeOf, fund, limit, place, rejects, trader } from '../helpers/exchange';

/**
 * Orders with exits (orders.placeWithExits / orders.exitPlans) between users who do not trust
 * each other: a plan is found by its owner's client order id only, so another user reusing
 * that id gets a plan of their own and never attaches exits to someone else's order; plans are
 * read by their owner only; a principal that may only read cannot place one.
 */
let backend: TestBackend;

beforeEach(async () => {
  backend = await startTestBackend();
  await fund(backend, 'maker', 'BTC', '10');
  await place(backend, 'maker', limit('sell', '100.00', '5'));
  for (const u of ['alice', 'mallory']) await fund(backend, u, 'USDT', '10000');
});
afterEach(async () => {
  await backend.cleanup();
});

const entry = (clientOrderId: string) => ({
  order: {
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    price: '90.00',
    qty: '1',
    clientOrderId,
  },
  stopLoss: { price: '80.00' },
});
type Placed = { entry: { orderId: number }; plan: { planId: number } };

describe('orders with exits across users', () => {
  it("another user's client order id neither finds nor changes a plan", async () => {
    const a = (await backend.invoke(
      'orders.placeWithExits',
      entry('shared-id'),
      trader('alice'),
    )) as Placed;
    const m = (await backend.invoke(
      'orders.placeWithExits',
      { ...entry('shared-id'), stopLoss: { price: '10.00' } },
      trader('mallory'),
    )) as Placed;
    expect(m.plan.planId).not.toBe(a.plan.planId);
    expect(m.entry.orderId).not.toBe(a.entry.orderId);
    const alicePlans = (await backend.invoke('orders.exitPlans', {}, trader('alice'))) as {
      items: Array<{ planId: number; stopLoss: unknown }>;
    };
    expect(alicePlans.items).toEqual([
      expect.objectContaining({ planId: a.plan.planId, stopLoss: { price: '80.00' } }),
    ]);
    expect(exchangeOf(backend).openOrders({ userId: 'alice' })).toHaveLength(1);
    // Nor can the other user drop Alice's plan by its id: it is unknown to them.
    await rejects(
      backend.invoke('orders.cancelExitPlan', { planId: a.plan.planId }, trader('mallory')),
      'unknown_exit_plan',
    );
    const still = (await backend.invoke('orders.exitPlans', {}, trader('alice'))) as {
      items: Array<{ status: string }>;
    };
    expect(still.items[0]!.status).toBe('waiting');
  });

  it("an order named like another user's exits is not taken for them by an exit", async () => {
    // Alice's market buy is filled; its stop-loss is placed (a plan with a result).
    const a = (await backend.invoke(
      'orders.placeWithExits',
      { ...entry('a-1'), order: { ...entry('a-1').order, type: 'market', price: undefined } },
      trader('alice'),
    )) as Placed & { plan: { status: string } };
    expect(a.plan.status).toBe('placed');
    const db = backend.store.sqlite;
    const aliceRow = () =>
      db.prepare('SELECT status, result FROM exchange_brackets WHERE id = ?').get(a.plan.planId);
    const before = aliceRow();
    // Mallory holds BTC and names an order of hers like Alice's plan's exits.
    await fund(backend, 'mallory', 'BTC', '1');
    await place(backend, 'mallory', {
      ...limit('sell', '101.00', '0.5'),
      clientOrderId: `brk-${a.plan.planId}-tp`,
    });
    // An exit of Mallory's position takes off the exits of *her* plans, then puts them back.
    const keeper = backend.features.exitPlans;
    const released = await keeper.releaseExits('mallory', 'BTC/USDT', 'm1');
    expect(released).toEqual([]);
    await keeper.restoreExits('mallory', 'BTC/USDT', released);
    // Alice's plan is as it was (no exits of Mallory's recorded, nothing to put back on
    // Alice's account after a restart), and Mallory's order was left alone.
    expect(aliceRow()).toEqual(before);
    expect(exchangeOf(backend).openOrders({ userId: 'mallory' })).toMatchObject([
      { clientOrderId: `brk-${a.plan.planId}-tp` },
    ]);
  });

  it('a principal without orders.trade cannot place one; nothing is stored', async () => {
    const reader: Principal = {
      kind: 'user',
      userId: 'alice',
      role: 'viewer',
      permissions: new Set(['orders.read']),
    };
    await rejects(backend.invoke('orders.placeWithExits', entry('r-1'), reader), 'forbidden');
    expect(
      backend.store.sqlite.prepare('SELECT count(*) AS n FROM exchange_brackets').get(),
    ).toEqual({
      n: 0,
    });
  });
});
