// orders.cancelAllAfter, the dead man's switch: a countdown the owner keeps re-arming; when it
// runs out, all their open orders are cancelled in one batch, everywhere, and they are told.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import { balances, fund, limit, place, rejects, trader } from '../../helpers/exchange';

const T0 = Date.UTC(2026, 5, 1, 12);
let clock = T0;
let backend: TestBackend | undefined;
afterEach(async () => {
  await backend?.cleanup();
  backend = undefined;
});

const arm = (b: TestBackend, userId: string, timeout: number) =>
  b.invoke('orders.cancelAllAfter', { timeout }, trader(userId)) as Promise<{
    currentTime: number;
    triggerTime: number | null;
  }>;
const switchOf = (b: TestBackend) => b.features.deadMan;
const stored = (b: TestBackend) =>
  b.store.sqlite.prepare('SELECT user_id, trigger_at FROM order_cancel_timers').all();

/** alice: two bids on BTC/USDT, one on ETH/USDT; bob: one bid. */
async function withOrders(b: TestBackend) {
  await fund(b, 'alice', 'USDT', '100000');
  await fund(b, 'bob', 'USDT', '100000');
  await place(b, 'alice', limit('buy', '29000.00', '0.1'));
  await place(b, 'alice', limit('buy', '29100.00', '0.1'));
  await place(b, 'alice', { ...limit('buy', '2000.00', '0.5'), symbol: 'ETH/USDT' });
  await place(b, 'bob', limit('buy', '28000.00', '0.1'));
}

const openOf = async (b: TestBackend, userId: string) =>
  (
    (await b.invoke('orders.list', { scope: 'open' }, trader(userId))) as {
      items: Array<{ orderId: number }>;
    }
  ).items.length;

describe("orders.cancelAllAfter (dead man's switch)", () => {
  it('arms, re-arms and disarms; the countdown is stored', async () => {
    clock = T0;
    backend = await startTestBackend({ now: () => clock });
    expect(await arm(backend, 'alice', 60)).toEqual({ currentTime: T0, triggerTime: T0 + 60_000 });
    clock += 30_000;
    expect(await arm(backend, 'alice', 60)).toEqual({
      currentTime: T0 + 30_000,
      triggerTime: T0 + 90_000,
    });
    expect(stored(backend)).toEqual([{ user_id: 'alice', trigger_at: T0 + 90_000 }]);
    expect(await arm(backend, 'alice', 0)).toEqual({ currentTime: T0 + 30_000, triggerTime: null });
    expect(stored(backend)).toEqual([]);
    for (const timeout of [-1, 86_401, 1.5]) {
      await rejects(arm(backend, 'alice', timeout), 'validation_failed');
    }
  });

  it("cancels all of the owner's open orders in every market when it runs out, nobody else's", async () => {
    clock = T0;
    backend = await startTestBackend({ now: () => clock });
    await withOrders(backend);
    await arm(backend, 'alice', 10);
    clock += 9_999;
    await switchOf(backend).fireDue();
    expect(await openOf(backend, 'alice')).toBe(3); // not yet
    clock += 1;
    await switchOf(backend).fireDue();
    expect(await openOf(backend, 'alice')).toBe(0);
    expect(await openOf(backend, 'bob')).toBe(1);
    const history = (await backend.invoke(
      'orders.list',
      { scope: 'history' },
      trader('alice'),
    )) as {
      items: Array<{ status: string; cancelReason: string | null }>;
    };
    expect(history.items.map((o) => [o.status, o.cancelReason])).toEqual([
      ['cancelled', 'dead_man_switch'],
      ['cancelled', 'dead_man_switch'],
      ['cancelled', 'dead_man_switch'],
    ]);
    // The holds went back; the countdown is spent; the owner was told.
    expect((await balances(backend, 'alice')).USDT).toEqual({
      available: '100000.000000',
      held: '0.000000',
    });
    expect(stored(backend)).toEqual([]);
    expect(switchOf(backend).deadline('alice')).toBeUndefined();
    const notes = (await backend.invoke('notifications.list', {}, trader('alice'))) as {
      items: Array<{ kind: string; body: string }>;
    };
    expect(notes.items).toEqual([
      expect.objectContaining({
        kind: 'orders.deadManSwitch',
        body: expect.stringContaining('3 open orders cancelled'),
      }),
    ]);
  });

  it('does nothing while it is re-armed in time, and nothing once disarmed', async () => {
    clock = T0;
    backend = await startTestBackend({ now: () => clock });
    await withOrders(backend);
    await arm(backend, 'alice', 10);
    for (let i = 0; i < 5; i++) {
      clock += 8_000;
      await switchOf(backend).fireDue();
      await arm(backend, 'alice', 10);
    }
    await arm(backend, 'alice', 0);
    clock += 60_000;
    await switchOf(backend).fireDue();
    expect(await openOf(backend, 'alice')).toBe(3);
  });

  it('fires on the next start when it ran out while Bourse was closed', async () => {
    const dataDir = tempDataDir();
    try {
      clock = T0;
      const first = await startTestBackend({ dataDir, now: () => clock });
      await withOrders(first);
      await arm(first, 'alice', 60);
      await first.cleanup();
      clock += 61_000;
      backend = await startTestBackend({ dataDir, now: () => clock });
      expect(await openOf(backend, 'alice')).toBe(0);
      expect(await openOf(backend, 'bob')).toBe(1);
      expect(stored(backend)).toEqual([]);
    } finally {
      await backend?.cleanup();
      backend = undefined;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('fires on its own timer', async () => {
    backend = await startTestBackend(); // the real clock
    await withOrders(backend);
    await arm(backend, 'alice', 1);
    await expect.poll(() => openOf(backend!, 'alice'), { timeout: 5_000 }).toBe(0);
    expect(await openOf(backend, 'bob')).toBe(1);
  });
});
