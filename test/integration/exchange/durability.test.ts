import { describe, expect, it, vi } from 'vitest';
import { startTestBackend, tempDataDir } from '../../helpers/backend';
import { preparedDuring, queryPlan } from '../../helpers/query-plans';
import { balances, exchangeOf, fund, limit, place, rejects, trader } from '../../helpers/exchange';
import { reconcile } from '../../../src-main/features/exchange/reconcile';
import {
  ExchangePersistence,
  orderFromRow,
  type OrderRow,
} from '../../../src-main/features/exchange/persistence';
import type { OrderState } from '../../../src-main/features/exchange/types';

describe('exchange durability', () => {
  it('rebuilds from the database and refuses the batch when the commit fails', async () => {
    const backend = await startTestBackend();
    try {
      await fund(backend, 'alice', 'USDT', '100000');
      await fund(backend, 'bob', 'BTC', '1');
      await place(backend, 'bob', limit('sell', '30000.00', '0.5'));
      const ex = exchangeOf(backend);
      const before = ex.market('BTC/USDT').engine.snapshot();
      ex.injectCommitFailure();
      const results = await Promise.allSettled([
        place(backend, 'alice', limit('buy', '30000.00', '0.2')),
        place(backend, 'alice', limit('buy', '29000.00', '0.1')),
      ]);
      for (const r of results) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason.code).toBe('unavailable');
      }
      expect(ex.market('BTC/USDT').engine.snapshot()).toEqual(before);
      expect(await balances(backend, 'alice')).toEqual({
        USDT: { available: '100000.000000', held: '0.000000' },
      });
      const ok = await place(backend, 'alice', limit('buy', '30000.00', '0.2'));
      expect(ok.status).toBe('filled');
      expect((await reconcile(backend.store.sqlite, ex.ledgerBalances())).problems).toEqual([]);
    } finally {
      await backend.cleanup();
    }
  });

  it('answers and publishes a batch only once it is on disk (the fsync runs off the loop)', async () => {
    const backend = await startTestBackend();
    try {
      await fund(backend, 'alice', 'USDT', '100000');
      const durable = backend.store.durable;
      let release: (() => void) | undefined;
      backend.store.durable = () => new Promise<void>((r) => (release = r)).then(() => durable());
      const seen: string[] = [];
      const off = backend.hub.subscribe((m) => seen.push(m.stream));
      let answered = false;
      const placing = place(backend, 'alice', limit('buy', '30000.00', '0.1')).then((o) => {
        answered = true;
        return o;
      });
      await vi.waitFor(() => expect(release).toBeDefined());
      // Committed (the row is there) but not yet synced: no answer, no event.
      const rows = backend.store.sqlite.prepare('SELECT count(*) AS n FROM orders').get();
      expect(rows).toEqual({ n: 1 });
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(answered).toBe(false);
      expect(seen.filter((s) => s === 'orders' || s === 'balances')).toEqual([]);
      release!();
      expect((await placing).status).toBe('new');
      expect(seen).toContain('orders');
      off();
    } finally {
      await backend.cleanup();
    }
  });

  it('the next batch commits while one waits for its sync; each is answered after its own', async () => {
    const backend = await startTestBackend();
    try {
      await fund(backend, 'alice', 'USDT', '100000');
      const durable = backend.store.durable;
      const syncs: Array<() => void> = [];
      backend.store.durable = () => new Promise<void>((r) => syncs.push(r)).then(() => durable());
      const answered: string[] = [];
      const a = place(backend, 'alice', limit('buy', '29000.00', '0.1')).then(() => {
        answered.push('a');
      });
      await vi.waitFor(() => expect(syncs).toHaveLength(1));
      const b = place(backend, 'alice', limit('buy', '29001.00', '0.1')).then(() => {
        answered.push('b');
      });
      // The second batch ran and committed while the first waits for the disk.
      await vi.waitFor(() => expect(syncs).toHaveLength(2));
      const rows = backend.store.sqlite.prepare('SELECT count(*) AS n FROM orders').get();
      expect(rows).toEqual({ n: 2 });
      expect(answered).toEqual([]);
      // Even if the second sync were confirmed first, answers keep the commit order.
      syncs[1]!();
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(answered).toEqual([]);
      syncs[0]!();
      await Promise.all([a, b]);
      expect(answered).toEqual(['a', 'b']);
    } finally {
      await backend.cleanup();
    }
  });

  it('a batch whose fsync fails is not acknowledged; the order is findable by client id', async () => {
    const backend = await startTestBackend();
    try {
      await fund(backend, 'alice', 'USDT', '100000');
      const durable = backend.store.durable;
      backend.store.durable = () => Promise.reject(new Error('EIO'));
      const refused = await rejects(
        place(backend, 'alice', limit('buy', '30000.00', '0.1', { clientOrderId: 'c1' })),
        'unavailable',
      );
      expect(refused.message).toMatch(/client order id/);
      backend.store.durable = durable;
      const found = await backend.invoke('orders.get', { clientOrderId: 'c1' }, trader('alice'));
      expect(found).toMatchObject({ clientOrderId: 'c1', status: 'new' });
    } finally {
      await backend.cleanup();
    }
  });

  it('rebuilds every book exactly after a restart (priority, stops, partial fills, counters)', async () => {
    const dataDir = tempDataDir();
    const first = await startTestBackend({ dataDir });
    await fund(first, 'alice', 'USDT', '1000000');
    await fund(first, 'bob', 'BTC', '100');
    await fund(first, 'carol', 'BTC', '100');
    await place(first, 'bob', limit('sell', '30000.00', '0.5'));
    await place(first, 'carol', limit('sell', '30000.00', '0.5'));
    const third = await place(
      first,
      'bob',
      limit('sell', '30000.00', '0.3', { clientOrderId: 'b3' }),
    );
    await place(first, 'alice', limit('buy', '30000.00', '0.2')); // partially fills bob's first
    await place(first, 'alice', limit('buy', '29000.00', '0.1'));
    await place(first, 'alice', limit('buy', '29000.00', '0.2'));
    const amended = await place(first, 'alice', limit('buy', '29500.00', '0.2'));
    // Increase: loses priority; the first order at 30000 (bob) keeps its place.
    await first.invoke(
      'orders.amend',
      { orderId: amended.orderId, price: '29000.00' },
      trader('alice'),
    );
    await first.invoke('orders.amend', { orderId: third.orderId, qty: '0.1' }, trader('bob'));
    await place(first, 'alice', {
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'stop_limit',
      stopPrice: '31000.00',
      price: '31500.00',
      qty: '0.1',
    });
    await place(first, 'bob', {
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop_market',
      stopPrice: '28000.00',
      qty: '0.1',
    });
    const ex1 = exchangeOf(first);
    const markets = ex1.symbols().map((s) => [s, ex1.market(s).engine] as const);
    const snaps = new Map(markets.map(([s, engine]) => [s, engine.snapshot()]));
    const sums = new Map(markets.map(([s, engine]) => [s, engine.checksum()]));
    const bals = new Map(ex1.ledgerBalances());
    const nextId = ex1.read((s) => s.nextOrderId);
    await first.close();

    const second = await startTestBackend({ dataDir });
    try {
      const ex2 = exchangeOf(second);
      for (const symbol of ex2.symbols()) {
        const m = ex2.market(symbol);
        expect(m.engine.snapshot()).toEqual(snaps.get(symbol));
        expect(m.engine.checksum()).toBe(sums.get(symbol));
        expect(m.engine.checkInvariants()).toEqual([]);
      }
      expect(ex2.ledgerBalances()).toEqual(bals);
      expect(ex2.read((s) => s.nextOrderId)).toBe(nextId);
      const report = await reconcile(second.store.sqlite, ex2.ledgerBalances());
      expect(report.problems).toEqual([]);
      // The book goes on where it was: the next trade continues the trade ids.
      const o = await place(second, 'alice', limit('buy', '30000.00', '0.3'));
      expect(o.status).toBe('filled');
      expect(o.orderId).toBe(nextId);
    } finally {
      await second.cleanup();
    }
  });

  it('stores each order as memory has it: many placements in one batch, then fills, amends and cancels of stored orders', async () => {
    const backend = await startTestBackend();
    try {
      await fund(backend, 'alice', 'USDT', '1000000');
      await fund(backend, 'bob', 'BTC', '10');
      const ex = exchangeOf(backend);
      // The last state of every order each commit wrote, straight from memory.
      const written = new Map<number, OrderState>();
      const write = ex.db.write.bind(ex.db);
      ex.db.write = (w) => {
        for (const o of w.orders) written.set(o.id, structuredClone(o));
        write(w);
      };
      // 70 placements in flight together: one batch, several multi-row INSERTs and a tail.
      const sells = await Promise.all(
        Array.from({ length: 70 }, (_, i) =>
          place(backend, 'bob', limit('sell', (30000 + i / 100).toFixed(2), '0.01')),
        ),
      );
      expect(new Set(sells.map((o) => o.status))).toEqual(new Set(['new']));
      // Later batches change stored orders: fills (whole and partial), an amend, a cancel.
      const buy = await place(backend, 'alice', limit('buy', '30000.05', '0.055'));
      expect(buy.status).toBe('filled');
      await backend.invoke(
        'orders.amend',
        { orderId: sells[40]!.orderId, qty: '0.005' },
        trader('bob'),
      );
      await backend.invoke('orders.cancel', { orderId: sells[50]!.orderId }, trader('bob'));
      await Promise.all([
        place(backend, 'alice', limit('buy', '30000.06', '0.004')),
        place(backend, 'alice', limit('buy', '29000.00', '0.01', { clientOrderId: 'low' })),
      ]);

      const rows = backend.store.sqlite
        .prepare('SELECT * FROM orders ORDER BY id')
        .safeIntegers(true)
        .all() as OrderRow[];
      expect(rows.length).toBe(73);
      expect(rows.map(orderFromRow)).toEqual([...written.values()].sort((a, b) => a.id - b.id));
      const statuses = rows.map((r) => r.status);
      expect(statuses.filter((s) => s === 'filled').length).toBe(7); // 5 makers, 2 buys
      expect(statuses.filter((s) => s === 'partially_filled').length).toBe(1);
      expect(statuses.filter((s) => s === 'cancelled').length).toBe(1);
      expect((await reconcile(backend.store.sqlite, ex.ledgerBalances())).problems).toEqual([]);
    } finally {
      await backend.cleanup();
    }
  });

  it('refuses a batch funding debit beyond the available balance', async () => {
    const backend = await startTestBackend();
    try {
      await fund(backend, 'alice', 'USDT', '10');
      await rejects(
        backend.invoke(
          'admin.ledger.fund',
          { userId: 'alice', asset: 'USDT', amount: '11', direction: 'debit', reason: 'x' },
          { kind: 'system', permissions: new Set(['admin.ledger']) },
        ),
        'insufficient_funds',
      );
    } finally {
      await backend.cleanup();
    }
  });

  it('indexes only open orders and orders with a client id, and finds them through those indexes', async () => {
    const backend = await startTestBackend();
    try {
      await fund(backend, 'alice', 'USDT', '100000');
      await fund(backend, 'bob', 'BTC', '1');
      await place(backend, 'bob', limit('sell', '30000.00', '0.1', { clientOrderId: 'ask-1' }));
      await place(backend, 'bob', limit('sell', '30100.00', '0.1'));
      await place(backend, 'alice', limit('buy', '30000.00', '0.1')); // fills ask-1
      await place(backend, 'alice', limit('buy', '29000.00', '0.1', { clientOrderId: 'bid-1' }));
      const sqlite = backend.store.sqlite;
      const entries = (index: string) =>
        (
          sqlite
            .prepare(`SELECT sum(ncell) AS n FROM dbstat WHERE name = ? AND pagetype = 'leaf'`)
            .get(index) as { n: number }
        ).n;
      expect(entries('orders_open_idx')).toBe(2); // the 30100 ask and bid-1; not the two fills
      expect(entries('orders_client_idx')).toBe(2); // ask-1 (filled) and bid-1

      // Every statement the exchange prepares for orders by status or client id, and the
      // index its plan uses: a query whose condition drifts from the index's scans the table.
      const prepared = await preparedDuring(sqlite, async () => {
        new ExchangePersistence(sqlite).openOrders();
        await backend.invoke('orders.list', { scope: 'open' }, trader('alice'));
        await backend.invoke('orders.get', { clientOrderId: 'bid-1' }, trader('alice'));
      });
      const plans = prepared
        .filter((q) => /FROM orders\b/.test(q) && /status IN|client_order_id = \?/.test(q))
        .map((q) => [q.includes('status IN') ? 'open' : 'client', queryPlan(sqlite, q)]);
      expect(plans.length).toBeGreaterThanOrEqual(4);
      for (const [kind, plan] of plans) {
        expect(plan).toContain(kind === 'open' ? 'orders_open_idx' : 'orders_client_idx');
      }
    } finally {
      await backend.cleanup();
    }
  });
});
