import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { SOL_USDT, admin, exchangeOf, fund, place, rejects, trader } from '../../helpers/exchange';
import { reconcile } from '../../../src-main/features/exchange/reconcile';

let backend: TestBackend;
beforeEach(async () => {
  backend = await startTestBackend();
});
afterEach(async () => {
  await backend.cleanup();
});

interface Report {
  ok: boolean;
  problems: Array<{ code: string; message: string }>;
}

describe('markets, assets and the ledger (admin)', () => {
  it('seeds the default markets and assets once', async () => {
    const markets = (await backend.invoke('markets.list', {}, { kind: 'anonymous' })) as {
      items: Array<{ symbol: string; tickSize: string; makerFeePpm: number }>;
    };
    expect(markets.items.map((m) => m.symbol).sort()).toEqual([
      'BTC/USDT',
      'ETH/BTC',
      'ETH/USDT',
      'EUR/USD',
    ]);
    const assets = (await backend.invoke('assets.list', {}, { kind: 'anonymous' })) as {
      items: unknown[];
    };
    expect(assets.items).toHaveLength(5);
    exchangeOf(backend).seedDefaults();
    const n = backend.store.sqlite.prepare('SELECT count(*) AS n FROM markets').get() as {
      n: number;
    };
    expect(n.n).toBe(4);
  });

  it('adds an asset and a market, validated; updates fees and minimums', async () => {
    await backend.invoke('admin.assets.create', { code: 'SOL', scale: 8, name: 'Solana' }, admin());
    await rejects(
      backend.invoke('admin.assets.create', { code: 'SOL', scale: 8, name: 'Solana' }, admin()),
      'conflict',
    );
    await rejects(
      backend.invoke('admin.markets.create', { ...SOL_USDT, lotSize: '0.000000001' }, admin()),
      'invalid_market',
    );
    const created = (await backend.invoke('admin.markets.create', SOL_USDT, admin())) as {
      symbol: string;
    };
    expect(created.symbol).toBe('SOL/USDT');
    const updated = (await backend.invoke(
      'admin.markets.update',
      { symbol: 'SOL/USDT', makerFeePpm: 0, minQty: '1' },
      admin(),
    )) as { makerFeePpm: number; minQty: string };
    expect(updated).toMatchObject({ makerFeePpm: 0, minQty: '1' });
    await fund(backend, 'alice', 'USDT', '1000');
    await rejects(
      place(backend, 'alice', {
        symbol: 'SOL/USDT',
        side: 'buy',
        type: 'limit',
        price: '10',
        qty: '0.5',
      }),
      'min_qty',
    );
    await rejects(
      backend.invoke(
        'admin.markets.update',
        { symbol: 'SOL/USDT', status: 'halted' },
        trader('alice'),
      ),
      'forbidden',
    );
  });

  it('reconciles a sound ledger and reports a corrupted balance', async () => {
    await fund(backend, 'alice', 'USDT', '100000');
    await fund(backend, 'bob', 'BTC', '1');
    await place(backend, 'bob', {
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'limit',
      price: '30000.00',
      qty: '0.5',
    });
    await place(backend, 'alice', {
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      price: '30000.00',
      qty: '0.2',
    });
    const sound = (await backend.invoke('admin.ledger.reconcile', {}, admin())) as Report;
    expect(sound).toMatchObject({ ok: true, problems: [] });
    backend.store.sqlite
      .prepare(
        "UPDATE ledger_accounts SET balance = balance + 1 WHERE owner = 'bob' AND asset = 'BTC' AND purpose = 'held'",
      )
      .run();
    const bad = (await backend.invoke('admin.ledger.reconcile', {}, admin())) as Report;
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => p.code).sort()).toEqual([
      'balance_mismatch',
      'held_mismatch',
      'memory_mismatch',
    ]);
    expect(bad.problems.find((p) => p.code === 'balance_mismatch')?.message).toContain('30000001');
    const notes = backend.store.sqlite
      .prepare("SELECT title FROM notifications WHERE kind = 'ledger.reconcile'")
      .all();
    expect(notes).toHaveLength(1);
    const jobs = backend.scheduler.definitions().map((d) => [d.name, d.schedule]);
    expect(jobs).toContainEqual(['ledger.reconcile', '*/5 * * * *']);
  });

  it('sums the postings chunk by chunk on a snapshot while orders keep committing', async () => {
    await fund(backend, 'alice', 'USDT', '1000000');
    await fund(backend, 'bob', 'BTC', '100');
    const order = (side: 'buy' | 'sell', i: number) =>
      place(backend, side === 'buy' ? 'alice' : 'bob', {
        symbol: 'BTC/USDT',
        side,
        type: 'limit',
        price: `${30000 + (i % 5)}.00`,
        qty: '0.01',
      });
    for (let i = 0; i < 40; i++) await order(i % 2 ? 'buy' : 'sell', i);
    const ex = exchangeOf(backend);
    let finished = false;
    const report = reconcile(backend.store.sqlite, ex.ledgerBalances(), {
      reader: backend.store.reader(),
      chunkRows: 4,
    }).finally(() => (finished = true));
    // These commit while the sum is under way: new postings and changed balances that the
    // reader's snapshot must not see, or it would report mismatches. Counted at the commit
    // (an order is answered later, once its batch is synced off the event loop).
    let duringScan = 0;
    const commit = backend.store.writeDeferred;
    backend.store.writeDeferred = (name, fn) => {
      const result = commit(name, fn);
      if (name === 'exchange.batch' && !finished) duringScan++;
      return result;
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => order(i % 2 ? 'sell' : 'buy', i)));
    backend.store.writeDeferred = commit;
    expect((await report).problems).toEqual([]);
    expect(duringScan).toBeGreaterThan(0); // the event loop was free between chunks
    const after = (await backend.invoke('admin.ledger.reconcile', {}, admin())) as Report;
    expect(after).toMatchObject({ ok: true, problems: [] });

    // Cancelled between chunks (a scheduled run at shutdown): it stops, and its read
    // transaction is closed, so the next run can open one.
    const controller = new AbortController();
    const cancelled = reconcile(backend.store.sqlite, ex.ledgerBalances(), {
      reader: backend.store.reader(),
      chunkRows: 4,
      signal: controller.signal,
    });
    controller.abort();
    await expect(cancelled).rejects.toThrow(/abort/i);
    expect(backend.store.reader().inTransaction).toBe(false);
    const again = await reconcile(backend.store.sqlite, ex.ledgerBalances(), {
      reader: backend.store.reader(),
    });
    expect(again.problems).toEqual([]);
  });

  it('corrects a balance against system:corrections', async () => {
    await fund(backend, 'alice', 'USDT', '10');
    const out = (await backend.invoke(
      'admin.ledger.correct',
      { userId: 'alice', asset: 'USDT', amount: '-2.5', reason: 'duplicate deposit' },
      admin(),
    )) as { balance: { available: string } };
    expect(out.balance.available).toBe('7.500000');
    await rejects(
      backend.invoke(
        'admin.ledger.correct',
        { userId: 'alice', asset: 'USDT', amount: '-100', reason: 'x' },
        admin(),
      ),
      'insufficient_funds',
    );
    await rejects(
      backend.invoke(
        'admin.ledger.fund',
        { userId: 'alice', asset: 'USDT', amount: '0.0000001', direction: 'credit', reason: 'x' },
        admin(),
      ),
      'invalid_amount',
    );
  });
});
