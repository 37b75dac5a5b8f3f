import { afterEach, describe, expect, it } from 'vitest';
import { compactSystemHistory } from '../../../src-main/features/exchange/history';
import { reconcile } from '../../../src-main/features/exchange/reconcile';
import { SIMULATOR_OWNER_PREFIX } from '../../../src-main/features/simulator/service';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { admin, exchangeOf, fund, place } from '../../helpers/exchange';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const SYM = 'BTC/USDT';

let backend: TestBackend | undefined;
afterEach(async () => {
  await backend?.cleanup();
  backend = undefined;
});

async function start() {
  let clock = T0;
  const b = await startTestBackend({ simulatorSeed: 11, now: () => clock });
  backend = b;
  const sim = b.features.simulator;
  const run = async (steps: number) => {
    for (let i = 0; i < steps; i++) await sim.step(SYM, (clock += 1000));
  };
  return { b, run, now: () => clock };
}

type Row = Record<string, unknown>;
const all = (b: TestBackend, sql: string, ...args: unknown[]) =>
  b.store.sqlite.prepare(sql).all(...args) as Row[];
const count = (b: TestBackend, sql: string, ...args: unknown[]) =>
  (b.store.sqlite.prepare(sql).get(...args) as { n: number }).n;

const accounts = (b: TestBackend) =>
  all(b, 'SELECT owner, asset, purpose, balance FROM ledger_accounts ORDER BY 1, 2, 3');
const simOrders = (b: TestBackend) =>
  count(b, "SELECT count(*) AS n FROM orders WHERE user_id LIKE 'system:sim:%'");
const aliceRows = (b: TestBackend) => ({
  orders: all(b, "SELECT * FROM orders WHERE user_id = 'alice' ORDER BY id"),
  trades: all(b, "SELECT * FROM trades WHERE buyer_id = 'alice' OR seller_id = 'alice'"),
  entries: all(
    b,
    `SELECT e.id, p.owner, p.asset, p.purpose, p.amount FROM ledger_entries e
     JOIN ledger_postings p ON p.entry_id = e.id
     WHERE e.id IN (SELECT entry_id FROM ledger_postings WHERE owner = 'alice') ORDER BY 1, 2, 3, 4`,
  ),
});

async function reconciles(b: TestBackend) {
  const report = (await b.invoke('admin.ledger.reconcile', {}, admin())) as {
    ok: boolean;
    problems: unknown[];
  };
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
}

describe("compaction of the simulator's history", () => {
  it('removes old simulator rows, keeps every balance and every row that touches a person', async () => {
    const { b, run, now } = await start();
    await run(60);
    await fund(b, 'alice', 'USDT', '100000');
    const bought = await place(b, 'alice', {
      symbol: SYM,
      side: 'buy',
      type: 'market',
      qty: '0.01',
    });
    expect(bought.status).toBe('filled');
    await run(120);
    const cutoff = now() - 30_000;
    const before = {
      accounts: accounts(b),
      alice: aliceRows(b),
      simOrders: simOrders(b),
      entries: count(b, 'SELECT count(*) AS n FROM ledger_entries'),
      recent: count(b, 'SELECT count(*) AS n FROM ledger_entries WHERE ts >= ?', cutoff),
    };
    expect(before.alice.trades.length).toBeGreaterThan(0);

    // A reconciliation summing the postings in small chunks while compaction deletes and
    // replaces them: its snapshot must not see a half-compacted journal.
    const [report, during] = await Promise.all([
      compactSystemHistory(exchangeOf(b), b.store.sqlite, {
        ownerPrefix: SIMULATOR_OWNER_PREFIX,
        before: cutoff,
        chunk: 40, // several chunks, each its own batch
      }),
      reconcile(b.store.sqlite, exchangeOf(b).ledgerBalances(), {
        reader: b.store.reader(),
        chunkRows: 50,
      }),
    ]);
    expect(during.problems).toEqual([]);

    expect(report.orders).toBeGreaterThan(0);
    expect(report.trades).toBeGreaterThan(0);
    expect(report.entries).toBeGreaterThan(40);
    expect(report.postings).toBeGreaterThan(report.entries);
    expect(report.summaryEntries.length).toBeGreaterThan(1);
    expect(simOrders(b)).toBe(before.simOrders - report.orders);
    // Balances are untouched; the ledger still reconciles (sums, holds, postings = balances).
    expect(accounts(b)).toEqual(before.accounts);
    await reconciles(b);
    // Everything of alice's, including her trade with the market maker, is still there.
    expect(aliceRows(b)).toEqual(before.alice);
    // Nothing recent was touched; old rows left are only those that touch a person.
    expect(count(b, 'SELECT count(*) AS n FROM ledger_entries WHERE ts >= ?', cutoff)).toBe(
      before.recent + report.summaryEntries.length,
    );
    expect(
      count(
        b,
        `SELECT count(*) AS n FROM ledger_entries e WHERE e.ts < ? AND NOT EXISTS
         (SELECT 1 FROM ledger_postings p WHERE p.entry_id = e.id AND p.owner NOT LIKE 'system:%')`,
        cutoff,
      ),
    ).toBe(0);
    expect(count(b, 'SELECT count(*) AS n FROM ledger_entries')).toBe(
      before.entries - report.entries + report.summaryEntries.length,
    );
    expect(
      count(
        b,
        "SELECT count(*) AS n FROM trades WHERE buyer_id LIKE 'system:sim:%' AND seller_id LIKE 'system:sim:%' AND ts < ?",
        cutoff,
      ),
    ).toBe(0);
    expect(
      all(b, "SELECT DISTINCT kind, ref_type FROM ledger_entries WHERE kind = 'history_summary'"),
    ).toEqual([{ kind: 'history_summary', ref_type: 'history' }]);

    // A restart rebuilds the same books and balances from what is left.
    exchangeOf(b).load();
    await reconciles(b);
    expect(accounts(b)).toEqual(before.accounts);
    // The market keeps working on top of it.
    await run(30);
    await reconciles(b);
  });

  it('folds its own earlier summaries, so the history stays bounded', async () => {
    const { b, run, now } = await start();
    await run(120);
    const first = await compactSystemHistory(exchangeOf(b), b.store.sqlite, {
      ownerPrefix: SIMULATOR_OWNER_PREFIX,
      before: now(),
    });
    expect(first.summaryEntries).toHaveLength(1);
    await run(120);
    const second = await compactSystemHistory(exchangeOf(b), b.store.sqlite, {
      ownerPrefix: SIMULATOR_OWNER_PREFIX,
      before: now() + 1,
    });
    expect(second.summaryEntries).toHaveLength(1);
    const left = all(b, 'SELECT id, kind FROM ledger_entries');
    // Only the newest summary is left: every entry was simulator-only.
    expect(left).toEqual([{ id: second.summaryEntries[0], kind: 'history_summary' }]);
    await reconciles(b);
  });

  it('changes nothing in the ledger when its commit fails', async () => {
    const { b, run, now } = await start();
    await run(60);
    const entries = count(b, 'SELECT count(*) AS n FROM ledger_entries');
    const balances = accounts(b);
    exchangeOf(b).injectCommitFailure();
    await expect(
      compactSystemHistory(exchangeOf(b), b.store.sqlite, {
        ownerPrefix: SIMULATOR_OWNER_PREFIX,
        before: now() + 1,
      }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(count(b, 'SELECT count(*) AS n FROM ledger_entries')).toBe(entries);
    expect(accounts(b)).toEqual(balances);
    await reconciles(b);
  });

  it("refuses to compact anyone's history but a system account's", async () => {
    const { b, now } = await start();
    for (const ownerPrefix of ['alice', 'system:', '']) {
      await expect(
        compactSystemHistory(exchangeOf(b), b.store.sqlite, { ownerPrefix, before: now() }),
      ).rejects.toThrow(/refusing to compact/);
    }
  });

  it('runs hourly as the simulator.compact job', async () => {
    const { b } = await start();
    const jobs = (await b.invoke('jobs.list', {}, admin())) as {
      items: Array<{ name: string; schedule: string | null }>;
    };
    expect(jobs.items.find((j) => j.name === 'simulator.compact')?.schedule).toBe('17 * * * *');
  });
});
